import Testing
@testable import SwitchboardSIP

@Suite("The endpoint: calls end to end")
struct EndpointTests {
    @Test func inboundInviteRingingOkAckBye() throws {
        var endpoint = SIPEndpoint(seed: 1)
        let arrived = endpoint.receive(Fixture.inboundInvite(), from: Fixture.trunk, at: Fixture.time(0))
        let invite = try #require(arrived.requests.first)
        #expect(arrived.sentStatuses == [100])

        _ = endpoint.respond(invite.makeResponse(.ringing, toTag: "sb1", contact: Fixture.agent.contact), at: Fixture.time(10))
        let ok = invite.makeResponse(.ok, toTag: "sb1", contact: Fixture.agent.contact, body: Fixture.answer, contentType: "application/sdp")
        #expect(endpoint.respond(ok, at: Fixture.time(20)) == [.send(ok, to: Fixture.trunk)])
        var dialog = try #require(SIPDialog(uasRequest: invite, response: ok))

        // No ACK yet: the 2xx is retransmitted at T1, 2*T1, 4*T1...
        #expect(endpoint.tick(at: Fixture.time(520)).sent == [ok])
        #expect(endpoint.tick(at: Fixture.time(1_520)).sent == [ok])

        var ack = dialog.makeACK(for: ok, agent: Fixture.agent, branch: "z9hG4bKack")  // the trunk's ACK, mirrored
        ack.headers.set(.via, "SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bKtrunkack;rport")
        ack.headers.set(.from, invite.headers[.from]!)
        ack.headers.set(.to, ok.headers[.to]!)
        let acked = endpoint.receive(ack, from: Fixture.trunk, at: Fixture.time(1_600))
        #expect(acked.requests.map(\.method) == [.ack], "the ACK for a 2xx goes to the call logic")
        #expect(endpoint.tick(at: Fixture.time(10_000)).sent.isEmpty, "no more 2xx after the ACK")
        #expect(endpoint.receive(ack, from: Fixture.trunk, at: Fixture.time(10_100)).dropReasons.count == 1,
                "a retransmitted ACK is dropped with a reason")

