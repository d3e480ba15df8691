import Foundation

/// What the app reads synchronously and what it listens with: the mirror of the agent's state, the
/// connection state, event handlers and streams. The connection actor writes; anyone reads.
final class SharedState: Sendable {
    private struct Listeners {
        var nextId = 0
        var handlers: [(id: Int, name: AgentEvent.Name?, handler: @Sendable (AgentEvent) -> Void)] = []
        var eventStreams: [Int: AsyncStream<AgentEvent>.Continuation] = [:]
        var stateStreams: [Int: AsyncStream<ConnectionState>.Continuation] = [:]
        var finished = false
    }

    private let mirrorBox = Locked(AgentMirror())
    private let stateBox = Locked(ConnectionState.idle)
    private let listeners = Locked(Listeners())
    private let interface = Locked(WeakUserInterface())

    // MARK: Agent state

    var mirror: AgentMirror { mirrorBox.withLock { $0 } }

    func updateMirror<Result>(_ body: (inout AgentMirror) -> Result) -> Result {
        mirrorBox.withLock(body)
    }

    // MARK: Connection state

    var connectionState: ConnectionState { stateBox.withLock { $0 } }

    /// Sets the connection state and tells every state stream, if it changed.
    func setConnectionState(_ newState: ConnectionState) {
        let changed = stateBox.withLock { state in
            guard state != newState else { return false }
            state = newState
            return true
        }
        guard changed else { return }
        listeners.withLock { listeners in
            for continuation in listeners.stateStreams.values { continuation.yield(newState) }
        }
    }

    /// A stream of connection states, starting with the current one.
    func connectionStates() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(of: ConnectionState.self, bufferingPolicy: .bufferingNewest(64))
        let id = listeners.withLock { listeners -> Int? in
            if listeners.finished { return nil }
            listeners.nextId += 1
            listeners.stateStreams[listeners.nextId] = continuation
            continuation.yield(connectionState)
            return listeners.nextId
        }
        guard let id else {
            continuation.yield(connectionState)
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.stateStreams.removeValue(forKey: id) }
        }
        return stream
    }

    // MARK: Events

    /// Registers a handler for one event name, or for every event when `name` is nil.
    func addHandler(for name: AgentEvent.Name?, _ handler: @escaping @Sendable (AgentEvent) -> Void) -> Int {
        listeners.withLock { listeners in
            listeners.nextId += 1
            listeners.handlers.append((listeners.nextId, name, handler))
            return listeners.nextId
        }
    }

    func removeHandler(_ id: Int) {
        listeners.withLock { $0.handlers.removeAll { $0.id == id } }
    }

    /// A stream of every event from now on.
    func eventStream() -> AsyncStream<AgentEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: AgentEvent.self, bufferingPolicy: .unbounded)
        let id = listeners.withLock { listeners -> Int? in
            if listeners.finished { return nil }
            listeners.nextId += 1
            listeners.eventStreams[listeners.nextId] = continuation
            return listeners.nextId
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.eventStreams.removeValue(forKey: id) }
        }
        return stream
    }

    /// Hands an event to every stream, then to the handlers for its name, in registration order.
    func deliver(_ event: AgentEvent) {
        let handlers = listeners.withLock { listeners in
            for continuation in listeners.eventStreams.values { continuation.yield(event) }
            return listeners.handlers.filter { $0.name == nil || $0.name == event.name }.map(\.handler)
        }
        for handler in handlers { handler(event) }
    }

    /// Ends every stream: the SDK is closed.
    func finishStreams() {
        let (events, states) = listeners.withLock { listeners in
            listeners.finished = true
            defer {
                listeners.eventStreams = [:]
                listeners.stateStreams = [:]
            }
            return (Array(listeners.eventStreams.values), Array(listeners.stateStreams.values))
        }
        for continuation in events { continuation.finish() }
        for continuation in states { continuation.finish() }
    }

    // MARK: Calls

    private let signalHandlers = Locked<[(id: Int, handler: @Sendable (String, CallSignal) -> Void)]>([])
    private let media = Locked(CallMediaState())
    private let iceServerBox = Locked<[IceServer]>([])

    /// The STUN/TURN servers from the last `welcome`.
    var iceServers: [IceServer] {
        get { iceServerBox.withLock { $0 } }
        set { iceServerBox.withLock { $0 = newValue } }
    }

    func addSignalHandler(_ handler: @escaping @Sendable (String, CallSignal) -> Void) -> Int {
        let id = listeners.withLock { listeners in
            listeners.nextId += 1
            return listeners.nextId
        }
        signalHandlers.withLock { $0.append((id, handler)) }
        return id
    }

    func removeSignalHandler(_ id: Int) {
        signalHandlers.withLock { $0.removeAll { $0.id == id } }
    }

    func deliverSignal(sessionId: String, _ signal: CallSignal) {
        for entry in signalHandlers.withLock({ $0 }) { entry.handler(sessionId, signal) }
    }

    func updateMedia<Result>(_ body: (inout CallMediaState) -> Result) -> Result {
        media.withLock(body)
    }

    // MARK: UI hooks

    var userInterface: (any TCCCUserInterface)? {
        get { interface.withLock { $0.value } }
        set { interface.withLock { $0.value = newValue } }
    }
}

/// The app's UI hooks, held weakly so an app's view model may own the SDK without a cycle.
private struct WeakUserInterface {
    weak var value: (any TCCCUserInterface)?
}

/// What the SDK knows of its own side of each call: which microphones and cameras the app muted.
struct CallMediaState: Sendable {
    var mutedMicrophones: Set<String> = []
    var mutedVideo: Set<String> = []
}
