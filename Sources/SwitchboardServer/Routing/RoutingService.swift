import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardStore

/// Receives what each commit made true, in commit order, from the routing service's one writer.
public protocol RoutingDeliveryTarget: Sendable {
    /// One committed change: a command's events, a stored im message, or both, with the
    /// committed state right after it. Messages and routing events of a session therefore reach
    /// people in the order they were committed, through this one path.
    func deliver(_ events: [RoutingEvent], message: StoredMessage?, machine: RoutingStateMachine)
    /// After every change of a batch was delivered: all its events, and the committed state.
    func batchDelivered(_ events: [RoutingEvent], machine: RoutingStateMachine)
}

/// Delivers nothing (tools and tests that only need the state).
public struct NoDelivery: RoutingDeliveryTarget {
    public init() {}
    public func deliver(_ events: [RoutingEvent], message: StoredMessage?, machine: RoutingStateMachine) {}
    public func batchDelivered(_ events: [RoutingEvent], machine: RoutingStateMachine) {}
}

/// The one owner of the routing state machine in a running server.
///
/// Every change goes through `execute(_:)`: the command is applied to the machine at once (so
/// the next command sees its effect), its journal entry joins the pending batch, and the caller
/// waits until a single writer has committed that batch to the store. Only then are the events
/// delivered and the caller answered, so nothing an agent or customer was told can be lost in a
/// crash. Batching many commands into one transaction (group commit) is what keeps throughput
/// high with a synchronous SQLite commit.
///
/// Reads see committed state only: a second copy of the core follows the first one batch behind,
/// fed the committed journal entries (the core is deterministic, so it reaches the same states),
/// and `read` looks at it. A failed commit or a crash can therefore never take back what a
/// client was shown.
public actor RoutingService: Service {
    /// Why a command was not carried out.
    /// Codable: a follower is told it over the cluster link.
    public enum Failure: Error, Codable, Sendable, CustomStringConvertible {
        /// The routing core refused it; nothing changed.
        case refused(RoutingError)
        /// The store could not commit it; nothing changed and the caller may retry.
        case unavailable(String)

        public var description: String {
            switch self {
            case .refused(let error): error.message
            case .unavailable(let why): why
            }
        }
    }

    /// One caller's share of the next commit: a journal entry, a message, or both.
    private struct Pending {
        var entry: JournalEntry?
        var message: NewMessage?
        var reply: RoutingReply = .done
        /// Runs once the message is stored, just before it is delivered (the sender's `ack`
        /// goes out before the echo of its own message).
        var acknowledge: (@Sendable (StoredMessage) -> Void)?
        var continuation: CheckedContinuation<Committed, any Error>?
    }

    /// What a caller gets once its share is committed.
    struct Committed {
        var reply: RoutingReply
        var message: StoredMessage?
    }

    /// Every command applied, committed or not: what the next command is decided against.
    var machine: RoutingStateMachine
    /// The same core with only committed entries applied: what readers and deliveries see. On a
    /// follower, the replica fed from the leader's commits.
    var committed: RoutingStateMachine
    let store: any RoutingStore
    let delivery: any RoutingDeliveryTarget
    let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let snapshotInterval: Int
    var sequence: Int64
    /// The last journal entry committed and delivered.
    var committedSequence: Int64
    var entriesSinceSnapshot: Int
    private var pending: [Pending] = []
    /// Several nodes: set while this node follows another (``RoutingService+Following.swift``).
    var following: Following?
    /// What a follower does when its replica had to be rebuilt from a snapshot, and once it leads.
    var replicaReplaced: (@Sendable () -> Void)?
    /// Run once when the service stops (``onStopping(_:)``).
    private var stopping: (@Sendable () -> Void)?
    var promoted: (@Sendable () -> Void)?
    /// Several nodes, on the leader: the followers fed each commit (``RoutingService+Leading.swift``).
    var followerStreams: [Int: FollowerStream] = [:]
    var nextFollowerStream = 0
    /// This process's part of every connection id, so the leader knows which node holds a socket.
    public nonisolated let nodeTag: String
    /// The agent sockets this process holds open.
    public nonisolated let held: HeldConnections
    /// Told once when a follower takes the lease over, which starts the leader's loops in `run`.
    let promotion: AsyncStream<Void>
    let promotionSignal: AsyncStream<Void>.Continuation
    private let wake: AsyncStream<Void>
    private let wakeWriter: AsyncStream<Void>.Continuation
    private var accepting = true
    /// True while the committed state is being reloaded after a failed commit.
    private var recovering = false
    /// Set once a commit came back fenced: another node routes now, and this one only stops.
    private var steppedDown = false
    /// Told when this node loses the routing lease (several nodes on PostgreSQL); nil alone.
    private let leadership: LeadershipSignal?
    /// Several nodes: how long a connection held by no linked node is kept before it is dropped
    /// (its node may be linking again after a failover). Nil alone: a restart drops them all.
    /// Longer than a follower's relink grace (``followerRelinkGrace``): a follower still closing
    /// its link to a dead leader must not lose its agents' connections meanwhile.
    var clusterConnectionGrace: Duration? { leadership == nil ? nil : .seconds(15) }
    /// True once the service runs and can commit; `/readyz` reports it.
    public private(set) var isRunning = false

    /// Rebuilds the routing state from the store: the newest snapshot, then the journal after it
    /// replayed command by command at the times they were first applied.
    public init(
        store: any RoutingStore,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() },
        snapshotInterval: Int = 5000,
        logger: Logger,
        delivery: any RoutingDeliveryTarget,
        leadership: LeadershipSignal? = nil,
        nodeTag: String = RoutingService.newNodeTag(),
        following: Bool = false,
        held: HeldConnections = HeldConnections()
    ) async throws {
        let state = try await store.loadRoutingState()
        let (machine, sequence) = try Self.rebuild(from: state, now: clock(), logger: logger)
        // A follower decides nothing itself: the replica is all it keeps (no second copy).
        self.machine = following ? RoutingStateMachine(now: machine.clock) : machine
        self.committed = machine
        self.committedSequence = sequence
        self.nodeTag = nodeTag
        self.held = held
        self.following = following ? Following() : nil
        (self.promotion, self.promotionSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.store = store
        self.clock = clock
        self.snapshotInterval = snapshotInterval
        self.logger = logger
        self.delivery = delivery
        self.leadership = leadership
        self.sequence = sequence
        self.entriesSinceSnapshot = state.journal.count
        (self.wake, self.wakeWriter) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        logger.info("routing state loaded", metadata: [
            "snapshotSequence": "\(state.snapshotSequence)", "replayed": "\(state.journal.count)",
            "agents": "\(machine.agents.count)", "liveSessions": "\(machine.sessions.count)",
        ])
        if !following && (state.snapshot != nil || !state.journal.isEmpty) { resumeAfterDowntime() }
    }

    /// A new random tag for this process's connection ids.
    public static func newNodeTag() -> String {
        String((0..<6).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }

    /// A restart on an existing store: before anything else can fire the timers that fell due
    /// while the server was down, the core is told the time since its clock was nobody's fault.
    /// Journaled like any command (the writer commits it first), so a replay moves the same timers.
    func resumeAfterDowntime() {
        let at = now()
        let downSeconds = (at.milliseconds - machine.clock.milliseconds) / 1000
        let outcome = machine.handle(.serverRestarted, at: at)
        if let entry = journalEntry(for: .serverRestarted, outcome, at: at) {
            pending.append(Pending(entry: entry))
            wakeWriter.yield()
        }
        logger.info("resumed after downtime", metadata: ["downSeconds": "\(downSeconds)"])
    }

    /// The newest snapshot with the journal after it replayed, command by command, at the times
    /// they were first applied and under the routing rules they were decided by; and the last
    /// sequence number. A journal or snapshot written under newer rules than this code knows is
    /// refused: replaying it under older ones would decide differently from what clients were told.
    static func rebuild(from state: StoredRoutingState, now: Timestamp, logger: Logger) throws -> (RoutingStateMachine, Int64) {
        let current = RoutingStateMachine.rulesVersion
        let newest = max(state.snapshot?.rulesVersion ?? 1, state.journal.map(\.rulesVersion).max() ?? 1)
        if newest > current {
            throw RulesVersionError(description: """
                the store was written by a newer Switchboard (routing rules version \(newest); this server decides by version \(current)): \
                run that version or a later one on this data directory
                """)
        }
        // Without a snapshot the core starts when the journal does: starting it now would replay
        // every entry at the restart's time (the core's clock never goes back), moving every
        // timestamp and deadline of a server that crashed before its first snapshot.
        var machine = state.snapshot.map(RoutingStateMachine.init(snapshot:)) ?? RoutingStateMachine(now: state.journal.first?.time ?? now)
        let older = state.journal.filter { $0.rulesVersion < current }
        if !older.isEmpty {
            let versions = Set(older.map(\.rulesVersion)).sorted().map(String.init).joined(separator: ", ")
            logger.notice("replaying journal entries under the routing rules they were written with; new commands follow the current rules", metadata: [
                "entries": "\(older.count)", "writtenUnderRules": "\(versions)", "currentRules": "\(current)",
            ])
        }
        for entry in state.journal {
            machine.rules = entry.rulesVersion
            _ = machine.handle(entry.command, at: entry.time)
        }
        machine.rules = current
        return (machine, state.journal.last?.sequence ?? state.snapshotSequence)
    }

    /// The store holds routing decisions made under rules newer than this code's.
    public struct RulesVersionError: Error, CustomStringConvertible {
        public var description: String
    }

    private func checkOpen() throws(Failure) {
        guard !steppedDown else { throw .unavailable("this server is no longer the routing leader; reconnect to reach the node that is") }
        guard accepting else { throw .unavailable("the server is shutting down; try again shortly") }
        guard !recovering else { throw .unavailable("the store failed a moment ago and its state is being reloaded; try again") }
    }

    /// The journal entry for a handled command. A refused command changed nothing itself, but
    /// timers that were due fired on the way in: those are journaled as a tick at the same time
    /// (replaying it fires the same timers, and the store never projects a command that did not
    /// take effect). Nil when there is nothing to journal.
    /// `origin`: the follower's id for the request, kept with a command that took effect only.
    private func journalEntry(
        for command: RoutingCommand, _ outcome: RoutingStateMachine.Outcome, at time: Timestamp, origin: String? = nil
    ) -> JournalEntry? {
        let refused: Bool
        if case .failure = outcome.result { refused = true } else { refused = false }
        if refused && outcome.events.isEmpty { return nil }
        sequence += 1
        return JournalEntry(
            sequence: sequence, time: time, command: refused ? .tick : command, events: outcome.events, origin: refused ? nil : origin)
    }

    /// The time for the next command: the wall clock, never earlier than the machine's clock, so
    /// a clock stepped backwards cannot reorder the journal.
    private func now() -> Timestamp {
        max(clock(), machine.clock)
    }

    /// Applies a command and returns once it is committed. Refused commands change nothing and
    /// are not journaled unless timers fired on the way (those changes are kept).
    /// On a follower the leader does it: see ``forward(_:message:acknowledge:)``. `origin` is a
    /// follower's id for a request it forwarded here.
    @discardableResult
    public func execute(_ command: RoutingCommand, origin: String? = nil) async throws(Failure) -> RoutingReply {
        if following != nil { return try await forward(command).reply }
        try checkOpen()
        let at = now()
        let outcome = machine.handle(command, at: at)
        let entry = journalEntry(for: command, outcome, at: at, origin: origin)
        switch outcome.result {
        case .success(let reply):
            return try await commit(Pending(entry: entry, reply: reply)).reply
        case .failure(let refusal):
            try await settleBeforeRefusing(entry)
            throw .refused(refusal)
        }
    }

    /// A refusal is decided against everything applied so far, committed or not (another
    /// caller's end of the same session may still be in the batch being written). It is answered
    /// only once all of that is committed, so nobody is refused on the strength of a change a
    /// failed commit then takes back: if that commit fails, the caller is told to try again
    /// instead. `entry` holds the timers that fired on the way in, kept even though the command
    /// was refused. With nothing pending the state was committed already and nothing waits.
    private func settleBeforeRefusing(_ entry: JournalEntry?) async throws(Failure) {
        guard entry != nil || !pending.isEmpty || inFlight > 0 else { return }
        _ = try await commit(Pending(entry: entry, reply: .done))
    }

    /// Stores an im message in the next group commit, together with the `activity` that resets
    /// the session's inactivity timer. Refused when the session is not live.
    public func commitMessage(
        _ message: NewMessage, origin: String? = nil, acknowledge: (@Sendable (StoredMessage) -> Void)? = nil
    ) async throws(Failure) -> StoredMessage {
        if following != nil {
            guard let stored = try await forward(.activity(message.sessionId), message: message, acknowledge: acknowledge).message else {
                throw .unavailable("the message was not stored; try again")
            }
            return stored
        }
        try checkOpen()
        let at = now()
        let command = RoutingCommand.activity(message.sessionId)
        let outcome = machine.handle(command, at: at)
        let entry = journalEntry(for: command, outcome, at: at, origin: origin)
        if case .failure(let refusal) = outcome.result {
            // Not live: the message is refused; timers that fired on the way in are kept.
            try await settleBeforeRefusing(entry)
            throw .refused(refusal)
        }
        // Committed with its activity entry: webhooks see it in its place among the batch's events.
        var message = message
        message.journalSequence = entry?.sequence
        let committed = try await commit(Pending(entry: entry, message: message, reply: .done, acknowledge: acknowledge))
        guard let stored = committed.message else { throw .unavailable("the message was not stored; try again") }
        return stored
    }

    private func commit(_ item: Pending) async throws(Failure) -> Committed {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                var item = item
                item.continuation = continuation
                pending.append(item)
                wakeWriter.yield()
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Returns once everything applied so far is committed and its events delivered: how long
    /// that takes is how long a command waits now (the overload guard's probe).
    public func awaitCommitted() async {
        guard !pending.isEmpty || inFlight > 0 else { return }
        _ = try? await commit(Pending(entry: nil, reply: .done))
    }

    /// Changes applied but not yet committed and delivered: queued for the next commit or in
    /// the one under way (for tests).
    public var waitingForCommit: Int { pending.count + inFlight }
    private var inFlight = 0

    /// Read access to the committed state, for views and checks that need no change. It runs on
    /// the writer's actor, so it falls between deliveries: what it sees, every client has been
    /// (or is being) told, and nothing newer.
    public func read<T: Sendable>(_ body: (RoutingStateMachine) -> T) -> T {
        body(committed)
    }

    /// True while this node follows another (several nodes), false once it leads.
    public var isFollowing: Bool { following != nil }

    /// True while this node decides and commits (it leads, or it is the only one).
    var isLeading: Bool { following == nil && accepting && !steppedDown }

    /// Runs the writer and the timer loop until shutdown, then commits what is pending, saves a
    /// snapshot and closes the store.
    public func run() async throws {
        isRunning = true
        // A follower serves from its replica until it takes the lease over, or until shutdown.
        if following != nil {
            await withGracefulShutdownHandler {
                for await _ in promotion { break }
            } onGracefulShutdown: { [promotionSignal] in
                promotionSignal.finish()
            }
            if following != nil {
                isRunning = false
                try await Task.detached { try await self.finish() }.value
                return
            }
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.writerLoop() }
            group.addTask { await self.timerLoop() }
            group.addTask { await self.dropStaleConnections() }
            group.addTask {
                // Stop taking commands on graceful shutdown; the writer drains what is pending.
                try? await gracefulShutdown()
                await self.stopAccepting()
            }
        }
        isRunning = false
        // Finish in a task of its own: when the service is cancelled rather than shut down
        // gracefully, the store's async calls would refuse to run in this cancelled task.
        try await Task.detached { try await self.finish() }.value
    }

    /// What to do when the service stops, before the last commits: the server closes the sockets
    /// it serves with channel handlers (the HTTP server's shutdown does not wait for them).
    func onStopping(_ action: @escaping @Sendable () -> Void) {
        stopping = action
    }

    /// Commits what is pending, saves a snapshot and closes the store.
    private func finish() async throws {
        accepting = false
        stopping?()
        stopping = nil
        endFollowerStreams(reason: "the routing leader is stopping")
        if !steppedDown && following == nil { await flush() }
        if pending.isEmpty && !steppedDown && following == nil {
            do {
                try await store.saveSnapshot(machine.snapshot, throughSequence: sequence)
            } catch {
                logger.error("could not save the shutdown snapshot; the journal still has everything", metadata: ["error": "\(error)"])
            }
        }
        try await store.close()
        logger.info("routing service stopped", metadata: ["sequence": "\(sequence)"])
    }

    /// Connections recorded before a restart are gone with the old process: disconnect them, which
    /// starts each agent's reconnect grace period as if its sockets had just dropped. With several
    /// nodes, only those no live node holds (``reapUnheldConnections(grace:)``).
    private func dropStaleConnections() async {
        if let grace = clusterConnectionGrace {
            await reapUnheldConnections(grace: grace)
            return
        }
        let stale = machine.agents.values.flatMap { agent in agent.connections.map { (agent.id, $0) } }
        for (agent, connection) in stale {
            do { try await execute(.disconnect(agent, connection)) } catch {
                logger.warning("stale connection not dropped", metadata: ["agent": "\(agent)", "error": "\(error)"])
            }
        }
    }

    private func stopAccepting() {
        accepting = false
        wakeWriter.finish()
    }

    private func writerLoop() async {
        for await _ in wake {
            await flush()
        }
    }

    /// Fires due timers. A tick is an ordinary journaled command, so a replay fires them too.
    private func timerLoop() async {
        while accepting && !Task.isCancelled {
            if let deadline = machine.nextDeadline, deadline <= clock() {
                do { try await execute(.tick) } catch {
                    logger.warning("timer tick not committed", metadata: ["error": "\(error)"])
                }
                continue
            }
            // Deadlines are whole seconds in practice; 50 ms keeps timers prompt at no real cost.
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Commits every pending entry in batches, delivering events and answering callers in order.
    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            inFlight = batch.count
            defer { inFlight = 0 }
            var stored: [StoredMessage]
            do {
                stored = try await store.commit(batch.compactMap(\.entry), messages: batch.compactMap(\.message))
            } catch let error as StoreError where error.code == .fenced {
                stepDown(error, failed: batch)
                return
            } catch let error as StoreError where error.code == .outcomeUnknown {
                // Whether it committed is read back, not guessed: telling callers "nothing
                // changed" about a change that was kept would be a lie they act on.
                guard let kept = await resolveUnknownOutcome(of: batch, error) else { continue }
                stored = kept
            } catch {
                await recover(from: error, failed: batch)
                continue
            }
            // Each change is applied to the committed copy and delivered with the state right
            // after it, in commit order; callers are answered once the whole batch is delivered.
            var messages = stored.makeIterator()
            var answers: [(CheckedContinuation<Committed, any Error>?, Committed)] = []
            answers.reserveCapacity(batch.count)
            for item in batch {
                if let entry = item.entry {
                    committed.rules = entry.rulesVersion
                    _ = committed.handle(entry.command, at: entry.time)
                    committed.rules = RoutingStateMachine.rulesVersion
                }
                let message = item.message != nil ? messages.next() : nil
                if let message { item.acknowledge?(message) }
                delivery.deliver(item.entry?.events ?? [], message: message, machine: committed)
                answers.append((item.continuation, Committed(reply: item.reply, message: message)))
            }
            delivery.batchDelivered(batch.flatMap { $0.entry?.events ?? [] }, machine: committed)
            if let last = batch.last(where: { $0.entry != nil })?.entry { committedSequence = last.sequence }
            // Followers before callers: a forwarded request's answer is its entry in this batch.
            if !followerStreams.isEmpty {
                feedFollowers(zip(batch, answers).compactMap { item, answer in
                    item.entry == nil && answer.1.message == nil ? nil : ReplicatedChange(entry: item.entry, message: answer.1.message)
                })
            }
            for (continuation, answer) in answers { continuation?.resume(returning: answer) }
            entriesSinceSnapshot += batch.count
            if entriesSinceSnapshot >= snapshotInterval && pending.isEmpty {
                await saveSnapshot()
            }
        }
    }

    /// The store refused a batch: the machine has changes nobody was told about. Reload the last
    /// committed state, then fail the batch and everything applied after it. New commands are
    /// refused while the reload is under way: one applied to the old state would be wiped by it.
    private func recover(from error: any Error, failed batch: [Pending]) async {
        logger.error("store commit failed; reloading the committed state", metadata: ["error": "\(error)"])
        recovering = true
        let later = pending
        pending.removeAll()
        do {
            (machine, sequence) = try Self.rebuild(from: try await store.loadRoutingState(), now: clock(), logger: logger)
            committed = machine
        } catch {
            logger.critical("cannot reload the committed state; refusing changes", metadata: ["error": "\(error)"])
            accepting = false
        }
        recovering = false
        for item in batch + later {
            item.continuation?.resume(throwing: Failure.unavailable("the store could not commit the change (\(error)); nothing changed, try again"))
        }
    }

    /// Another node took the routing lease: nothing of the batch was written (the fence rolled it
    /// back) and nothing more may be. Every caller waiting is told so; the node then stops.
    private func stepDown(_ error: StoreError, failed batch: [Pending]) {
        logger.critical("this node lost the routing lease; stepping down", metadata: ["reason": "\(error.message)"])
        steppedDown = true
        accepting = false
        let later = pending
        pending.removeAll()
        for item in batch + later {
            item.continuation?.resume(throwing: Failure.unavailable(
                "this server is no longer the routing leader, so nothing changed: reconnect to reach the node that is"))
        }
        wakeWriter.finish()
        endFollowerStreams(reason: "the routing leader lost its lease")
        leadership?.lose(error.message)
    }

    /// A batch whose `COMMIT` lost its connection: the store is read back. If the journal holds
    /// the batch's entries (the same commands at the same times under the same numbers), it
    /// committed and is delivered and answered as usual (its messages read back too); if the
    /// journal ends before them, nothing of it was kept and ``recover(from:failed:)`` tells the
    /// callers so. If those numbers hold other entries, another node has written them: this one
    /// lost the lease, cannot know, and steps down. Returns the stored messages when the batch
    /// committed, else nil. New commands are refused while this runs.
    private func resolveUnknownOutcome(of batch: [Pending], _ error: StoreError) async -> [StoredMessage]? {
        logger.warning("commit outcome unknown; reading the store back", metadata: ["error": "\(error.message)"])
        recovering = true
        defer { recovering = false }
        let entries = batch.compactMap(\.entry)
        var lastError: any Error = error
        // The connection is gone: a few attempts while it is re-established.
        for attempt in 0..<5 {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(100 << attempt)) }
            do {
                switch try await Self.journalVerdict(on: entries, in: try await store.loadRoutingState()) {
                case .absent:
                    logger.notice("the batch whose commit outcome was unknown did not commit")
                    recovering = false
                    await recover(from: error, failed: batch)
                    return nil
                case .overwritten(let why):
                    unknownOutcome(of: batch, why: why)
                    return nil
                case .present:
                    var messages: [StoredMessage] = []
                    var taken: Set<Int64> = []
                    for message in batch.compactMap(\.message) {
                        guard let found = try await findStored(message, excluding: taken) else {
                            if entries.isEmpty {
                                recovering = false
                                await recover(from: error, failed: batch)
                                return nil
                            }
                            throw StoreError(.corruptData, "the journal holds the batch but a message of session \(message.sessionId) is missing")
                        }
                        taken.insert(found.id)
                        messages.append(found)
                    }
                    logger.notice("the batch whose commit outcome was unknown did commit", metadata: ["through": "\(entries.last?.sequence ?? 0)"])
                    return messages
                }
            } catch {
                lastError = error
            }
        }
        unknownOutcome(of: batch, why: "\(lastError)")
        return nil
    }

    /// What the journal says about a batch whose commit outcome was unknown.
    private enum JournalVerdict {
        /// Every entry is there, as applied: it committed.
        case present
        /// The journal ends before the batch: it did not commit.
        case absent
        /// The batch's numbers hold other entries (or a snapshot covers them): another writer.
        case overwritten(String)
    }

    private static func journalVerdict(on entries: [JournalEntry], in state: StoredRoutingState) -> JournalVerdict {
        // Messages alone (no journal entry) are found or not by reading them back.
        guard let first = entries.first, let last = entries.last else { return .present }
        let lastStored = state.journal.last?.sequence ?? state.snapshotSequence
        if lastStored < first.sequence { return .absent }
        // Only this node snapshots while it leads, and it has not since this batch.
        if state.snapshotSequence >= first.sequence {
            return .overwritten("a snapshot through entry \(state.snapshotSequence) covers entries this node did not know were committed")
        }
        let stored = Dictionary(uniqueKeysWithValues: state.journal.map { ($0.sequence, $0) })
        for entry in entries {
            guard let found = stored[entry.sequence] else {
                return entry.sequence > lastStored && entry.sequence == first.sequence ? .absent
                    : .overwritten("the journal holds part of the batch only (through \(lastStored), the batch ends at \(last.sequence))")
            }
            guard found.command == entry.command, found.time == entry.time else {
                return .overwritten("journal entry \(entry.sequence) holds another node's command")
            }
        }
        return .present
    }

    /// The outcome cannot be known (the store cannot be read back, or another node wrote where
    /// this batch would have): every caller waiting is told exactly that, and the node stops
    /// taking changes and gives up leadership, so that a node reading the truth from the store
    /// serves instead of this one refusing everything.
    private func unknownOutcome(of batch: [Pending], why: String) {
        logger.critical("cannot tell whether a batch committed; this node stops taking changes", metadata: ["why": "\(why)"])
        accepting = false
        steppedDown = true
        let later = pending
        pending.removeAll()
        for item in batch + later {
            item.continuation?.resume(throwing: Failure.unavailable(
                "the store's connection was lost while committing this change and whether it was kept cannot be told here (\(why)); look before retrying"))
        }
        wakeWriter.finish()
        leadership?.lose("whether a commit was kept could not be told: \(why)")
    }

    /// A message of a batch that committed, as stored: the session's newest with the same
    /// author, agent, text, time and client id not matched already (the server stamps `sentAt`
    /// per message, so the newest match is the one this batch wrote).
    private func findStored(_ message: NewMessage, excluding taken: Set<Int64>) async throws -> StoredMessage? {
        let newest = try await store.messages(of: message.sessionId, query: MessagePageQuery(oldestFirst: false, limit: 200))
        return newest.first { stored in
            !taken.contains(stored.id) && stored.author == message.author && stored.agentId == message.agentId
                && stored.text == message.text && stored.sentAt == message.sentAt && stored.clientMessageId == message.clientMessageId
        }
    }

    private func saveSnapshot() async {
        let snapshot = machine.snapshot
        let through = sequence
        do {
            try await store.saveSnapshot(snapshot, throughSequence: through)
            entriesSinceSnapshot = 0
        } catch {
            logger.error("snapshot failed; the journal keeps growing until one succeeds", metadata: ["error": "\(error)"])
        }
    }
}
