import Testing
@testable import SwitchboardSIP

@Suite("Dialogs")
struct DialogTests {
    @Test func uasDialogFromAnInviteAndOur2xx() throws {
        let invite = Fixture.inboundInvite()
        let ok = invite.makeResponse(.ok, toTag: "sb1", contact: Fixture.agent.contact)
        let dialog = try #require(SIPDialog(uasRequest: invite, response: ok))
        #expect(dialog.id == SIPDialogID(callID: "inbound-call-1@trunk", localTag: "sb1", remoteTag: "trunk-tag"))
        #expect(dialog.state == .confirmed)
        #expect(!dialog.isCaller)
        #expect(dialog.remoteTarget == SIPURI(user: "+15551230000", host: "203.0.113.5", port: 5060))
        #expect(dialog.routeSet.map(\.uri.host) == ["203.0.113.5"], "UAS keeps Record-Route order")
        #expect(dialog.remoteSequence == 101)
        #expect(dialog.local.tag == "sb1")
        #expect(dialog.remote.displayName == "Customer")
    }

    @Test func anEarlyDialogFromA180IsConfirmedByThe2xx() throws {
        let call = Fixture.outboundCall()
        var dialog = try #require(SIPDialog(uacRequest: call.request, response: Fixture.response(.ringing, to: call.request)))
        #expect(dialog.state == .early)
        var ok = Fixture.response(.ok, to: call.request)
        ok.contacts = [SIPNameAddress(uri: SIPURI(user: "gw", host: "203.0.113.9"))]
        ok.recordRoutes = [SIPNameAddress(uri: try SIPURI(parsing: "sip:only.trunk.example.net;lr"))]
        dialog.update(with: ok)
        #expect(dialog.state == .confirmed)
        #expect(dialog.remoteTarget.host == "203.0.113.9")
        #expect(dialog.routeSet.map(\.uri.host) == ["only.trunk.example.net"], "the 2xx recomputes the route set")
        #expect(SIPDialog(uacRequest: call.request, response: Fixture.response(.ringing, to: call.request, toTag: nil)) == nil,
                "no To tag, no dialog")
    }

    @Test func uacRouteSetIsReversedAndLooseRoutingKeepsTheTargetInTheRequestURI() throws {
        let call = Fixture.outboundCall()
        let ok = Fixture.response(.ok, to: call.request)
        var dialog = try #require(SIPDialog(uacRequest: call.request, response: ok))
        #expect(dialog.routeSet.map(\.uri.host) == ["edge1.trunk.example.net", "edge2.trunk.example.net"])
        let bye = dialog.makeRequest(.bye, agent: Fixture.agent, branch: "z9hG4bKbye")
        #expect(bye.requestURI == SIPURI(user: "gw", host: "203.0.113.5"))
        #expect(bye.routes.map(\.uri.host) == ["edge1.trunk.example.net", "edge2.trunk.example.net"])
        #expect(bye.nextHop?.host == "edge1.trunk.example.net")
        #expect(dialog.nextHop.host == "edge1.trunk.example.net")
        #expect(bye.cseq == SIPCSeq(2, .bye), "one more than the INVITE")
        #expect(bye.from?.tag == "ours")
        #expect(bye.to?.tag == "theirs")
        #expect(bye.callID == "out-1")
        #expect(bye.topVia?.hasRport == true)
        #expect(bye.maxForwards == 70)
        #expect(bye.contacts.isEmpty)
        let ack = dialog.makeACK(for: ok, agent: Fixture.agent, branch: "z9hG4bKack")
        #expect(ack.cseq == SIPCSeq(1, .ack), "the ACK carries the INVITE's CSeq number")
        #expect(ack.routes == bye.routes)
    }

    @Test func strictRoutingPutsTheFirstRouteInTheRequestURI() throws {
        let call = Fixture.outboundCall()
        var ok = Fixture.response(.ok, to: call.request)
        ok.recordRoutes = [SIPNameAddress(uri: try SIPURI(parsing: "sip:loose.example.net;lr")),
                           SIPNameAddress(uri: try SIPURI(parsing: "sip:strict.example.net;method=INVITE;transport=udp"))]
        var dialog = try #require(SIPDialog(uacRequest: call.request, response: ok))
        let info = dialog.makeRequest(.info, agent: Fixture.agent, branch: "z9hG4bKinfo",
                                      body: Array("Signal=1\r\nDuration=100\r\n".utf8), contentType: "application/dtmf-relay")
        #expect(info.requestURI?.description == "sip:strict.example.net;transport=udp", "method= is not allowed in a Request-URI")
        #expect(info.routes.map(\.uri.description) == ["sip:loose.example.net;lr", "sip:gw@203.0.113.5"],
                "the rest of the route set, then the remote target")
        #expect(dialog.nextHop.host == "strict.example.net")
        #expect(info.mediaType == "application/dtmf-relay")
    }

    @Test func reInviteAndUpdateCarryContactAndRefreshTheTarget() throws {
        let invite = Fixture.inboundInvite()
        var dialog = try #require(SIPDialog(uasRequest: invite, response: invite.makeResponse(.ok, toTag: "sb1")))
        let reinvite = dialog.makeRequest(.invite, agent: Fixture.agent, branch: "z9hG4bKre", body: Fixture.offer, contentType: "application/sdp")
        #expect(reinvite.cseq == SIPCSeq(1, .invite), "the UAS side starts its own CSeq space")
        #expect(reinvite.contacts.first?.uri == Fixture.agent.contact)
        #expect(reinvite.to?.tag == "trunk-tag" && reinvite.from?.tag == "sb1")
        let update = dialog.makeRequest(.update, agent: Fixture.agent, branch: "z9hG4bKup")
        #expect(update.cseq == SIPCSeq(2, .update))

        var refresh = invite
        refresh.headers.set(.to, "<sip:+3225550100@switchboard.example.com>;tag=sb1")
        refresh.cseq = SIPCSeq(102, .invite)
        refresh.contacts = [SIPNameAddress(uri: SIPURI(user: "moved", host: "203.0.113.77"))]
        #expect(dialog.matches(refresh))
        #expect(dialog.receive(refresh) == nil)
        #expect(dialog.remoteTarget.host == "203.0.113.77")
        #expect(dialog.remoteSequence == 102)
    }

    @Test func aLowerCSeqIsRefusedWith500() throws {
        let invite = Fixture.inboundInvite()
        var dialog = try #require(SIPDialog(uasRequest: invite, response: invite.makeResponse(.ok, toTag: "sb1")))
        var old = invite
        old.startLine = .request(.info, Fixture.agent.contact)
        old.headers.set(.to, "<sip:+3225550100@switchboard.example.com>;tag=sb1")
        old.cseq = SIPCSeq(100, .info)
        let outcome = dialog.receive(old)
        let refusal = try #require(outcome)
        #expect(refusal.statusCode == 500)
        #expect(refusal.retryAfter != nil)
        #expect(dialog.remoteSequence == 101, "a refused request changes nothing")
        var ack = old
        ack.startLine = .request(.ack, Fixture.agent.contact)
        ack.cseq = SIPCSeq(101, .ack)
        #expect(dialog.receive(ack) == nil, "the ACK reuses the INVITE's CSeq and is not out of order")
    }

    @Test func requestsOfOtherDialogsDoNotMatch() {
        let invite = Fixture.inboundInvite()
        let dialog = SIPDialog(uasRequest: invite, response: invite.makeResponse(.ok, toTag: "sb1"))!
        var other = invite
        other.headers.set(.to, "<sip:+3225550100@switchboard.example.com>;tag=sb2")
        #expect(!dialog.matches(other))
        #expect(!dialog.matches(invite), "an initial INVITE has no To tag")
        #expect(SIPDialogID(receivedRequest: invite) == nil)
    }
}