        // The trunk hangs up.
        var bye = invite
        bye.startLine = .request(.bye, Fixture.agent.contact)
        bye.headers.set(.via, "SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bKtrunkbye;rport")
        bye.headers.set(.to, ok.headers[.to]!)
        bye.cseq = SIPCSeq(102, .bye)
        bye.setBody([], contentType: nil)
        let byeArrived = endpoint.receive(bye, from: Fixture.trunk, at: Fixture.time(20_000))
        let receivedBye = try #require(byeArrived.requests.first)
        #expect(dialog.matches(receivedBye))
        #expect(dialog.receive(receivedBye) == nil)
        #expect(endpoint.respond(receivedBye.makeResponse(.ok), at: Fixture.time(20_001)).sentStatuses == [200])
    }

    @Test func aNeverAcknowledged2xxIsReportedAfter64T1() throws {
        var clock = Clocked()
        let invite = clock.record(clock.endpoint.receive(Fixture.inboundInvite(), from: Fixture.trunk, at: Fixture.time(0))).requests[0]
        let ok = invite.makeResponse(.ok, toTag: "sb1", contact: Fixture.agent.contact)
        _ = clock.record(clock.endpoint.respond(ok, at: Fixture.time(0)))
        let actions = clock.run(until: 40_000)
        // 100 and 200 at 0; 2xx again at 0.5, 1.5, 3.5, 7.5, then every T2 until 32 s.
        #expect(clock.sendTimes == [0, 0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500])
        #expect(actions.last == .ackTimedOut(ok))
        #expect(clock.log.last?.at == 32_000)
    }

    @Test func cancelAnswers200AndTheInvite487() throws {
        var endpoint = SIPEndpoint(seed: 1)
        let invite = endpoint.receive(Fixture.inboundInvite(), from: Fixture.trunk, at: Fixture.time(0)).requests[0]
        _ = endpoint.respond(invite.makeResponse(.ringing, toTag: "sb1"), at: Fixture.time(10))
        var cancel = Fixture.inboundInvite()
        cancel.startLine = .request(.cancel, cancel.requestURI!)
        cancel.cseq = SIPCSeq(101, .cancel)
        cancel.setBody([], contentType: nil)
        let actions = endpoint.receive(cancel, from: Fixture.trunk, at: Fixture.time(2_000))
        #expect(actions.sentStatuses == [200, 487])
        #expect(actions.sent[0].cseq?.method == .cancel)
        #expect(actions.sent[1].cseq?.method == .invite)
        #expect(actions.sent[1].to?.tag == "sb1", "the 487 keeps the tag of the 180")
        #expect(actions.last == .cancelled(invite))
        #expect(endpoint.respond(invite.makeResponse(.ok, toTag: "sb1"), at: Fixture.time(2_100)).dropReasons.count == 1,
                "a 200 after the 487 is refused")
    }

    @Test func cancelForAnUnknownInviteGets481AndAfterTheFinalOnly200() {
        var endpoint = SIPEndpoint(seed: 1)
        var cancel = Fixture.inboundInvite(branch: "z9hG4bKnothing")
        cancel.startLine = .request(.cancel, cancel.requestURI!)
        cancel.cseq = SIPCSeq(101, .cancel)
        #expect(endpoint.receive(cancel, from: Fixture.trunk, at: Fixture.time(0)).sentStatuses == [481])

        let invite = endpoint.receive(Fixture.inboundInvite(), from: Fixture.trunk, at: Fixture.time(0)).requests[0]
        _ = endpoint.respond(invite.makeResponse(.ok, toTag: "sb1"), at: Fixture.time(10))
        var late = Fixture.inboundInvite()
        late.startLine = .request(.cancel, late.requestURI!)
        late.cseq = SIPCSeq(101, .cancel)
        let actions = endpoint.receive(late, from: Fixture.trunk, at: Fixture.time(20))
        #expect(actions.sentStatuses == [200])
        #expect(!actions.contains(.cancelled(invite)), "too late: the call was answered")
    }

    @Test func unmatchedResponsesAndAcksAreDroppedWithAReason() {
        var endpoint = SIPEndpoint(seed: 1)
        let stray = Fixture.response(.ok, to: Fixture.outboundCall().request)
        #expect(endpoint.receive(stray, from: Fixture.trunk, at: Fixture.time(0)).dropReasons
                == ["response matches no client transaction (INVITE z9hG4bKout1)"])
        var ack = Fixture.inboundInvite(branch: "z9hG4bKlost")
        ack.startLine = .request(.ack, ack.requestURI!)
        ack.cseq = SIPCSeq(101, .ack)
        #expect(endpoint.receive(ack, from: Fixture.trunk, at: Fixture.time(0)).dropReasons.first?.hasPrefix("ACK matches no transaction") == true)
    }

    @Test func responsesFollowRportAndReceived() throws {
        var endpoint = SIPEndpoint(seed: 1)
        let natted = SIPTransportAddress(host: "198.51.100.7", port: 61_000)
        let actions = endpoint.receive(Fixture.inboundInvite(), from: natted, at: Fixture.time(0))
        let invite = try #require(actions.requests.first)
        #expect(invite.topVia?.received == "198.51.100.7")
        #expect(invite.topVia?.rport == 61_000)
        guard case .send(let trying, let destination) = actions[0] else {
            Issue.record("100 Trying first")
            return
        }
        #expect(destination == natted, "sent where the request came from, not to the Via's 10.1.1.5:5060")
        #expect(trying.topVia?.rport == 61_000)
    }

    @Test func outboundInviteWithProxyAuthenticationThenAnswered() throws {
        var endpoint = SIPEndpoint(seed: 1)
        var call = Fixture.outboundCall()
        _ = endpoint.sendRequest(call.request, to: Fixture.trunk, at: Fixture.time(0))
        #expect(endpoint.receive(Fixture.response(.trying, to: call.request, toTag: nil), from: Fixture.trunk, at: Fixture.time(50)).responses.count == 1)

        var challenge = Fixture.response(.proxyAuthenticationRequired, to: call.request, toTag: "p1", contact: false)
        challenge.headers.add(.proxyAuthenticate, "Digest realm=\"trunk.example.net\", nonce=\"abc123\", qop=\"auth\", algorithm=MD5")
        let challenged = endpoint.receive(challenge, from: Fixture.trunk, at: Fixture.time(100))
        #expect(challenged.sent.map(\.method) == [.ack], "the 407 is ACKed by the transaction")
        #expect(challenged.responses == [challenge])

        let credentials = SIPDigestCredentials(username: "switchboard", password: "trunk-secret")
        let retry = try call.authenticate(after: challenge, credentials: credentials, cnonce: "cn", branch: "z9hG4bKout2")
        #expect(retry.cseq == SIPCSeq(2, .invite))
        #expect(retry.topVia?.branch == "z9hG4bKout2")
        #expect(retry.callID == "out-1")
        #expect(retry.from?.tag == "ours")
        let authorization = try SIPDigestAuthorization(parsing: try #require(retry.headers[.proxyAuthorization]), isProxy: true)
        #expect(authorization.verify(method: .invite, password: "trunk-secret"))
        #expect(authorization.uri == "sip:+15551234567@trunk.example.net")
        _ = endpoint.sendRequest(retry, to: Fixture.trunk, at: Fixture.time(150))

        let ok = Fixture.response(.ok, to: retry)
        let answered = endpoint.receive(ok, from: Fixture.trunk, at: Fixture.time(3_000))
        #expect(answered.responses == [ok], "(the retry INVITE was retransmitted meanwhile: no 100 came)")
        #expect(answered.last == .response(ok, request: retry))
        let dialog = try #require(SIPDialog(uacRequest: call.request, response: ok))
        let ack = dialog.makeACK(for: ok, agent: Fixture.agent, branch: "z9hG4bKack2")
        #expect(ack.cseq == SIPCSeq(2, .ack))
        #expect(endpoint.sendRequest(ack, to: Fixture.trunk, at: Fixture.time(3_001)) == [.send(ack, to: Fixture.trunk)])
        #expect(endpoint.receive(ok, from: Fixture.trunk, at: Fixture.time(3_500)) == [.send(ack, to: Fixture.trunk)],
                "a retransmitted 2xx is answered with the same ACK, without bothering the call logic")

        var again = challenge
        again.headers.set(.cseq, "2 INVITE")
        #expect(throws: SIPError.self, "the same nonce challenged twice means wrong credentials") {
            try call.authenticate(after: again, credentials: credentials)
        }
    }

    @Test func cancelForAnOutboundInviteMatchesItsTransaction() throws {
        var endpoint = SIPEndpoint(seed: 1)
        let call = Fixture.outboundCall()
        _ = endpoint.sendRequest(call.request, to: Fixture.trunk, at: Fixture.time(0))
        _ = endpoint.receive(Fixture.response(.ringing, to: call.request), from: Fixture.trunk, at: Fixture.time(100))
        let cancel = call.makeCancel()
        #expect(cancel.topVia == call.request.topVia)
        #expect(cancel.cseq == SIPCSeq(1, .cancel))
        #expect(cancel.to?.tag == nil)
        #expect(endpoint.sendRequest(cancel, to: Fixture.trunk, at: Fixture.time(200)).sent == [cancel])
        let cancelled = endpoint.receive(cancel.makeResponse(.ok, toTag: "theirs"), from: Fixture.trunk, at: Fixture.time(250))
        #expect(cancelled.responses.first?.cseq?.method == .cancel)
        let terminated = endpoint.receive(Fixture.response(.requestTerminated, to: call.request), from: Fixture.trunk, at: Fixture.time(300))
        #expect(terminated.sent.map(\.method) == [.ack])
        #expect(terminated.responses.first?.statusCode == 487)
    }
}
