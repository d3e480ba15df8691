/// The live floor shared by every open stream that asks for it with the same thresholds: each
/// stream looks once a second, and the floor costs three store reads and a routing read, so
/// streams asking within a second of each other get the floor one of them computed rather than
/// computing it again. A hundred supervisors watching cost what one costs.
actor LiveFloorFeed {
    private struct Entry {
        var computedAt: ContinuousClock.Instant
        var floor: Task<String, any Error>
    }

    private var latest: [ReportThresholds: Entry] = [:]
    /// How many floors were computed (not served from the shared one): for tests and the curious.
    private(set) var computations = 0

    /// The floor for `thresholds`, computed at most once per `maxAge` for everyone who asks;
    /// `fresh` computes it now (a one-off read must see what just happened).
    func floor(
        _ thresholds: ReportThresholds, maxAge: Duration, fresh: Bool = false, compute: @escaping @Sendable () async throws -> String
    ) async throws -> String {
        let now = ContinuousClock.now
        if !fresh, let entry = latest[thresholds], now - entry.computedAt < maxAge {
            return try await entry.floor.value
        }
        // Floors nobody asked for within maxAge are no longer anyone's: let them go.
        latest = latest.filter { now - $0.value.computedAt < maxAge }
        let task = Task { try await compute() }
        latest[thresholds] = Entry(computedAt: now, floor: task)
        computations += 1
        return try await task.value
    }
}
