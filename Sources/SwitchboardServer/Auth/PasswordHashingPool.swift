import Dispatch
import Foundation
import Synchronization

/// Runs bcrypt on a few threads of its own, so password checks never occupy Swift's cooperative
/// pool (on which routing, sockets and the store all run), with a bounded queue: a check that
/// finds every thread busy and the queue full is refused at once instead of waiting.
///
/// The threads end when the pool is released; they need no lifecycle of their own.
final class PasswordHashingPool: Sendable {
    /// Every thread is busy and the queue is full.
    struct Full: Error, Sendable {
        /// About when a thread should be free again, in whole seconds (at least 1).
        var retryAfterSeconds: Int
    }

    let threads: Int
    let waitingLimit: Int
    private let queue: JobQueue

    /// Starts `threads` threads; up to `waitingLimit` checks may wait. They run at the server's
    /// own priority: a lower one starves logins on a machine that is busy for other reasons.
    init(threads: Int, waitingLimit: Int) {
        self.threads = threads
        self.waitingLimit = waitingLimit
        self.queue = JobQueue()
        for index in 0..<threads {
            let queue = self.queue
            let thread = Thread { queue.work() }
            thread.name = "switchboard-bcrypt-\(index)"
            thread.start()
        }
    }

    deinit { queue.stop(threads: threads) }

    /// Runs `work` on a pool thread. A `bounded` job is refused with ``Full`` when `threads +
    /// waitingLimit` jobs are already in; others (an admin setting a password) always wait.
    func run<Result: Sendable>(bounded: Bool = true, _ work: @escaping @Sendable () -> Result) async throws(Full) -> Result {
        let capacity = threads + waitingLimit
        let admitted = queue.state.withLock { state -> Int? in
            if bounded && state.inside >= capacity { return nil }
            state.inside += 1
            return state.inside
        }
        guard admitted != nil else { throw Full(retryAfterSeconds: retryAfterSeconds()) }
        return await withCheckedContinuation { continuation in
            queue.submit { [queue] in
                let started = ContinuousClock.now
                let result = work()
                let took = started.duration(to: .now)
                queue.state.withLock { state in
                    state.inside -= 1
                    let milliseconds = Double(took.components.seconds) * 1000 + Double(took.components.attoseconds) / 1e15
                    state.averageMilliseconds = state.averageMilliseconds * 0.8 + milliseconds * 0.2
                }
                continuation.resume(returning: result)
            }
        }
    }

    /// Jobs running or waiting now.
    var jobsInside: Int { queue.state.withLock { $0.inside } }

    /// How long the jobs inside take to drain, rounded up to whole seconds.
    private func retryAfterSeconds() -> Int {
        let (inside, average) = queue.state.withLock { ($0.inside, $0.averageMilliseconds) }
        let seconds = Double(inside) * average / Double(max(1, threads)) / 1000
        return max(1, Int(seconds.rounded(.up)))
    }
}

/// The jobs waiting for a thread, shared by the pool and its threads (never the other way round,
/// so releasing the pool ends them).
private final class JobQueue: Sendable {
    struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
        /// Jobs admitted and not finished.
        var inside = 0
        /// A moving average of one job's duration; 100 ms until measured.
        var averageMilliseconds = 100.0
    }

    let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    func submit(_ job: @escaping @Sendable () -> Void) {
        state.withLock { $0.jobs.append(job) }
        available.signal()
    }

    func stop(threads: Int) {
        state.withLock { $0.stopped = true }
        for _ in 0..<threads { available.signal() }
    }

    /// A thread's life: take jobs one by one until stopped with nothing left.
    func work() {
        while true {
            available.wait()
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            guard let job else {
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            job()
        }
    }
}
