import HTTPTypes
import HummingbirdWSClient
import Logging
import SwitchboardProtocol

/// Hostile traffic run beside the measured load, to show what it costs routing
/// (docs/reliability.md): wrong-password logins from many addresses, and chat starts from one.
///
/// Both claim their client address with `X-Forwarded-For`, which the server believes only when it
/// trusts the load generator as a proxy (`--trusted-proxies 127.0.0.0/8`, as `--spawn` starts it).
enum Flood {
    static var forwardedFor: HTTPField.Name { HTTPField.Name("X-Forwarded-For")! }

    /// The address the load generator's `index`th client claims: 10.0.0.0/8, one each.
    static func address(_ index: Int) -> String {
        "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255)"
    }

    static func configuration(from address: String) -> WebSocketClientConfiguration {
        WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: [forwardedFor: address])
    }

    /// One attacker guessing passwords: a connection per guess, a wrong password for a user id
    /// that does not exist (so each costs the server a bcrypt check, as a known id would), each
    /// from a new address (so per-address waits never start). Counts what the server answered.
    struct Logins: Sendable {
        let url: String
        let worker: Int
        let book: LatencyBook
        let stop: StopSignal

        func run(logger: Logger) async {
            var attempt = 0
            while !stop.isSet {
                attempt += 1
                let address = "172.\(16 + worker % 16).\((attempt >> 8) & 255).\(attempt & 255)"
                let hello = AgentClientFrame.hello(AgentHello(userId: "flood-\(worker)-\(attempt)", password: "wrong-password"))
                book.count("loginAttempts")
                do {
                    _ = try await WebSocketClient.connect(url: url, configuration: Flood.configuration(from: address), logger: logger) { inbound, outbound, _ in
                        try await outbound.write(.text(hello.encodedText()))
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let frame = try? AgentServerFrame.decode(text) else { continue }
                            guard case .error(let error) = frame else { continue }
                            book.count(error.message.contains("in progress") ? "loginBusy" : error.message.contains("wrong") ? "loginChecked" : "loginOther")
                            break
                        }
                        try? await outbound.close(.normalClosure, reason: nil)
                    }
                } catch {
                    book.count("loginOther")
                }
            }
        }
    }

    /// One client starting chats as fast as it can from one address: a connection per start.
    /// The ones the server takes become real sessions (agents handle them); the rest are refused.
    struct Starts: Sendable {
        let url: String
        let worker: Int
        let book: LatencyBook
        let stop: StopSignal

        static let address = "203.0.113.66"

        func run(logger: Logger) async {
            var attempt = 0
            while !stop.isSet {
                attempt += 1
                let start = CustomerClientFrame.start(ChatStart(skillGroupId: AdminSetup.group, nickname: "flood-\(worker)-\(attempt)"))
                book.count("floodStarts")
                do {
                    _ = try await WebSocketClient.connect(url: url, configuration: Flood.configuration(from: Self.address), logger: logger) { inbound, outbound, _ in
                        try await outbound.write(.text(start.encodedText()))
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let frame = try? CustomerServerFrame.decode(text) else { continue }
                            switch frame {
                            case .started: book.count("floodStarted")
                            case .error(let error): book.count(error.code == .rateLimited ? "floodRefused" : "floodOther")
                            default: continue
                            }
                            break
                        }
                        try? await outbound.close(.normalClosure, reason: nil)
                    }
                } catch {
                    book.count("floodOther")
                }
            }
        }
    }
}
