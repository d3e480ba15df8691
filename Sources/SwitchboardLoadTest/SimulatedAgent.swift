import HummingbirdWSClient
import Logging
import Synchronization
import SwitchboardProtocol

/// One agent: logs in with its token, goes online, and for every offer waits the think time,
/// accepts, sends one message, waits the handle time and ends the session.
struct SimulatedAgent: Sendable {
    let url: String
    let token: String
    let options: LoadTestOptions
    let book: LatencyBook
    let stop: StopSignal

    func run(logger: Logger) async {
        do {
            _ = try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, outbound, _ in
                let send: @Sendable (AgentCall, String) async -> Void = { call, id in
                    try? await outbound.write(.text(AgentClientFrame.request(AgentRequest(id: id, call: call)).encodedText()))
                }
                try? await outbound.write(.text(AgentClientFrame.hello(AgentHello(token: token)).encodedText()))
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        await stop.wait()
                        try? await outbound.close(.normalClosure, reason: "load test over")
                    }
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let frame = try? AgentServerFrame.decode(text) else { continue }
                            handle(frame, group: &group, send: send)
                        }
                    } catch {
                        if !stop.isSet { book.error("agent socket failed: \(error)") }
                    }
                    group.cancelAll()
                }
            }
        } catch {
            book.error("agent could not connect: \(error)")
        }
    }

    private func handle(_ frame: AgentServerFrame, group: inout TaskGroup<Void>, send: @escaping @Sendable (AgentCall, String) async -> Void) {
        switch frame {
        case .event(_, .ready):
            group.addTask { await send(.agentOnline, "online") }
        case .event(_, .callIn(let callIn)):
            book.callInReceived(nickname: callIn.nickname ?? "")
            book.count("offered")
            let think = options.thinkMilliseconds
            group.addTask {
                if think > 0 { try? await Task.sleep(for: .milliseconds(think)) }
                book.acceptSent(session: callIn.sessionId)
                await send(.chatAccept(sessionId: callIn.sessionId), "a:\(callIn.sessionId)")
            }
        case .response(let response):
            let (kind, session) = (response.id.prefix(2), String(response.id.dropFirst(2)))
            guard response.status == .success else {
                book.error("\(response.id): \(response.errorMsg ?? "error")")
                return
            }
            switch kind {
            case "on": book.count("agentsOnline")
            case "a:":
                book.count("accepted")
                group.addTask { await send(.chatSendMessage(sessionId: session, text: "Hello, how can I help?"), "m:\(session)") }
            case "m:":
                book.count("agentMessages")
                let handle = options.handleMilliseconds
                group.addTask {
                    if handle > 0 { try? await Task.sleep(for: .milliseconds(handle)) }
                    await send(.chatEnd(sessionId: session), "e:\(session)")
                }
            default: break
            }
        case .error(let error):
            book.error("agent error frame: \(error)")
        default:
            break
        }
    }
}

/// Set once when the run is over; everything waiting on it stops.
final class StopSignal: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
    /// Returns once set (or when the waiting task is cancelled).
    func wait() async {
        while !isSet && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
    }
}
