import DequeModule
import Synchronization
import SwitchboardProtocol

/// Numbers each agent's events and hands them to the agent's open SDK connections.
///
/// Every event gets the agent's next `seq` and is kept in a bounded buffer, so a connection that
/// dropped can say the last `seq` it saw and get exactly what it missed. Publishing is
/// synchronous under one lock: an event is numbered, buffered and queued to every connection in
/// one step, and a connection attaches (replay + subscription) in one step, so none falls between.
public final class AgentHub: Sendable {
    private struct Mailbox {
        var lastSeq: Int
        var buffer = Deque<(seq: Int, text: String)>()
        var connections: [ConnectionKey: any AgentOutbox] = [:]
        /// When its last connection closed; nil while one is open.
        var idleSince: Double?
    }

    private struct State {
        var mailboxes: [String: Mailbox] = [:]
        var nextConnection = 0
        var overflows = 0
        var lastSweep: Double = 0
    }

    /// One open connection of an agent.
    public struct ConnectionKey: Hashable, Sendable {
        let agent: String
        let id: Int
    }

    private let state = Mutex(State())
    private let bufferSize: Int
    /// The most frames one connection's outbox holds unsent: its limit, plus room for the
    /// welcome, a full replay and `ready`, which are queued at once.
    let outboxCapacity: Int
    /// Seconds an agent's buffered events are kept after its last connection closed, for it to
    /// come back and resume; then they are dropped (its numbering is kept, so an old cursor is
    /// never mistaken for a new one, and a later login rebuilds from the welcome).
    private let retention: Double
    private let clock: @Sendable () -> Double
    /// Where every agent's numbering starts in this process (its first event is `seqBase + 1`).
    public let seqBase: Int
    /// With several nodes, the agent's other connections may be on other nodes.
    let relay: ClusterRelay

    /// Creates a hub keeping `bufferSize` events per agent for resuming, and at most
    /// `outboxLimit` unsent frames per connection: a connection whose client stops reading is
    /// cut off there (its socket then closes) instead of growing without bound; it can
    /// reconnect and resume from the buffer.
    ///
    /// `seqBase` must be above every `seq` an earlier process of the same store gave out: the
    /// buffer does not survive a restart, and a client holding an old cursor must not be told
    /// that a new process's events continue it (`ServerComponents` derives it from the store's
    /// start counter).
    public convenience init(
        bufferSize: Int, outboxLimit: Int = 1000, seqBase: Int = 0, retentionSeconds: Double = 600,
        clock: (@Sendable () -> Double)? = nil
    ) {
        self.init(bufferSize: bufferSize, outboxLimit: outboxLimit, seqBase: seqBase, retentionSeconds: retentionSeconds, clock: clock, relay: ClusterRelay())
    }

    /// As above; `relay` carries `broadcast` and `disconnectAll` to the other nodes of several.
    init(
        bufferSize: Int, outboxLimit: Int = 1000, seqBase: Int = 0, retentionSeconds: Double = 600,
        clock: (@Sendable () -> Double)? = nil, relay: ClusterRelay
    ) {
        self.relay = relay
        self.bufferSize = bufferSize
        self.outboxCapacity = outboxLimit + bufferSize + 2
        self.seqBase = seqBase
        self.retention = retentionSeconds
        self.clock = clock ?? KeyedRateLimiter.monotonicSeconds
    }

    /// Drops the buffers of agents gone for longer than the retention. Runs at most four times
    /// per retention period, under the lock it is called with, so its cost (one pass over the
    /// agents) is spread thin.
    private func sweep(_ state: inout State) {
        let now = clock()
        guard now - state.lastSweep >= retention / 4 else { return }
        state.lastSweep = now
        for (agent, mailbox) in state.mailboxes where !mailbox.buffer.isEmpty {
            if let idle = mailbox.idleSince, now - idle >= retention {
                state.mailboxes[agent]!.buffer = Deque()
            }
        }
    }

