import HummingbirdWSClient
import Logging
import SwitchboardProtocol

/// One customer: starts an `im` session, waits for the agent and its message, then for the end.
struct SimulatedCustomer: Sendable {
    let url: String
    let nickname: String
    /// The client address it claims (each customer its own, as on the internet); believed only
    /// by a server that trusts the load generator as a proxy.
    let address: String
    let book: LatencyBook

    func run(logger: Logger) async {
        do {
            _ = try await WebSocketClient.connect(url: url, configuration: Flood.configuration(from: address), logger: logger) { inbound, outbound, _ in
                book.startSent(nickname: nickname)
                let start = CustomerClientFrame.start(ChatStart(skillGroupId: AdminSetup.group, nickname: nickname, clientData: "loadtest"))
                try await outbound.write(.text(start.encodedText()))
                book.count("started")
                await withTaskGroup(of: Void.self) { group in
                    // A session that never ends is an error, not a hang of the whole run.
                    group.addTask {
                        try? await Task.sleep(for: .seconds(60))
                        guard !Task.isCancelled else { return }
                        book.error("\(nickname): the session did not end within 60 s")
                        try? await outbound.close(.goingAway, reason: "timed out")
                    }
                    var session = ""
                    do {
                        reading: for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let frame = try? CustomerServerFrame.decode(text) else { continue }
                            switch frame {
                            case .started(let id, _): session = id
                            case .agentJoined: book.joinedReceived(session: session)
                            case .message(let chat) where chat.from == .agent: book.count("customerMessages")
                            case .ended:
                                book.count("ended")
                                break reading
                            case .error(let error) where error.code == .serverBusy:
                                // Turned away by an overloaded server: the answer it should give.
                                book.count("shed")
                                break reading
                            case .error(let error): book.error("customer error frame: \(error)")
                            default: break
                            }
                        }
                    } catch {
                        book.error("customer socket failed: \(error)")
                    }
                    group.cancelAll()
                }
                try? await outbound.close(.normalClosure, reason: nil)
            }
        } catch {
            book.error("customer \(nickname) failed: \(error)")
        }
    }
}

