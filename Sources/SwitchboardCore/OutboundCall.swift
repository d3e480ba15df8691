/// What an agent's `Call.startOutboundCall` asks for: a telephone call through the trunk.
public struct OutboundCall: Codable, Equatable, Sendable {
    /// The number to dial.
    public var phoneNumber: String
    /// The number to present as the caller; the trunk's default when nil.
    public var callerPhoneNumber: String?
    /// The skill group the call is filed under; the agent's first group when nil.
    public var skillGroupId: SkillGroupID?
    /// A note on the callee, shown to the agent (TCCC's `phoneDesc`).
    public var phoneDesc: String?
    /// User-to-user information passed to the trunk (TCCC's `uui`).
    public var uui: String?
    /// True when the server API (TCCC's `CreateCallOutSession`) placed the call for the agent:
    /// no page of the agent dialled it, so one of them must make the offer (`callOuted`'s
    /// `placedBy: 'serverAPI'`). Nil in calls journaled before it existed: dialled by the agent.
    public var placedByServerAPI: Bool?

    /// Creates a request.
    public init(
        phoneNumber: String, callerPhoneNumber: String? = nil, skillGroupId: SkillGroupID? = nil, phoneDesc: String? = nil, uui: String? = nil,
        placedByServerAPI: Bool? = nil
    ) {
        self.placedByServerAPI = placedByServerAPI
        self.phoneNumber = phoneNumber
        self.callerPhoneNumber = callerPhoneNumber
        self.skillGroupId = skillGroupId
        self.phoneDesc = phoneDesc
        self.uui = uui
    }

    /// The characters a dialled number may hold: digits, a leading `+`, `*` and `#`.
    public static func checkNumber(_ number: String, field: String, code: RoutingError.Code = .invalidSession) throws(RoutingError) {
        if number.isEmpty { throw RoutingError(code, "\(field) must not be empty") }
        if number.count > 32 { throw RoutingError(code, "\(field) is \(number.count) characters; a phone number has at most 32") }
        for (index, character) in number.enumerated() {
            let allowed = character.isASCII && (character.isNumber || character == "*" || character == "#" || (character == "+" && index == 0))
            if !allowed {
                throw RoutingError(code, "\(field) '\(number)' may hold digits, * and # (and a leading +), not '\(character)'")
            }
        }
    }
}

/// Which way a telephone call went.
public enum CallDirection: String, Codable, Sendable {
    /// The caller dialled one of the tenant's numbers.
    case inbound
    /// An agent dialled out (`Call.startOutboundCall`).
    case outbound
}

/// Why an outbound call was not answered, spelled as TCCC's call records spell end statuses.
public enum OutboundCallFailure: String, Codable, Sendable, CaseIterable {
    /// The callee was busy (SIP 486, 600).
    case busy
    /// Nobody answered in time (SIP 408, 480, or the ring timeout).
    case notAnswer
    /// The callee declined (SIP 603).
    case userReject
    /// The number does not exist (SIP 404, 484, 604).
    case numberNotExist
    /// The carrier could not place the call (SIP 5xx, or no answer from the trunk).
    case operatorError
    /// Anything else (another SIP error, a media failure).
    case error
}
