// SwitchboardSIP: SIP (RFC 3261) for a user agent facing one carrier trunk, with no I/O of its own.
//
// How a caller drives it
// ----------------------
// The owner (a UDP service) holds one `SIPEndpoint` value and feeds it three things, each with the
// current time: datagrams it received, messages the call logic wants sent, and clock ticks. Every
// call returns `[SIPEndpoint.Action]` to perform in order; after each call the owner (re)arms one
// timer for `endpoint.nextDeadline` and calls `tick(at:)` when it fires.
//
//     var endpoint = SIPEndpoint()
//     // datagram in:
//     do {
//         let message = try SIPMessage.parse(bytes)
//         perform(endpoint.receive(message, from: source, at: now))
//     } catch let error where error.request != nil {        // invalid request: answer 400/416/505
//         send(error.request!.makeResponse(error.status!), to: source)
//     } catch { log(error) }                                 // unreadable or a keep-alive: drop
//     // call logic out:
//     perform(endpoint.sendRequest(invite, to: trunk, at: now))   // requests, ACK and CANCEL too
//     perform(endpoint.respond(invite.makeResponse(.ringing, toTag: tag), at: now))
//     // timer:
//     perform(endpoint.tick(at: now))
//
// `perform` sends `.send(message, to:)` as `message.bytes`, and hands `.request`, `.response`,
// `.cancelled`, `.timedOut` and `.ackTimedOut` to the call logic, which keeps its calls in
// `SIPDialog` values (`SIPOutgoingInvite` for calls it places) and answers with `SIPAgentProfile`
// helpers (OPTIONS, 420, session refresh) and `SIPMessage.makeResponse`. Retransmissions, 100
// Trying, ACK for failures, 2xx retransmission until ACK, and CANCEL → 487 happen inside.

/// The transaction layer and UAS core of a UDP SIP user agent, as a synchronous state machine.
///
/// Holds every client and server transaction (RFC 3261 §17), matches incoming messages to them,
/// absorbs retransmissions, runs the timers, answers CANCEL (200 to it, 487 to the INVITE), and
/// retransmits 2xx to INVITE until their ACK arrives (§13.3.1.4, RFC 6026). It does no I/O and reads
/// no clock.
public struct SIPEndpoint: Sendable {
    /// What the owner must do, in order.
    public enum Action: Hashable, Sendable {
        /// Send this message in one datagram to this address.
        case send(SIPMessage, to: SIPTransportAddress)
        /// A new request for the call logic: answer it with ``SIPEndpoint/respond(_:at:)`` (except
        /// ACK, which is never answered). Retransmissions never show up here.
        case request(SIPMessage, from: SIPTransportAddress)
        /// A response to a request sent with ``SIPEndpoint/sendRequest(_:to:at:)``, with that request.
        /// Non-2xx finals to INVITE are already ACKed.
        case response(SIPMessage, request: SIPMessage)
        /// The peer cancelled this INVITE: 200 went to the CANCEL and 487 to the INVITE.
        case cancelled(SIPMessage)
        /// A request we sent got no final response in time (Timer B or F): treat it like a 408.
        case timedOut(SIPMessage)
        /// A 2xx we sent to an INVITE was never ACKed within 64*T1: the call should be ended with BYE
        /// (§13.3.1.4).
        case ackTimedOut(SIPMessage)
        /// A message that fits nothing, with the reason; log it.
        case dropped(SIPMessage, reason: String)
    }

    /// The timer constants.
    public let timers: SIPTimerSettings
    /// Whether `receive`, `sendRequest` and `respond` first fire the timers due by their time.
    /// An owner that calls `tick(at:)` on a short period anyway turns this off: each of those
    /// calls then costs no pass over every transaction.
    public var firesTimersOnEveryCall = true
    var inviteClients: [SIPTransactionKey: ClientEntry<SIPInviteClientTransaction>] = [:]
    var nonInviteClients: [SIPTransactionKey: ClientEntry<SIPNonInviteClientTransaction>] = [:]
    var inviteServers: [SIPTransactionKey: ServerEntry<SIPInviteServerTransaction>] = [:]
    var nonInviteServers: [SIPTransactionKey: ServerEntry<SIPNonInviteServerTransaction>] = [:]
    var unacknowledged: [AcceptedKey: UnacknowledgedSuccess] = [:]
    var generator: SIPSeededGenerator

    struct ClientEntry<T: Sendable>: Sendable {
        var transaction: T
        var destination: SIPTransportAddress
    }

    struct ServerEntry<T: Sendable>: Sendable {
        var transaction: T
        var destination: SIPTransportAddress
    }

    struct AcceptedKey: Hashable, Sendable {
        var callID: String
        var sequence: UInt32
    }

    /// A 2xx to INVITE waiting for its ACK: retransmitted at T1, 2*T1... capped at T2.
    struct UnacknowledgedSuccess: Sendable {
        var response: SIPMessage
        var destination: SIPTransportAddress
        var nextRetransmission: SIPTime
        var interval: Int64
        var giveUp: SIPTime
    }

    /// Creates an empty endpoint. The seed feeds the tags it makes itself (on 487 responses).
    public init(timers: SIPTimerSettings = .init(), seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.timers = timers
        generator = SIPSeededGenerator(seed: seed)
    }

    /// How many transactions and unacknowledged 2xx are live (for metrics and tests).
    public var activeCount: Int {
        inviteClients.count + nonInviteClients.count + inviteServers.count + nonInviteServers.count + unacknowledged.count
    }

    /// When ``tick(at:)`` must next be called; nil when nothing is pending.
    public var nextDeadline: SIPTime? {
        var deadlines: [SIPTime] = []
        deadlines += inviteClients.values.compactMap(\.transaction.nextDeadline)
        deadlines += nonInviteClients.values.compactMap(\.transaction.nextDeadline)
        deadlines += inviteServers.values.compactMap(\.transaction.nextDeadline)
        deadlines += nonInviteServers.values.compactMap(\.transaction.nextDeadline)
        deadlines += unacknowledged.values.map { min($0.nextRetransmission, $0.giveUp) }
        return deadlines.min()
    }
}
