/// What the customer side tells about a session, carried to the agent in `callIn`.
///
/// One struct for every session type: each type uses the fields TCCC lists for it
/// (`im`: nickname, avatar, remark, peerSource, channelName, clientData; `phone`: calleePhoneNumber,
/// callerPhoneNumber, callerLocation, ivrPath, serverType; `voip`: callee, calleeRemark, userId, ...;
/// `video`: userId, nickname, ...; `internal`: peerUserId).
public struct CustomerDetails: Codable, Equatable, Sendable {
    /// The customer's display name.
    public var nickname: String?
    /// The customer's avatar URL.
    public var avatar: String?
    /// A remark shown to the agent.
    public var remark: String?
    /// The channel the customer came from.
    public var peerSource: String?
    /// A custom channel name.
    public var channelName: String?
    /// Opaque data from the embedding page.
    public var clientData: String?
    /// The customer's own id (voip, video).
    public var userId: String?
    /// The number or app the customer called (voip).
    public var callee: String?
    /// A remark on the callee (voip).
    public var calleeRemark: String?
    /// The number the customer dialled (phone).
    public var calleePhoneNumber: String?
    /// The customer's number (phone).
    public var callerPhoneNumber: String?
    /// Where the caller's number is registered (phone).
    public var callerLocation: String?
    /// The IVR choices the caller made (phone, voip).
    public var ivrPath: [IVRStep]?
    /// The trunk type (phone).
    public var serverType: String?
    /// The agent at the other end (internal).
    public var peerUserId: String?

    /// Creates details; every field is optional.
    public init(
        nickname: String? = nil, avatar: String? = nil, remark: String? = nil, peerSource: String? = nil,
        channelName: String? = nil, clientData: String? = nil, userId: String? = nil, callee: String? = nil,
        calleeRemark: String? = nil, calleePhoneNumber: String? = nil, callerPhoneNumber: String? = nil,
        callerLocation: String? = nil, ivrPath: [IVRStep]? = nil, serverType: String? = nil,
        peerUserId: String? = nil
    ) {
        self.nickname = nickname
        self.avatar = avatar
        self.remark = remark
        self.peerSource = peerSource
        self.channelName = channelName
        self.clientData = clientData
        self.userId = userId
        self.callee = callee
        self.calleeRemark = calleeRemark
        self.calleePhoneNumber = calleePhoneNumber
        self.callerPhoneNumber = callerPhoneNumber
        self.callerLocation = callerLocation
        self.ivrPath = ivrPath
        self.serverType = serverType
        self.peerUserId = peerUserId
    }
}

/// One choice in an IVR menu, as TCCC's `ivrPath` lists them.
public struct IVRStep: Codable, Equatable, Sendable {
    /// The key pressed.
    public var key: String
    /// What the key meant.
    public var label: String

    /// Creates a step.
    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }
}