    /// Events kept for resuming, over all agents (for tests and the metrics).
    public var bufferedEventCount: Int {
        state.withLock { $0.mailboxes.values.reduce(0) { $0 + $1.buffer.count } }
    }

    /// The `seq` base for the `start`-th start of a store: 2^32 numbers per process, which keeps
    /// a million restarts within JavaScript's exact integers (2^53).
    public static func seqBase(forStart start: Int64) -> Int {
        Int(start - 1) << 32
    }

    /// What a new connection gets: its key, the newest `seq`, and whether the replay covers
    /// everything after `resumeFrom`.
    public struct Attachment: Sendable {
        public let key: ConnectionKey
        public let lastSeq: Int
        public let resumed: Bool
    }

    /// Opens a connection for `agent` with an outbox nobody reads (for tests of the hub itself).
    public func attach(agent: String, resumeFrom: Int?, welcome: (Int, Bool) -> String, after: [String]) -> Attachment {
        attach(agent: agent, resumeFrom: resumeFrom, welcome: welcome, after: after, outbox: StreamOutbox(capacity: outboxCapacity))
    }

    /// Opens a connection for `agent` that sends through `outbox`: the `welcome` built by
    /// `welcome(lastSeq, resumed)` goes first, then the replay of events after `resumeFrom` when
    /// the buffer still holds them all, then `after` (the `ready` event), then live events.
    /// `outbox` must hold ``outboxCapacity`` frames.
    public func attach(
        agent: String, resumeFrom: Int?, welcome: (Int, Bool) -> String, after: [String], outbox: some AgentOutbox
    ) -> Attachment {
        state.withLock { state in
            state.nextConnection += 1
            let key = ConnectionKey(agent: agent, id: state.nextConnection)
            let mailbox = state.mailboxes[agent, default: Mailbox(lastSeq: seqBase)]
            var resumed = false
            var replay: [String] = []
            if let resumeFrom, resumeFrom <= mailbox.lastSeq {
                let oldest = mailbox.buffer.first?.seq ?? mailbox.lastSeq + 1
                if resumeFrom + 1 >= oldest {
                    resumed = true
                    replay = mailbox.buffer.filter { $0.seq > resumeFrom }.map(\.text)
                }
            }
            for text in [welcome(mailbox.lastSeq, resumed)] + replay + after { _ = outbox.offer(text) }
            state.mailboxes[agent, default: Mailbox(lastSeq: seqBase)].connections[key] = outbox
            state.mailboxes[agent]!.idleSince = nil
            sweep(&state)
            return Attachment(key: key, lastSeq: mailbox.lastSeq, resumed: resumed)
        }
    }

    /// Closes a connection's outbox.
    public func detach(_ key: ConnectionKey) {
        let outbox = state.withLock { state in
            let removed = state.mailboxes[key.agent]?.connections.removeValue(forKey: key)
            markIdleIfUnconnected(key.agent, &state)
            sweep(&state)
            return removed
        }
        outbox?.finish()
    }

    private func markIdleIfUnconnected(_ agent: String, _ state: inout State) {
        if state.mailboxes[agent]?.connections.isEmpty == true, state.mailboxes[agent]?.idleSince == nil {
            state.mailboxes[agent]!.idleSince = clock()
        }
    }

    /// Numbers an event for the agent and sends it to every open connection.
    public func publish(_ event: AgentEvent, to agent: String) {
        state.withLock { state in
            // Mutated in place: copying a mailbox out and back would copy its whole buffer.
            state.mailboxes[agent, default: Mailbox(lastSeq: seqBase)].lastSeq += 1
            let seq = state.mailboxes[agent]!.lastSeq
            let text = AgentServerFrame.event(seq: seq, event).encodedText()
            state.mailboxes[agent]!.buffer.append((seq, text))
            if state.mailboxes[agent]!.buffer.count > bufferSize { state.mailboxes[agent]!.buffer.removeFirst() }
            for (key, outbox) in state.mailboxes[agent]!.connections where !outbox.offer(text) {
                state.mailboxes[agent]!.connections[key] = nil
                state.overflows += 1
            }
            // An agent with no connection (events for one that went away) starts its retention
            // now if it had never connected in this process.
            if state.mailboxes[agent]!.connections.isEmpty, state.mailboxes[agent]!.idleSince == nil {
                state.mailboxes[agent]!.idleSince = clock()
            }
            sweep(&state)
        }
    }

