/// The `callIn` payload: a session ringing at the agent, with the fields of its type.
///
/// Every type has `sessionId`, `type` and `timeout`; the other fields belong to some types
/// (see the factory methods in `CallIn+Types.swift`) and are left out of the JSON when nil.
public struct CallIn: Sendable, Codable, Equatable, Hashable {
    /// The session.
    public var sessionId: String
    /// Its type.
    public var type: SessionType
    /// Seconds left to accept; 0 means no timeout.
    public var timeout: Int

    /// im, voip, video: the customer's nickname (required for im).
    public var nickname: String?
    /// im, voip, video: the customer's avatar URL.
    public var avatar: String?
    /// im, phone, voip, video: remarks about the customer.
    public var remark: String?
    /// im, voip: where the customer came from (the channel source).
    public var peerSource: String?
    /// im: the custom parameter `channelName`.
    public var channelName: String?
    /// im: user-defined data passed by the customer's page.
    public var clientData: String?

    /// phone: the number the customer called.
    public var calleePhoneNumber: String?
    /// phone: the customer's number, when known.
    public var callerPhoneNumber: String?
    /// phone: where the customer's number is registered.
    public var callerLocation: String?
    /// phone (required), voip: the IVR keys the customer pressed to get here.
    public var ivrPath: [IVRStep]?
    /// phone: which kind of seat line took the call, as TCCC's `serverType`.
    public var serverType: String?

    /// voip: the entry the customer called.
    public var callee: String?
    /// voip: remarks about that entry.
    public var calleeRemark: String?
    /// voip, video: the customer's user id.
    public var userId: String?

    /// internal: the agent calling.
    public var peerUserId: String?

    /// Creates an offer with only the common fields; set the fields of its type afterwards, or use a factory method.
    public init(sessionId: String, type: SessionType, timeout: Int) {
        self.sessionId = sessionId
        self.type = type
        self.timeout = timeout
    }

    /// One step of an IVR path: the key pressed and what it meant.
    public struct IVRStep: Sendable, Codable, Equatable, Hashable {
        /// The key pressed, e.g. `"2"`.
        public var key: String
        /// What the key chose, e.g. `"Billing"`.
        public var label: String

        /// Creates a step.
        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }
}
