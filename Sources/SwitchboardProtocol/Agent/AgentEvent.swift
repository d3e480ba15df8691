/// A TCCC SDK event, named and shaped as in the TCCC document (`tccc.on('callIn', fn)`).
public enum AgentEvent: Sendable, Equatable, Hashable {
    /// `ready`: the SDK is logged in and caught up; calls can be made.
    case ready
    /// `callIn`: a session rings at the agent.
    case callIn(CallIn)
    /// `userAccessed`: the agent accepted the session.
    case userAccessed(sessionId: String)
    /// `autoTransfer`: the offer rang out or was withdrawn; the session moved on.
    case autoTransfer(sessionId: String)
    /// `sessionEnded`: a session ringing at or held by the agent ended.
    case sessionEnded(SessionEnded)
    /// `transfer`: the agent transferred the session away, to a skill group or an agent.
    case transfer(sessionId: String, skillGroupId: String?, userId: String?)
    /// `statusChanged`: the agent's status changed.
    case statusChanged(StatusChanged)
    /// `sessionCompleted`: the agent finished wrap-up for the session.
    case sessionCompleted(sessionId: String)
    /// `tokenExpired`: the login behind this connection has run out; a new token is needed.
    case tokenExpired
    /// `message`: an im message in a session the agent holds.
    case message(SessionMessage)
    /// `callOuted`: the agent placed a call (an internal call to an agent or a skill group).
    case callOuted(CallOuted)
    /// `calloutAccepted`: the other side answered a call the agent placed.
    case calloutAccepted(sessionId: String)

    /// The event's name.
    public var name: Name {
        switch self {
        case .ready: .ready
        case .callIn: .callIn
        case .userAccessed: .userAccessed
        case .autoTransfer: .autoTransfer
        case .sessionEnded: .sessionEnded
        case .transfer: .transfer
        case .statusChanged: .statusChanged
        case .sessionCompleted: .sessionCompleted
        case .tokenExpired: .tokenExpired
        case .message: .message
        case .callOuted: .callOuted
        case .calloutAccepted: .calloutAccepted
        }
    }

    /// An event name as sent in an event's `"name"` and passed to `tccc.on`.
    public enum Name: String, Sendable, Codable, CaseIterable {
        /// `ready`.
        case ready
        /// `callIn`.
        case callIn
        /// `userAccessed`.
        case userAccessed
        /// `autoTransfer`.
        case autoTransfer
        /// `sessionEnded`.
        case sessionEnded
        /// `transfer`.
        case transfer
        /// `statusChanged`.
        case statusChanged
        /// `sessionCompleted`.
        case sessionCompleted
        /// `tokenExpired`.
        case tokenExpired
        /// `message`.
        case message
        /// `callOuted`.
        case callOuted
        /// `calloutAccepted`.
        case calloutAccepted
    }
}

extension AgentEvent: Codable {
    /// Decodes `"name"` and `"data"`; `data` may be left out for `ready` and `tokenExpired`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        let rawName = try container.decode(String.self, forKey: "name")
        guard let name = Name(rawValue: rawName) else {
            throw ProtocolError(.unknownEvent, "unknown event '\(rawName)'; the events are \(Name.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        func sessionId() throws -> String {
            try container.nestedContainer(keyedBy: WireKey.self, forKey: "data").decode(String.self, forKey: "sessionId")
        }
        switch name {
        case .ready: self = .ready
        case .tokenExpired: self = .tokenExpired
        case .callIn: self = .callIn(try container.decode(CallIn.self, forKey: "data"))
        case .userAccessed: self = .userAccessed(sessionId: try sessionId())
        case .autoTransfer: self = .autoTransfer(sessionId: try sessionId())
        case .sessionCompleted: self = .sessionCompleted(sessionId: try sessionId())
        case .sessionEnded: self = .sessionEnded(try container.decode(SessionEnded.self, forKey: "data"))
        case .statusChanged: self = .statusChanged(try container.decode(StatusChanged.self, forKey: "data"))
        case .message: self = .message(try container.decode(SessionMessage.self, forKey: "data"))
        case .callOuted: self = .callOuted(try container.decode(CallOuted.self, forKey: "data"))
        case .calloutAccepted: self = .calloutAccepted(sessionId: try sessionId())
        case .transfer:
            let data = try container.nestedContainer(keyedBy: WireKey.self, forKey: "data")
            self = .transfer(
                sessionId: try data.decode(String.self, forKey: "sessionId"),
                skillGroupId: try data.decodeIfPresent(String.self, forKey: "skillGroupId"),
                userId: try data.decodeIfPresent(String.self, forKey: "userId")
            )
        }
    }