    /// Closes every open connection of the agent (a supervisor's forced logout), on every node; the
    /// SDKs see the socket drop and may reconnect and resume. Returns how many were open here.
    @discardableResult
    public func disconnectAll(agent: String) -> Int {
        disconnectAll(agent: agent, relaying: true)
    }

    @discardableResult
    func disconnectAll(agent: String, relaying: Bool) -> Int {
        if relaying { relay.send(.disconnectAgent(agent: agent)) }
        let closing = state.withLock { state -> [any AgentOutbox] in
            let open = Array(state.mailboxes[agent]?.connections.values ?? [:].values)
            state.mailboxes[agent]?.connections = [:]
            markIdleIfUnconnected(agent, &state)
            return open
        }
        for outbox in closing { outbox.finish() }
        return closing.count
    }

    /// Closes every open connection (a follower whose view had to be rebuilt: its clients log in
    /// again and get the state afresh).
    func disconnectEveryone() {
        let closing = state.withLock { state -> [any AgentOutbox] in
            let open = state.mailboxes.values.flatMap { $0.connections.values }
            for agent in Array(state.mailboxes.keys) {
                state.mailboxes[agent]?.connections = [:]
                markIdleIfUnconnected(agent, &state)
            }
            return open
        }
        for outbox in closing { outbox.finish() }
    }

    /// Sends a frame that is not numbered and not kept for resume (call signalling) to every open
    /// connection of the agent, on every node. Returns how many connections here it went to.
    @discardableResult
    public func broadcast(_ text: String, to agent: String) -> Int {
        broadcast(text, to: agent, relaying: true)
    }

    @discardableResult
    func broadcast(_ text: String, to agent: String, relaying: Bool) -> Int {
        if relaying { relay.send(.toAgent(agent: agent, text: text)) }
        return state.withLock { state in
            guard let connections = state.mailboxes[agent]?.connections else { return 0 }
            for (key, outbox) in connections where !outbox.offer(text) {
                state.mailboxes[agent]!.connections[key] = nil
                state.overflows += 1
            }
            markIdleIfUnconnected(agent, &state)
            return connections.count
        }
    }

    /// Sends a frame that is not numbered (a response) to one connection.
    public func send(_ text: String, to key: ConnectionKey) {
        state.withLock { state in
            guard let outbox = state.mailboxes[key.agent]?.connections[key], !outbox.offer(text) else { return }
            state.mailboxes[key.agent]!.connections[key] = nil
            state.overflows += 1
            markIdleIfUnconnected(key.agent, &state)
        }
    }

    /// Connections cut off because their client stopped reading, for the metrics.
    public var overflowCount: Int { state.withLock { $0.overflows } }

    /// Open connections, for the metrics.
    public var connectionCount: Int {
        state.withLock { $0.mailboxes.values.reduce(0) { $0 + $1.connections.count } }
    }
}

/// Where the hub queues one connection's frames, already encoded, in order.
public protocol AgentOutbox: AnyObject, Sendable {
    /// Queues a frame. False when the client has left its outbox full: the outbox is finished
    /// then (its socket closes; the client may reconnect and resume) and the frame dropped.
    func offer(_ text: String) -> Bool
    /// No more frames: what is queued is still sent, then the socket closes.
    func finish()
}

/// An outbox read as an `AsyncStream` (for tests of the hub, and any reader that is a task).
public final class StreamOutbox: AgentOutbox {
    public let frames: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    public init(capacity: Int) {
        (frames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    public func offer(_ text: String) -> Bool {
        if case .dropped = continuation.yield(text) {
            continuation.finish()
            return false
        }
        return true
    }

    public func finish() { continuation.finish() }
}
