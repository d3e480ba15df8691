@testable import SwitchboardSIP

/// Addresses and messages shared by the transaction, endpoint and dialog tests.
enum Fixture {
    static let trunk = SIPTransportAddress(host: "203.0.113.5", port: 5060)
    static let agent = SIPAgentProfile(viaHost: "192.0.2.10", viaPort: 5060,
                                       contact: SIPURI(user: "switchboard", host: "192.0.2.10", port: 5060))
    static let offer = Array("v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n".utf8)
    static let answer = Array("v=0\r\no=- 2 2 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 50000 RTP/AVP 0\r\n".utf8)

    /// An INVITE from the trunk, as received (its Via asks for rport).
    static func inboundInvite(branch: String = "z9hG4bKtrunk1", cseq: UInt32 = 101, recordRoute: Bool = true) -> SIPMessage {
        let text = """
        INVITE sip:+3225550100@192.0.2.10:5060 SIP/2.0\r
        Via: SIP/2.0/UDP 10.1.1.5:5060;branch=\(branch);rport\r
        \(recordRoute ? "Record-Route: <sip:203.0.113.5;lr>\r\n" : "")\
        Max-Forwards: 69\r
        From: "Customer" <sip:+15551230000@trunk.example.net>;tag=trunk-tag\r
        To: <sip:+3225550100@switchboard.example.com>\r
        Call-ID: inbound-call-1@trunk\r
        CSeq: \(cseq) INVITE\r
        Contact: <sip:+15551230000@203.0.113.5:5060>\r
        Supported: timer\r
        Content-Type: application/sdp\r
        \r
        v=0\r

        """
        return try! SIPMessage.parse(text)
    }

    /// Our outbound INVITE with fixed identifiers.
    static func outboundCall() -> SIPOutgoingInvite {
        SIPOutgoingInvite(
            to: SIPNameAddress(uri: SIPURI(user: "+15551234567", host: "trunk.example.net")),
            from: SIPNameAddress(displayName: "Switchboard", uri: SIPURI(user: "agent7", host: "switchboard.example.com")),
            agent: agent, sdp: offer, callID: "out-1", fromTag: "ours", branch: "z9hG4bKout1"
        )
    }

    /// A response from the trunk to a request we sent.
    static func response(_ status: SIPStatus, to request: SIPMessage, toTag: String? = "theirs", contact: Bool = true) -> SIPMessage {
        var response = request.makeResponse(status, toTag: toTag, contact: contact ? SIPURI(user: "gw", host: "203.0.113.5") : nil)
        if status.isSuccess || status.code == 180 {
            response.headers.add(.recordRoute, "<sip:edge2.trunk.example.net;lr>")
            response.headers.add(.recordRoute, "<sip:edge1.trunk.example.net;lr>")
        }
        return response
    }

    static func time(_ milliseconds: Int64) -> SIPTime { SIPTime(milliseconds: milliseconds) }
}

extension [SIPEndpoint.Action] {
    /// The messages sent, in order.
    var sent: [SIPMessage] {
        compactMap { if case .send(let message, _) = $0 { return message } else { return nil } }
    }

    /// The status codes of the responses sent.
    var sentStatuses: [Int] { sent.compactMap(\.statusCode) }

    /// The requests handed to the call logic.
    var requests: [SIPMessage] {
        compactMap { if case .request(let message, _) = $0 { return message } else { return nil } }
    }

    /// The responses handed to the call logic.
    var responses: [SIPMessage] {
        compactMap { if case .response(let message, _) = $0 { return message } else { return nil } }
    }

    /// The reasons of dropped messages.
    var dropReasons: [String] {
        compactMap { if case .dropped(_, let reason) = $0 { return reason } else { return nil } }
    }
}

/// Drives an endpoint on a virtual clock, ticking at every deadline up to a time.
struct Clocked {
    var endpoint = SIPEndpoint(seed: 1)
    var now: Int64 = 0
    /// Every send, with the time it happened.
    var log: [(at: Int64, action: SIPEndpoint.Action)] = []

    mutating func record(_ actions: [SIPEndpoint.Action]) -> [SIPEndpoint.Action] {
        log += actions.map { (now, $0) }
        return actions
    }

    /// Advances to `target`, ticking at each deadline on the way; returns what the ticks did.
    mutating func run(until target: Int64) -> [SIPEndpoint.Action] {
        var actions: [SIPEndpoint.Action] = []
        while let deadline = endpoint.nextDeadline, deadline.milliseconds <= target {
            now = deadline.milliseconds
            actions += record(endpoint.tick(at: deadline))
        }
        now = target
        return actions
    }

    /// The times at which messages were sent.
    var sendTimes: [Int64] {
        log.compactMap { if case .send = $0.action { return $0.at } else { return nil } }
    }
}
