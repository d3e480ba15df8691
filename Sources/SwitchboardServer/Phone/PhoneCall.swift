import SwitchboardCore
import SwitchboardSIP

/// One telephone call the gateway carries: its session, its SIP side towards the carrier and its
/// media in rtpengine.
///
/// rtpengine knows each call by the SIP Call-ID and its two legs by fixed tags: `carrier` (the
/// telephone network) and `agent` (whichever agent's browser holds the call now; a transfer
/// re-binds the same leg to the next browser, so the carrier-facing port never changes).
struct PhoneCall: Sendable {
    /// Where the call is on its SIP side.
    enum Stage: Sendable, Equatable {
        /// Inbound, answered at once or waiting for an agent to accept (`ringing`), or outbound
        /// waiting for the agent's browser to make its offer (`awaitingAgentOffer`).
        case ringing
        case awaitingAgentOffer
        /// Outbound: the INVITE is out; `provisional` once the carrier answered 1xx (CANCEL allowed).
        case inviting(provisional: Bool)
        /// The carrier leg is up (200 sent or received and ACKed).
        case established
    }

    static let carrierTag = "carrier"
    static let agentTag = "agent"

    /// The routing session; a provisional `ivr-N` while the call is in an IVR flow.
    var session: SessionID
    let direction: CallDirection
    /// The SIP Call-ID of the carrier leg, also rtpengine's call-id.
    let callId: String
    /// Where the carrier's requests came from or ours go.
    let peer: SIPTransportAddress
    var stage: Stage
    /// The INVITE received (inbound) or the outgoing INVITE and its auth state (outbound).
    var inboundInvite: SIPMessage?
    var outboundInvite: SIPOutgoingInvite?
    /// The 200 OK held back until an agent accepts (numbers that ring until answered).
    var heldAnswer: SIPMessage?
    /// The dialog with the carrier, once there is one.
    var dialog: SIPDialog?
    /// The carrier's SDP (its offer inbound, its answer outbound): re-used to attach each browser.
    var carrierSDP: String?
    /// The SDP we gave the carrier (for session refreshes).
    var localSDP: String?
    /// Whether the agent's browser has its answer (outbound: waiting for the carrier's SDP).
    var browserAnswered = false
    /// Whether an agent's browser holds the agent leg now (false again after a transfer).
    var agentAttached = false
    /// Whether queue or hold audio plays to the caller now.
    var playing = false
    var onHold = false
    /// The session ended while the outbound INVITE had no provisional answer: CANCEL on the first one.
    var cancelWhenProvisional = false
    /// Outbound: when it gives up ringing (`notAnswer`); or the deadline for the browser's offer.
    var deadline: SIPTime?
    /// Outbound: the number dialled and the number presented.
    var calleeNumber: String?
    var callerNumber: String?
    /// Outbound: user-to-user information for the trunk (TCCC's `uui`), at most 128 bytes.
    var uui: String?
    /// The session has ended; the carrier leg is being closed (CANCEL or BYE sent).
    var ending = false
    /// Outbound: digest challenges answered so far (a trunk that keeps challenging is refused).
    var challenges = 0
    /// A recording of this call exists (started when the agent answered; see `PhoneRecording`).
    var recorded = false
    /// rtpengine is capturing the call's media now (false while on hold).
    var capturing = false
    /// Caller digits recorded; a carrier flooding digits is not let grow the journal without end.
    var digitsRecorded = 0
    static let maximumDigits = 256
}
