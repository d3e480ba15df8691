/// What the customer side tells about a session, carried to the agent in `callIn`.
///
/// One struct for every session type: each type uses the fields TCCC lists for it
/// (`im`: nickname, avatar, remark, peerSource, channelName, clientData; `phone`: calleePhoneNumber,
/// callerPhoneNumber, callerLocation, ivrPath, serverType; `voip`: callee, calleeRemark, userId, ...;
/// `video`: userId, nickname, ...; `internal`: peerUserId).
public struct CustomerDetails: Codable, Equatable, Sendable {
    /// The fields, kept in one shared, immutable box: a session, its queue entry's offer and every
    /// event that carries the details (`callIn`, the `created` history line) then hold one
    /// reference instead of fifteen strings, which made each copy of a session or an event
    /// hundreds of bytes to move and fifteen references to count. A change makes a new box.
    private var box: Box

    /// The customer's display name.
    public var nickname: String? {
        get { box.fields.nickname }
        set { change(\.nickname, to: newValue) }
    }
    /// The customer's avatar URL.
    public var avatar: String? {
        get { box.fields.avatar }
        set { change(\.avatar, to: newValue) }
    }
    /// A remark shown to the agent.
    public var remark: String? {
        get { box.fields.remark }
        set { change(\.remark, to: newValue) }
    }
    /// The channel the customer came from.
    public var peerSource: String? {
        get { box.fields.peerSource }
        set { change(\.peerSource, to: newValue) }
    }
    /// A custom channel name.
    public var channelName: String? {
        get { box.fields.channelName }
        set { change(\.channelName, to: newValue) }
    }
    /// Opaque data from the embedding page.
    public var clientData: String? {
        get { box.fields.clientData }
        set { change(\.clientData, to: newValue) }
    }
    /// The customer's own id (voip, video).
    public var userId: String? {
        get { box.fields.userId }
        set { change(\.userId, to: newValue) }
    }
    /// The number or app the customer called (voip).
    public var callee: String? {
        get { box.fields.callee }
        set { change(\.callee, to: newValue) }
    }
    /// A remark on the callee (voip).
    public var calleeRemark: String? {
        get { box.fields.calleeRemark }
        set { change(\.calleeRemark, to: newValue) }
    }
    /// The number the customer dialled (phone).
    public var calleePhoneNumber: String? {
        get { box.fields.calleePhoneNumber }
        set { change(\.calleePhoneNumber, to: newValue) }
    }
    /// The customer's number (phone).
    public var callerPhoneNumber: String? {
        get { box.fields.callerPhoneNumber }
        set { change(\.callerPhoneNumber, to: newValue) }
    }
    /// Where the caller's number is registered (phone).
    public var callerLocation: String? {
        get { box.fields.callerLocation }
        set { change(\.callerLocation, to: newValue) }
    }
    /// The IVR choices the caller made (phone, voip).
    public var ivrPath: [IVRStep]? {
        get { box.fields.ivrPath }
        set { change(\.ivrPath, to: newValue) }
    }
    /// The trunk type (phone).
    public var serverType: String? {
        get { box.fields.serverType }
        set { change(\.serverType, to: newValue) }
    }
    /// The agent at the other end (internal).
    public var peerUserId: String? {
        get { box.fields.peerUserId }
        set { change(\.peerUserId, to: newValue) }
    }

    /// Creates details; every field is optional.
    public init(
        nickname: String? = nil, avatar: String? = nil, remark: String? = nil, peerSource: String? = nil,
        channelName: String? = nil, clientData: String? = nil, userId: String? = nil, callee: String? = nil,
        calleeRemark: String? = nil, calleePhoneNumber: String? = nil, callerPhoneNumber: String? = nil,
        callerLocation: String? = nil, ivrPath: [IVRStep]? = nil, serverType: String? = nil,
        peerUserId: String? = nil
    ) {
        box = Box(Fields(
            nickname: nickname,
            avatar: avatar,
            remark: remark,
            peerSource: peerSource,
            channelName: channelName,
            clientData: clientData,
            userId: userId,
            callee: callee,
            calleeRemark: calleeRemark,
            calleePhoneNumber: calleePhoneNumber,
            callerPhoneNumber: callerPhoneNumber,
            callerLocation: callerLocation,
            ivrPath: ivrPath,
            serverType: serverType,
            peerUserId: peerUserId))
    }

    /// Decoded exactly as the struct with these fields always was (absent keys are nil).
    public init(from decoder: any Decoder) throws {
        box = Box(try Fields(from: decoder))
    }

    /// Encoded exactly as the struct with these fields always was (nil fields are left out).
    public func encode(to encoder: any Encoder) throws {
        try box.fields.encode(to: encoder)
    }

    public static func == (lhs: CustomerDetails, rhs: CustomerDetails) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    private mutating func change<Value>(_ field: WritableKeyPath<Fields, Value>, to value: Value) {
        var fields = box.fields
        fields[keyPath: field] = value
        box = Box(fields)
    }

    /// The stored fields, in the order (and with the coding keys) the wire and the store use.
    private struct Fields: Codable, Equatable, Sendable {
        var nickname: String?
        var avatar: String?
        var remark: String?
        var peerSource: String?
        var channelName: String?
        var clientData: String?
        var userId: String?
        var callee: String?
        var calleeRemark: String?
        var calleePhoneNumber: String?
        var callerPhoneNumber: String?
        var callerLocation: String?
        var ivrPath: [IVRStep]?
        var serverType: String?
        var peerUserId: String?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
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
