extension TCCC {
    /// One of the TCCC SDK events, with the type of the payload its callbacks receive.
    ///
    /// Name an event with a leading dot, `tccc.on(.callIn) { callIn in ... }`, or as the document
    /// does, `tccc.on(tccc.events.callIn) { ... }`.
    public struct Event<Payload: Sendable>: Sendable {
        /// The event's name, as on the wire and in the TCCC document.
        public let name: AgentEvent.Name
        let payload: @Sendable (AgentEvent) -> Payload?

        init(_ name: AgentEvent.Name, payload: @escaping @Sendable (AgentEvent) -> Payload?) {
            self.name = name
            self.payload = payload
        }
    }

    /// The document's `tccc.events`: every event the SDK fires, by name.
    public struct Events: Sendable {
        /// `ready`: logged in and caught up; fired after the first login and after every reconnect.
        public var ready: Event<ReadyEvent> { .ready }
        /// `callIn`: a session rings at the agent.
        public var callIn: Event<CallIn> { .callIn }
        /// `userAccessed`: the agent accepted a session.
        public var userAccessed: Event<UserAccessedEvent> { .userAccessed }
        /// `autoTransfer`: an offer rang out or was withdrawn; the session moved on.
        public var autoTransfer: Event<AutoTransferEvent> { .autoTransfer }
        /// `sessionEnded`: a session ringing at or held by the agent ended.
        public var sessionEnded: Event<SessionEnded> { .sessionEnded }
        /// `transfer`: the agent transferred a session away.
        public var transfer: Event<TransferEvent> { .transfer }
        /// `statusChanged`: the agent's status changed.
        public var statusChanged: Event<StatusChanged> { .statusChanged }
        /// `sessionCompleted`: the agent finished wrap-up for a session.
        public var sessionCompleted: Event<SessionCompletedEvent> { .sessionCompleted }
        /// `tokenExpired`: the login token ran out.
        public var tokenExpired: Event<TokenExpiredEvent> { .tokenExpired }
        /// `message`: an im message in a session the agent holds (the agent's own included).
        public var message: Event<SessionMessage> { .message }
        /// `callOuted`: the agent placed a call (an internal call).
        public var callOuted: Event<CallOuted> { .callOuted }
        /// `calloutAccepted`: the other side answered a call the agent placed.
        public var calloutAccepted: Event<CalloutAcceptedEvent> { .calloutAccepted }
    }

    /// A registered event callback; pass it to ``TCCC/off(_:)`` to stop listening.
    public struct EventSubscription: Sendable, Hashable {
        let id: Int
    }
}

extension TCCC.Event where Payload == ReadyEvent {
    /// `ready`: logged in and caught up; fired after the first login and after every reconnect.
    public static var ready: Self {
        Self(.ready) { if case .ready = $0 { ReadyEvent() } else { nil } }
    }
}

extension TCCC.Event where Payload == CallIn {
    /// `callIn`: a session rings at the agent.
    public static var callIn: Self {
        Self(.callIn) { if case .callIn(let callIn) = $0 { callIn } else { nil } }
    }
}

extension TCCC.Event where Payload == UserAccessedEvent {
    /// `userAccessed`: the agent accepted a session.
    public static var userAccessed: Self {
        Self(.userAccessed) { if case .userAccessed(let id) = $0 { UserAccessedEvent(sessionId: id) } else { nil } }
    }
}

extension TCCC.Event where Payload == AutoTransferEvent {
    /// `autoTransfer`: an offer rang out or was withdrawn; the session moved on.
    public static var autoTransfer: Self {
        Self(.autoTransfer) { if case .autoTransfer(let id) = $0 { AutoTransferEvent(sessionId: id) } else { nil } }
    }
}

extension TCCC.Event where Payload == SessionEnded {
    /// `sessionEnded`: a session ringing at or held by the agent ended.
    public static var sessionEnded: Self {
        Self(.sessionEnded) { if case .sessionEnded(let ended) = $0 { ended } else { nil } }
    }
}

extension TCCC.Event where Payload == TransferEvent {
    /// `transfer`: the agent transferred a session away.
    public static var transfer: Self {
        Self(.transfer) {
            if case .transfer(let id, let group, let user) = $0 { TransferEvent(sessionId: id, skillGroupId: group, userId: user) } else { nil }
        }
    }
}

extension TCCC.Event where Payload == StatusChanged {
    /// `statusChanged`: the agent's status changed.
    public static var statusChanged: Self {
        Self(.statusChanged) { if case .statusChanged(let change) = $0 { change } else { nil } }
    }
}

extension TCCC.Event where Payload == SessionCompletedEvent {
    /// `sessionCompleted`: the agent finished wrap-up for a session.
    public static var sessionCompleted: Self {
        Self(.sessionCompleted) { if case .sessionCompleted(let id) = $0 { SessionCompletedEvent(sessionId: id) } else { nil } }
    }
}

extension TCCC.Event where Payload == TokenExpiredEvent {
    /// `tokenExpired`: the login token ran out.
    public static var tokenExpired: Self {
        Self(.tokenExpired) { if case .tokenExpired = $0 { TokenExpiredEvent() } else { nil } }
    }
}

extension TCCC.Event where Payload == SessionMessage {
    /// `message`: an im message in a session the agent holds (the agent's own included).
    public static var message: Self {
        Self(.message) { if case .message(let message) = $0 { message } else { nil } }
    }
}

extension TCCC.Event where Payload == CallOuted {
    /// `callOuted`: the agent placed a call.
    public static var callOuted: Self {
        Self(.callOuted) { if case .callOuted(let placed) = $0 { placed } else { nil } }
    }
}

extension TCCC.Event where Payload == CalloutAcceptedEvent {
    /// `calloutAccepted`: the other side answered a call the agent placed.
    public static var calloutAccepted: Self {
        Self(.calloutAccepted) { if case .calloutAccepted(let id) = $0 { CalloutAcceptedEvent(sessionId: id) } else { nil } }
    }
}