    /// Encodes `"name"` and `"data"` (an empty object for events without fields).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(name.rawValue, forKey: "name")
        switch self {
        case .ready, .tokenExpired:
            _ = container.nestedContainer(keyedBy: WireKey.self, forKey: "data")
        case .callIn(let callIn):
            try container.encode(callIn, forKey: "data")
        case .userAccessed(let sessionId), .autoTransfer(let sessionId), .sessionCompleted(let sessionId),
             .calloutAccepted(let sessionId):
            var data = container.nestedContainer(keyedBy: WireKey.self, forKey: "data")
            try data.encode(sessionId, forKey: "sessionId")
        case .sessionEnded(let ended):
            try container.encode(ended, forKey: "data")
        case .transfer(let sessionId, let skillGroupId, let userId):
            var data = container.nestedContainer(keyedBy: WireKey.self, forKey: "data")
            try data.encode(sessionId, forKey: "sessionId")
            try data.encodeIfPresent(skillGroupId, forKey: "skillGroupId")
            try data.encodeIfPresent(userId, forKey: "userId")
        case .statusChanged(let change):
            try container.encode(change, forKey: "data")
        case .message(let message):
            try container.encode(message, forKey: "data")
        case .callOuted(let placed):
            try container.encode(placed, forKey: "data")
        }
    }
}

/// The `callOuted` payload: a call the agent placed.
public struct CallOuted: Sendable, Codable, Equatable, Hashable {
    /// The call's session.
    public var sessionId: String
    /// Its type: `internal`, or `phone` for a call through the trunk.
    public var type: SessionType
    /// The agent called, for a call to an agent.
    public var calleeUserId: String?
    /// The skill group called, or the group the call to an agent is filed under.
    public var skillGroupId: String?
    /// In `welcome.placedCalls` only: whether the other side has answered.
    public var answered: Bool?
    /// The number dialled, for a telephone call (`type: phone`).
    public var calleePhoneNumber: String?
    /// A telephone call's number presented to the callee (TCCC's `callerPhoneNumber`).
    public var callerPhoneNumber: String?
    /// A telephone call's note on the number (`phoneDesc`), TCCC's `remark`.
    public var remark: String?
    /// A telephone call's user data (`uui` of `Call.startOutboundCall`, `UUI` of the server
    /// API's `CreateCallOutSession`): a page that did not dial the call learns it here.
    public var uui: String?
    /// A telephone call's end: `staffSeat` (the agent's SDK carries the audio).
    public var serverType: String?
    /// `serverAPI` for a telephone call the server API placed for the agent (TCCC's
    /// `CreateCallOutSession`): none of its pages dialled it, and one must send the offer.
    public var placedBy: String?

    /// Creates the payload.
    public init(
        sessionId: String, type: SessionType, calleeUserId: String? = nil, skillGroupId: String? = nil, answered: Bool? = nil,
        calleePhoneNumber: String? = nil, callerPhoneNumber: String? = nil, remark: String? = nil, uui: String? = nil,
        serverType: String? = nil, placedBy: String? = nil
    ) {
        self.placedBy = placedBy
        self.calleePhoneNumber = calleePhoneNumber
        self.callerPhoneNumber = callerPhoneNumber
        self.remark = remark
        self.uui = uui
        self.serverType = serverType
        self.sessionId = sessionId
        self.type = type
        self.calleeUserId = calleeUserId
        self.skillGroupId = skillGroupId
        self.answered = answered
    }
}
