import SwitchboardCore
import SwitchboardStore

/// A follower's side of several nodes. The follower decides nothing: its clients' commands and
/// messages go to the leader (``forward(_:message:acknowledge:)``), and its replica applies every
/// commit the leader streams (``applyReplicated(_:)``), delivering the events to the sockets this
/// node holds. The core is deterministic, so the replica reaches the leader's states and computes
/// the same events. A forwarded request is answered when its entry (its origin id) is applied, so
/// "events before the response" holds here too.
extension RoutingService {
    struct Following {
        /// Sends a frame to the leader; nil while no link is up. False: the frame could not be queued.
        var send: (@Sendable (String) -> Bool)?
        /// The link's number: a request not answered on the link it was sent on is settled when
        /// the next link (or this node's takeover) has caught up.
        var link = 0
        var counter = 0
        var waiting: [String: Forwarded] = [:]
        /// When the last link dropped (nil while one is up, or before the first).
        var unlinkedAt: ContinuousClock.Instant?
        /// Relayed frames that could not go out while no link was up (forced logouts).
        var heldBack: [RelayedFrame] = []
        /// Whether the leader of the current link answers `sync` (one older than read barriers does not).
        var leaderAnswersSync = false
        /// Read barriers waiting for the leader's `synced`, by id, with when they were sent.
        var syncs: [String: (sentAt: ContinuousClock.Instant, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    /// How long a read barrier waits for the leader before the request is served from the replica
    /// as it is (a leader of an older version does not answer `sync`).
    static let readBarrierLimit: Duration = .seconds(5)

    /// How long a follower whose link dropped still says it serves (`/readyz` 200): a failover
    /// takes about a lease, and a load balancer that marked it down would close its clients'
    /// sockets, which following exists to keep up.
    static let followerRelinkGrace: Duration = .seconds(10)

    struct Forwarded {
        var link: Int
        var sentAt = ContinuousClock.now
        var message: NewMessage?
        var acknowledge: (@Sendable (StoredMessage) -> Void)?
        var continuation: CheckedContinuation<Result<Committed, Failure>, Never>
    }

    /// Sends a client's command (or message, with the `activity` it is committed with) to the
    /// leader and waits for its answer.
    func forward(
        _ command: RoutingCommand, message: NewMessage? = nil, acknowledge: (@Sendable (StoredMessage) -> Void)? = nil
    ) async throws(Failure) -> Committed {
        guard let send = following?.send, let link = following?.link else {
            throw .unavailable("this node cannot reach the routing leader right now; nothing changed, try again shortly")
        }
        following?.counter += 1
        let origin = "\(nodeTag)-\(following?.counter ?? 0)"
        let frame: FollowerFrame = message.map { .message(id: origin, $0) } ?? .command(id: origin, command)
        let result = await withCheckedContinuation { continuation in
            following?.waiting[origin] = Forwarded(link: link, message: message, acknowledge: acknowledge, continuation: continuation)
            if !send(frame.encodedText) {
                settle(origin, .failure(.unavailable("the link to the routing leader is full or closed; nothing changed, try again")))
            }
        }
        switch result {
        case .success(let committed): return committed
        case .failure(let failure): throw failure
        }
    }

    /// Waits until this follower's replica holds everything the leader had committed when the
    /// call began: a request served afterwards sees what another node already acknowledged (an
    /// admin creating a skill group through one node, then an agent in it through another; an
    /// agent created through one node signing in through the next). One round trip on the link.
    /// Unlinked, or unanswered within ``readBarrierLimit``, it returns at once: the replica is then
    /// as current as this node can make it, and commands still go to the leader, which decides.
    public func readBarrier() async {
        guard let send = following?.send, following?.leaderAnswersSync == true else { return }
        following?.counter += 1
        let id = "\(nodeTag)-\(following?.counter ?? 0)"
        await withCheckedContinuation { continuation in
            following?.syncs[id] = (.now, continuation)
            if !send(FollowerFrame.sync(id: id).encodedText) { synced(id) }
        }
    }

    /// The leader answered a read barrier (or it cannot be answered any more): the request goes on.
    func synced(_ id: String) {
        following?.syncs.removeValue(forKey: id)?.continuation.resume()
    }

    private func releaseSyncs(olderThan limit: Duration? = nil) {
        guard let syncs = following?.syncs else { return }
        let now = ContinuousClock.now
        for (id, sync) in syncs where limit.map({ now - sync.sentAt > $0 }) ?? true { synced(id) }
    }

    private func settle(_ origin: String, _ result: Result<Committed, Failure>) {
        following?.waiting.removeValue(forKey: origin)?.continuation.resume(returning: result)
    }

    /// Answers the requests that have waited longer than `limit` for their outcome (no leader could
    /// be reached to learn it) with exactly that: they may or may not have been done.
    func giveUpWaiting(after limit: Duration) {
        releaseSyncs(olderThan: Self.readBarrierLimit)
        guard let waiting = following?.waiting else { return }
        let now = ContinuousClock.now
        for (origin, forwarded) in waiting where now - forwarded.sentAt > limit {
            settle(origin, .failure(.unavailable(
                "no routing leader could be reached for \(limit) to learn whether this was done: it may have been; look before retrying")))
        }
    }

    /// The leader refused a forwarded request, or could not commit it.
    func forwardFailed(_ origin: String, _ failure: Failure) {
        settle(origin, .failure(failure))
    }

    /// True while a follower's link to the leader is up (it forwards, and its replica is current).
    public var isLinkedToLeader: Bool { following?.send != nil }

    /// True while a follower should keep its clients: linked, or linked before and unlinked for
    /// less than ``followerRelinkGrace`` (its requests meanwhile are answered "try again").
    public var followerServes: Bool {
        guard let following else { return false }
        if following.send != nil { return true }
        guard let unlinkedAt = following.unlinkedAt else { return false }
        return ContinuousClock.now - unlinkedAt < Self.followerRelinkGrace
    }

    /// The ids of requests sent and not yet answered, for the next link's `hello`.
    var unansweredOrigins: [String] { following.map { Array($0.waiting.keys) } ?? [] }

    /// Applies one commit of the leader's to the replica and delivers it. False when it does not
    /// follow on from the replica (a gap): the link is dropped and the next one catches up.
    func applyReplicated(_ changes: [ReplicatedChange]) -> Bool {
        // A link that outlived this node's takeover has nothing more to say.
        guard following != nil else { return false }
        var events: [RoutingEvent] = []
        var answered: [(Forwarded, Committed)] = []
        for change in changes {
            var reply = RoutingReply.done
            var changeEvents: [RoutingEvent] = []
            if let entry = change.entry {
                if entry.sequence <= committedSequence { continue }
                guard entry.sequence == committedSequence + 1 else {
                    logger.warning("the leader's stream skipped entries; catching up", metadata: [
                        "replica": "\(committedSequence)", "received": "\(entry.sequence)",
                    ])
                    return false
                }
                committed.rules = entry.rulesVersion
                let outcome = committed.handle(entry.command, at: entry.time)
                committed.rules = RoutingStateMachine.rulesVersion
                committedSequence = entry.sequence
                sequence = entry.sequence
                switch outcome.result {
                case .success(let done): reply = done
                case .failure(let refusal):
                    // The leader journals only commands that took effect (a refusal's timers as a
                    // tick): the replica must agree. It does unless the cores differ.
                    logger.critical("the replica refused a committed command; it has diverged from the leader", metadata: [
                        "sequence": "\(entry.sequence)", "refusal": "\(refusal.message)",
                    ])
                }
                changeEvents = outcome.events
                // The leader dropped a connection whose socket is open here (it thought nobody held
                // it): close the socket, so its client reconnects instead of waiting for nothing.
                if case .disconnect(_, let connection) = entry.command, Self.node(holding: connection) == nodeTag {
                    held.close(connection.rawValue)
                }
            }
            let forwarded = change.entry?.origin.flatMap { following?.waiting.removeValue(forKey: $0) }
            if let message = change.message { forwarded?.acknowledge?(message) }
            delivery.deliver(changeEvents, message: change.message, machine: committed)
            events += changeEvents
            if let forwarded { answered.append((forwarded, Committed(reply: reply, message: change.message))) }
        }
        delivery.batchDelivered(events, machine: committed)
        for (forwarded, answer) in answered { forwarded.continuation.resume(returning: .success(answer)) }
        return true
    }

    /// Brings the replica up to `target` (everything stored, when nil) from the store's journal:
    /// after a new link's welcome, and when this node takes over. Requests whose entries are found
    /// are answered as done (their messages read back from the store). A replica behind the newest
    /// snapshot (the journal before it is gone) is rebuilt from it instead, delivering nothing in
    /// between: its agents' views are refreshed when they log in again. The messages stored with the
    /// entries are read back and delivered with them.
    func catchUp(through target: Int64?) async throws {
        guard let journal = try await store.journal(after: committedSequence) else {
            try await rebuildReplica()
            return
        }
        let missed = journal.filter { $0.sequence <= (target ?? .max) }
        guard let first = missed.first, let last = missed.last else { return }
        // The messages committed with those entries, delivered with them as the stream would have.
        let messages = try await store.messages(committedWith: first.sequence...last.sequence)
        var changes: [ReplicatedChange] = []
        for entry in missed {
            let stored = messages[entry.sequence] ?? []
            changes.append(ReplicatedChange(entry: entry, message: stored.first))
            // A commit stores at most one message per entry; any other is delivered after it.
            changes += stored.dropFirst().map { ReplicatedChange(entry: nil, message: $0) }
        }
        logger.info("caught up from the journal", metadata: ["from": "\(committedSequence)", "entries": "\(missed.count)"])
        _ = applyReplicated(changes)
    }

    /// The journal after the replica is gone (the follower fell further behind than a snapshot
    /// keeps): the replica is rebuilt from the snapshot. What happened in between was not
    /// delivered here, so every socket this node holds is closed (clients reconnect and get the
    /// state afresh), and what was forwarded and not answered cannot be told any more.
    private func rebuildReplica() async throws {
        let state = try await store.loadRoutingState()
        logger.warning("this follower fell behind the kept journal; rebuilding its replica from the snapshot", metadata: [
            "replica": "\(committedSequence)", "snapshot": "\(state.snapshotSequence)",
        ])
        let (rebuilt, last) = try Self.rebuild(from: state, now: committed.clock, logger: logger)
        committed = rebuilt
        committedSequence = last
        sequence = last
        for (origin, _) in following?.waiting ?? [:] {
            settle(origin, .failure(.unavailable(
                "this node fell too far behind the routing leader to learn whether this was done: it may have been; look before retrying")))
        }
        replicaReplaced?()
    }

    /// A link to the leader is up and its welcome said `sequence`: catch up to it, settle what
    /// earlier links left unanswered (the leader finished those before welcoming: not found means
    /// not done), and forward through `send` from now on.
    func followerLinked(through sequence: Int64, answersSync: Bool, send: @escaping @Sendable (String) -> Bool) async throws {
        guard following != nil else { return }
        try await catchUp(through: sequence)
        guard var following else { return }
        following.link += 1
        following.send = send
        following.leaderAnswersSync = answersSync
        following.unlinkedAt = nil
        for frame in following.heldBack { _ = send(FollowerFrame.relay(frame).encodedText) }
        following.heldBack = []
        self.following = following
        settleUnanswered(before: following.link, why: "the link to the routing leader was lost before this was done")
    }

    /// Runs once this follower leads (after the takeover's catch-up).
    func onPromotion(_ action: @escaping @Sendable () -> Void) {
        promoted = action
    }

    /// Runs when a follower's replica was rebuilt from a snapshot: closes this node's sockets.
    func onReplicaReplaced(_ action: @escaping @Sendable () -> Void) {
        replicaReplaced = action
    }

    /// The link dropped: nothing more is forwarded until the next one. Requests sent on it wait for
    /// the next link's catch-up, which tells whether they were done.
    func followerUnlinked() {
        guard following?.send != nil else { return }
        following?.send = nil
        following?.unlinkedAt = .now
        releaseSyncs()
    }

    private func settleUnanswered(before link: Int, why: String) {
        guard let waiting = following?.waiting else { return }
        for (origin, forwarded) in waiting where forwarded.link < link {
            settle(origin, .failure(.unavailable("\(why); nothing changed, try again")))
        }
    }

    /// This follower took the routing lease: it reads the rest of the journal (the old leader
    /// committed nothing after its lease ran out), settles every request it forwarded, and leads.
    /// Its sockets stay up; the leader's loops start in `run`.
    func promote() async throws {
        guard following != nil else { return }
        following?.send = nil
        try await catchUp(through: nil)
        settleUnanswered(before: Int.max, why: "the routing leader stopped before this was done")
        // Read barriers go on now: the replica holds everything committed.
        releaseSyncs()
        following = nil
        machine = committed
        entriesSinceSnapshot = 0
        resumeAfterDowntime()
        logger.notice("this node leads now, with the state it followed", metadata: ["sequence": "\(sequence)"])
        promotionSignal.yield()
        promoted?()
    }
}
