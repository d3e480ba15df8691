import Foundation

/// The TCCC Agent SDK for Swift: one agent's connection to a Switchboard server, with the
/// document's `Chat`, `Agent`, `Devices`, `UI` and `events`.
///
/// ```swift
/// let tccc = try await TCCC(server: URL(string: "http://127.0.0.1:8080")!, token: token)
/// tccc.on(.callIn) { callIn in print("\(callIn.nickname ?? "") is calling") }
/// await tccc.Agent.online()
/// for await event in tccc.eventStream() {
///     if case .callIn(let callIn) = event {
///         await tccc.Chat.accept(sessionId: callIn.sessionId)
///     }
/// }
/// ```
///
/// The SDK keeps one WebSocket to the server. When it drops, the SDK reconnects with backoff and
/// resumes from the last event it processed, so no event is lost or delivered twice; watch
/// ``connectionState``. Calls made while it reconnects wait for it (up to the request timeout).
/// When the login token expires, `tokenExpired` fires and the SDK stops until
/// ``restart(token:)``.
///
/// Event callbacks and streams see events in server order. Callbacks run on the SDK's connection
/// task, one at a time: keep them short, and start longer work elsewhere.
public final class TCCC: Sendable {
    let connection: AgentConnection
    private var shared: SharedState { connection.shared }

    /// `tccc.Chat`: accept, end, transfer, send and read im messages.
    public let Chat: ChatMethods
    /// `tccc.Call`: voip and internal calls (accept, hang up, hold, digits, internal calls).
    public let Call: CallMethods
    /// `tccc.Video`: video calls.
    public let Video: VideoMethods
    /// `tccc.Agent`: online, offline, setStatus, getStatus.
    public let Agent: AgentMethods
    /// `tccc.Devices`: platform support and audio devices.
    public let Devices: DeviceMethods
    /// `tccc.UI`: show and hide calls, passed to the app's ``TCCCUserInterface``.
    public let UI: UserInterfaceHooks
    /// `tccc.events`: the events, by name, for ``on(_:perform:)``.
    public let events = Events()

    /// Creates the SDK for a server without connecting yet, so the app can register callbacks
    /// before the first events; then call ``connect()``.
    ///
    /// - Parameters:
    ///   - server: The server, e.g. `http://127.0.0.1:8080`; `https` is used as `wss`.
    ///   - credentials: An SDK login token, or a user id and password.
    ///   - configuration: Timeouts, ping and reconnect timing; the defaults suit most apps.
    /// - Throws: ``TCCCError/Code/invalidServerURL`` if the URL has no host or an unknown scheme.
    public init(server: URL, credentials: Credentials, configuration: Configuration = Configuration()) throws(TCCCError) {
        let endpoint = try AgentSocketAddress.url(for: server, sdkAppId: configuration.sdkAppId)
        let connection = AgentConnection(endpoint: endpoint, credentials: credentials, configuration: configuration, shared: SharedState())
        self.connection = connection
        self.Chat = ChatMethods(connection: connection)
        self.Call = CallMethods(connection: connection)
        self.Video = VideoMethods(connection: connection)
        self.Agent = AgentMethods(connection: connection)
        self.Devices = DeviceMethods()
        self.UI = UserInterfaceHooks(shared: connection.shared)
    }

    /// Logs in with an SDK login token (from `POST /api/v1/agents/{id}/tokens`) and waits for `ready`.
    ///
    /// - Throws: ``TCCCError`` with code `connectionFailed`, `notAuthenticated` or `tokenExpired`.
    public convenience init(server: URL, token: String, configuration: Configuration = Configuration()) async throws(TCCCError) {
        try self.init(server: server, credentials: .token(token), configuration: configuration)
        try await connect()
    }

    /// Logs in with the agent's user id and password and waits for `ready`.
    ///
    /// - Throws: ``TCCCError`` with code `connectionFailed` or `notAuthenticated`.
    public convenience init(
        server: URL, userId: String, password: String, configuration: Configuration = Configuration()
    ) async throws(TCCCError) {
        try self.init(server: server, credentials: .password(userId: userId, password: password), configuration: configuration)
        try await connect()
    }

    deinit {
        connection.cancelLoop()
    }

    // MARK: Connection

