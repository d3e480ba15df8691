/// A call that ended inside an IVR flow, never queued: the caller hung up (`ivrGiveUp`), or the
/// flow hung up after its message (`ivrEnd`, `notWorkTime`).
///
/// The routing core knows a phone call only once it is queued (the flow runs in the phone
/// gateway), so this command records such a call after the fact: a session created at
/// `enteredAt` and ended now, which no agent ever saw.
public struct IVREnding: Codable, Equatable, Sendable {
    /// The flow the call was in.
    public var flowId: IVRFlowID
    /// The caller, with the choices made (`ivrPath`).
    public var customer: CustomerDetails
    /// Every key pressed in the flow.
    public var keys: String
    /// When the call entered the flow (answered).
    public var enteredAt: Timestamp
    /// `ivrGiveUp`, `ivrEnd` or `notWorkTime`.
    public var endStatus: String
    /// What kind of call it was: `phone` (the phone gateway's flows) or `voip` (a web call whose
    /// widget played the flow). Nil in journals from before web calls had flows: `phone`.
    public var type: SessionType?

    /// The session types a flow may take.
    public static let types: [SessionType] = [.phone, .voip]

    /// Creates an ending.
    public init(flowId: IVRFlowID, customer: CustomerDetails, keys: String, enteredAt: Timestamp, endStatus: String, type: SessionType? = nil) {
        self.type = type
        self.flowId = flowId
        self.customer = customer
        self.keys = keys
        self.enteredAt = enteredAt
        self.endStatus = endStatus
    }

    /// The end status of a caller who hung up in the flow.
    public static let ivrGiveUp = "ivrGiveUp"
    /// The end statuses an ending may have.
    public static let endStatuses = [ivrGiveUp] + IVRNode.hangUpStatuses
}
