import HummingbirdWSClient
import Logging

/// The floor: the same number of connections exchanging the same number of messages with a bare
/// echo endpoint, so routing figures can be read against what the sockets alone cost here.
struct EchoFloor: Sendable {
    let url: String
    let connections: Int
    /// Round trips per second across all connections (four per simulated session).
    let rate: Double
    let duration: Double
    let book: LatencyBook

    func run(logger: Logger) async {
        let perConnection = rate / Double(connections)
        let total = Int(rate * duration / Double(connections))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    do {
                        _ = try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                            var iterator = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                            let interval = perConnection > 0 ? 1 / perConnection : 0
                            let begin = ContinuousClock.now
                            for index in 0..<total {
                                let due = begin + .milliseconds(Int(Double(index) * interval * 1000))
                                if due > ContinuousClock.now { try await Task.sleep(until: due) }
                                let sent = book.now()
                                try await outbound.write(.text(#"{"v":1,"type":"echo","n":\#(index)}"#))
                                guard try await iterator.next() != nil else { break }
                                book.echoRoundTrip(nanoseconds: book.now() &- sent)
                            }
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                    } catch {
                        book.error("echo connection failed: \(error)")
                    }
                }
            }
        }
    }
}
