import HummingbirdWebSocket
import Logging
import Synchronization
import SwitchboardCore
import SwitchboardProtocol

/// A web call (`voip`) walking an IVR flow before it queues, on its customer connection.
///
/// A web call has no media server in its path until an agent answers (the browsers talk to
/// each other), so the widget plays the menu itself: the server runs the same `IVRRun` the phone
/// gateway runs and sends `ivrPrompt` frames naming each prompt's audio (spoken by espeak-ng or
/// uploaded, served under `/api/v1/chat/ivr-prompts/`); the widget's keypad sends `digit`
/// frames. Like a phone call in a flow, the routing core hears of the call only when the flow
/// queues it (a voip session with the choices as its `ivrPath`) or ends it (recorded with
/// `ivrGiveUp`, `ivrEnd` or `notWorkTime`).
struct CustomerIVRWalk: Sendable {
    /// How the walk ended.
    enum Outcome: Sendable {
        /// The flow queued the call: this session, which the connection now carries.
        case queued(SessionID)
        /// The caller left or the flow hung up: recorded, and the connection is to be closed.
        case ended
    }

    let server: ServerComponents
    let flow: IVRFlow
    let start: ChatStart
    let logger: Logger
    /// Writes a frame to this connection.
    let reply: @Sendable (CustomerServerFrame) async -> Void

    /// What a browser takes to fetch and start a prompt, added to its length.
    static let fetchAllowanceMilliseconds: Int64 = 800

    func run(_ frames: PumpedFrames) async -> Outcome {
        var run = IVRRun(flow: flow)
        let entered = Timestamp.now()
        var customer = CustomerDetails(
            nickname: start.nickname, avatar: start.avatar, remark: start.remark, peerSource: start.peerSource,
            channelName: start.channelName, clientData: start.clientData, userId: start.userId)
        customer.callee = start.callee ?? flow.name ?? flow.id.rawValue
        var actions = run.start(at: entered)
        logger.info("a web call entered an IVR flow", metadata: ["flow": "\(flow.id)"])
        while true {
            while !actions.isEmpty {
                switch actions.removeFirst() {
                case .play(let prompt):
                    var length: Int64 = 0
                    var url: String?
                    do {
                        let file = try await server.ivrPrompts.file(for: prompt)
                        url = server.ivrPrompts.publicPath(ofFile: file.path).map { path in
                            // A hosted tenant's prompts are its own: the URL names it (TenantDispatch).
                            server.configuration.isHostedTenant ? "\(path)?sdkAppId=\(server.configuration.sdkAppId)" : path
                        }
                        // The browser fetches and decodes the audio before it plays: the menu's
                        // clock starts that much later, so the end of a prompt is not cut.
                        if url != nil { length = file.milliseconds + Self.fetchAllowanceMilliseconds }
                    } catch {
                        // No audio (no espeak-ng, a missing upload): the words are shown instead,
                        // and the flow goes on; a caller is never stuck on silence.
                        logger.warning("an IVR prompt could not be made", metadata: ["flow": "\(flow.id)", "error": "\(error)"])
                    }
                    await reply(.ivrPrompt(url: url, text: prompt.text, milliseconds: length))
                    actions += run.promptStarted(lasting: length, at: .now())
                case .stopPlaying:
                    await reply(.ivrStop)
                case .queue(let group, let priority, let path):
                    await reply(.ivrStop)
                    let queued = await CustomerChannel(server: server).queue(
                        start, in: group.rawValue, priority: priority, ivrPath: path, calledFlow: customer.callee, arrivedAt: entered)
                    switch queued {
                    case .success(let session):
                        if !run.keys.isEmpty { _ = try? await server.routing.execute(.callerDigits(session, run.keys)) }
                        return .queued(session)
                    case .failure(let error):
                        // Turned away (nobody online, closed, full): the core recorded it.
                        await reply(.error(error))
                        return .ended
                    }
                case .hangUp(let endStatus, _):
                    await record(run, status: endStatus, customer: customer, entered: entered)
                    await reply(.ended(closeBy: .admin))
                    return .ended
                }
            }
            guard let input = await frames.nextInput() else {
                await record(run, status: IVREnding.ivrGiveUp, customer: customer, entered: entered)
                return .ended
            }
            switch input {
            case .tick:
                if let due = run.deadline, due <= .now() { actions = run.timerFired(at: .now()) }
            case .message(let message):
                switch message.frame(as: CustomerClientFrame.self, maximumSize: server.configuration.maximumFrameSize) {
                case .failure(let error):
                    await reply(.error(error))
                case .success(.digit(let key)):
                    actions = run.pressed(key, at: .now())
                case .success(.leave):
                    await record(run, status: IVREnding.ivrGiveUp, customer: customer, entered: entered)
                    await reply(.ended(closeBy: .client))
                    return .ended
                case .success(.start), .success(.resume):
                    await reply(.error(ProtocolError(.unexpectedFrame, "this connection's call is in IVR flow \(flow.id); open a new one for another")))
                case .success(.message), .success(.typing), .success(.signal):
                    await reply(.error(ProtocolError(.unexpectedFrame, "the call is still in IVR flow \(flow.id)'s menu: press a key (digit) or leave")))
                }
            }
        }
    }

