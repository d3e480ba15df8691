import Histogram
import Synchronization

/// Timestamps and latency histograms shared by every simulated agent and customer. Both sides run
/// in this process, so one monotonic clock measures across them.
final class LatencyBook: Sendable {
    private struct State {
        var startSent: [String: UInt64] = [:]
        var acceptSent: [String: UInt64] = [:]
        var createToCallIn = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var acceptToJoined = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var echo = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var counts: [String: Int] = [:]
        var errors: [String] = []
    }

    private let state = Mutex(State())
    private let origin = ContinuousClock.now

    /// Nanoseconds since the book was opened.
    func now() -> UInt64 {
        let elapsed = ContinuousClock.now - origin
        return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }

    func count(_ name: String, by amount: Int = 1) {
        state.withLock { $0.counts[name, default: 0] += amount }
    }

    func counted(_ name: String) -> Int { state.withLock { $0.counts[name] ?? 0 } }

    /// Several counters read at one instant.
    func counts(_ names: [String]) -> [String: Int] {
        state.withLock { state in Dictionary(uniqueKeysWithValues: names.map { ($0, state.counts[$0] ?? 0) }) }
    }

    func error(_ message: String) {
        state.withLock { state in
            state.counts["errors", default: 0] += 1
            if state.errors.count < 10 { state.errors.append(message) }
        }
    }

    func startSent(nickname: String) {
        let time = now()
        state.withLock { $0.startSent[nickname] = time }
    }

    func callInReceived(nickname: String) {
        let time = now()
        state.withLock { state in
            guard let sent = state.startSent.removeValue(forKey: nickname) else { return }
            _ = state.createToCallIn.record(time &- sent)
        }
    }

    func acceptSent(session: String) {
        let time = now()
        state.withLock { $0.acceptSent[session] = time }
    }

    func joinedReceived(session: String) {
        let time = now()
        state.withLock { state in
            guard let sent = state.acceptSent.removeValue(forKey: session) else { return }
            _ = state.acceptToJoined.record(time &- sent)
        }
    }

    func echoRoundTrip(nanoseconds: UInt64) {
        state.withLock { _ = $0.echo.record(nanoseconds) }
    }

    /// The figures so far.
    func summary() -> (createToCallIn: LatencySummary, acceptToJoined: LatencySummary, echo: LatencySummary, counts: [String: Int], errors: [String]) {
        state.withLock { state in
            (LatencySummary(state.createToCallIn), LatencySummary(state.acceptToJoined), LatencySummary(state.echo), state.counts, state.errors)
        }
    }
}

/// Percentiles of one latency, in milliseconds.
public struct LatencySummary: Codable, Sendable {
    public var count: UInt64
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    init(_ histogram: Histogram<UInt64>) {
        func ms(_ nanoseconds: UInt64) -> Double { (Double(nanoseconds) / 1_000_000 * 100).rounded() / 100 }
        count = histogram.totalCount
        p50 = count == 0 ? 0 : ms(histogram.valueAtPercentile(50))
        p90 = count == 0 ? 0 : ms(histogram.valueAtPercentile(90))
        p99 = count == 0 ? 0 : ms(histogram.valueAtPercentile(99))
        p999 = count == 0 ? 0 : ms(histogram.valueAtPercentile(99.9))
        max = count == 0 ? 0 : ms(histogram.max)
    }
}