    /// Connects and waits until the server says `ready`; returns at once when already ready.
    ///
    /// The first connection does not retry: if the server cannot be reached or refuses the
    /// login, this throws. Later drops are retried automatically.
    public func connect() async throws(TCCCError) {
        try await connection.connect()
    }

    /// Logs in again with a new SDK login token, after `tokenExpired` or before the old one runs
    /// out, and waits for `ready`. Events missed in between are replayed.
    public func restart(token: String) async throws(TCCCError) {
        try await connection.restart(token: token)
    }

    /// Closes the connection for good. Calls still waiting fail with ``TCCCError/Code/closed``,
    /// event and state streams finish. The agent's status is left as it is: call
    /// `Agent.offline()` first to log out of work.
    public func close() async {
        await connection.close()
    }

    /// Where the connection stands now.
    public var connectionState: ConnectionState {
        shared.connectionState
    }

    /// The connection state now and every change from then on, until ``close()``.
    public func connectionStates() -> AsyncStream<ConnectionState> {
        shared.connectionStates()
    }

    // MARK: State

    /// The agent's user id, once logged in.
    public var userId: String? { shared.mirror.userId }
    /// The agent's display name, once logged in.
    public var name: String? { shared.mirror.name }
    /// The sessions ringing at or held by the agent, oldest first.
    public var sessions: [LiveSession] { shared.mirror.sessions }

    // MARK: Events

    /// `tccc.on(event, callback)`: calls `perform` with the payload of every `event` from now on.
    ///
    /// ```swift
    /// let subscription = tccc.on(.sessionEnded) { ended in print(ended.sessionId, ended.closeBy) }
    /// tccc.off(subscription)
    /// ```
    @discardableResult
    public func on<Payload>(_ event: Event<Payload>, perform: @escaping @Sendable (Payload) -> Void) -> EventSubscription {
        let extract = event.payload
        return EventSubscription(id: shared.addHandler(for: event.name) { agentEvent in
            if let payload = extract(agentEvent) { perform(payload) }
        })
    }

    /// `tccc.on(name, callback)` by the event's name as a string (`"callIn"`), with the event as
    /// the protocol's ``AgentEvent``; nil for a name the SDK does not know.
    @discardableResult
    public func on(_ name: String, perform: @escaping @Sendable (AgentEvent) -> Void) -> EventSubscription? {
        guard let name = AgentEvent.Name(rawValue: name) else { return nil }
        return EventSubscription(id: shared.addHandler(for: name, perform))
    }

    /// Calls `perform` with every event, whatever its name.
    @discardableResult
    public func onAny(perform: @escaping @Sendable (AgentEvent) -> Void) -> EventSubscription {
        EventSubscription(id: shared.addHandler(for: nil, perform))
    }

    /// Calls `perform` with every WebRTC signal the other side of a call sends (SDP offers and
    /// answers, ICE candidates, hold, unhold, DTMF), with the call's session id. Signals are not
    /// numbered or replayed. Stop with ``off(_:)``.
    @discardableResult
    public func onSignal(perform: @escaping @Sendable (String, CallSignal) -> Void) -> EventSubscription {
        EventSubscription(id: -shared.addSignalHandler(perform))
    }

    /// `tccc.off`: stops a callback registered with ``on(_:perform:)``.
    public func off(_ subscription: EventSubscription) {
        // Signal handlers carry negative ids so one `off` serves both kinds.
        if subscription.id < 0 {
            shared.removeSignalHandler(-subscription.id)
        } else {
            shared.removeHandler(subscription.id)
        }
    }

    /// Every event from now on, in order, as an async sequence; it finishes at ``close()``.
    ///
    /// ```swift
    /// for await event in tccc.eventStream() {
    ///     switch event {
    ///     case .callIn(let callIn): ...
    ///     case .message(let message): ...
    ///     default: break
    ///     }
    /// }
    /// ```
    public func eventStream() -> AsyncStream<AgentEvent> {
        shared.eventStream()
    }

    // MARK: Testing

    /// Drops the WebSocket as a network failure would; the SDK reconnects and resumes.
    @_spi(Testing)
    public func dropConnectionForTesting() async {
        await connection.dropConnection()
    }

    /// The credentials the next reconnect will present (after a `login` frame, its token).
    @_spi(Testing)
    public func credentialsForTesting() async -> Credentials {
        await connection.currentCredentials
    }
}