    /// Records a call that ended in the flow (a voip session no agent saw), as the phone gateway does.
    private func record(_ run: IVRRun, status: String, customer: CustomerDetails, entered: Timestamp) async {
        var details = customer
        details.ivrPath = run.path
        let ending = IVREnding(flowId: flow.id, customer: details, keys: run.keys, enteredAt: entered, endStatus: status, type: .voip)
        do {
            _ = try await server.routing.execute(.ivrEnded(ending))
        } catch {
            logger.warning("a web call that ended in an IVR flow could not be recorded", metadata: ["flow": "\(flow.id)", "error": "\(error)"])
        }
    }
}

/// A customer connection's incoming frames read by a task of their own, with a tick every
/// 100 ms between them: an IVR menu's timers run while the caller presses nothing. After the
/// walk, the connection goes on reading its frames from here (the pump is still the only reader).
///
/// Unchecked: `iterator` is used by the connection's task alone, one phase after another.
final class PumpedFrames: FrameSource, @unchecked Sendable {
    enum Input: Sendable {
        case message(WebSocketMessage)
        case tick
    }

    private var iterator: AsyncStream<Input>.AsyncIterator
    private let pump: Task<Void, Never>
    private let ticker: Task<Void, Never>
    /// Frames read but not yet taken: the pump stops reading while `maximumWaiting` wait, so a
    /// client that sends without end meets TCP's back-pressure, not a growing buffer.
    private let waiting: Counter
    static let maximumWaiting = 16

    /// Shared by the pump and the reader.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    init(_ reader: any FrameSource) {
        let (stream, continuation) = AsyncStream<Input>.makeStream()
        let waiting = Counter()
        iterator = stream.makeAsyncIterator()
        self.waiting = waiting
        pump = Task {
            while let message = await reader.next() {
                waiting.value.add(1, ordering: .relaxed)
                continuation.yield(.message(message))
                while waiting.value.load(ordering: .relaxed) >= Self.maximumWaiting, !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            continuation.finish()
        }
        ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                continuation.yield(.tick)
            }
        }
    }

    deinit {
        pump.cancel()
        ticker.cancel()
    }

    /// The next frame or tick; nil once the socket closed.
    func nextInput() async -> Input? {
        let input = await iterator.next()
        if case .message? = input { waiting.value.subtract(1, ordering: .relaxed) }
        return input
    }

    /// No more ticks (the walk is over).
    func stopTicking() {
        ticker.cancel()
    }

    /// The next frame, skipping ticks; nil once the socket closed.
    func next() async -> WebSocketMessage? {
        while let input = await nextInput() {
            if case .message(let message) = input { return message }
        }
        return nil
    }
}
