import Testing
@testable import SwitchboardSIP

@Suite("Transaction timers on a virtual clock")
struct TransactionTests {
    @Test func inviteClientRetransmitsOnTimerADoublingAndTimesOutOnTimerB() {
        var clock = Clocked()
        let invite = Fixture.outboundCall().request
        #expect(clock.record(clock.endpoint.sendRequest(invite, to: Fixture.trunk, at: Fixture.time(0))).sent == [invite])
        let actions = clock.run(until: 40_000)
        // Timer A: T1, then doubling (no T2 cap for INVITE): 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s.
        #expect(clock.sendTimes == [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500])
        #expect(actions.last == .timedOut(invite), "Timer B at 64*T1 = 32 s")
        #expect(clock.log.last?.at == 32_000)
        #expect(clock.endpoint.activeCount == 0)
    }

    @Test func aProvisionalResponseStopsInviteRetransmissionAndTimerB() {
        var clock = Clocked()
        let invite = Fixture.outboundCall().request
        _ = clock.record(clock.endpoint.sendRequest(invite, to: Fixture.trunk, at: Fixture.time(0)))
        _ = clock.run(until: 600)
        let ringing = Fixture.response(.ringing, to: invite)
        let delivered = clock.endpoint.receive(ringing, from: Fixture.trunk, at: Fixture.time(700))
        #expect(delivered == [.response(ringing, request: invite)])
        #expect(clock.run(until: 120_000).isEmpty, "no retransmission and no timeout while proceeding")
        #expect(clock.sendTimes == [0, 500])
    }

    @Test func inviteClientAcksAFailureItselfAndAbsorbsItsRetransmissions() throws {
        var endpoint = SIPEndpoint(seed: 1)
        let invite = Fixture.outboundCall().request
        _ = endpoint.sendRequest(invite, to: Fixture.trunk, at: Fixture.time(0))
        let busy = Fixture.response(.busyHere, to: invite)
        let first = endpoint.receive(busy, from: Fixture.trunk, at: Fixture.time(100))
        let ack = try #require(first.sent.first)
        #expect(ack.method == .ack)
        #expect(ack.cseq == SIPCSeq(1, .ack))
        #expect(ack.topVia?.branch == "z9hG4bKout1", "the ACK for a failure is part of the INVITE transaction")
        #expect(ack.to?.tag == "theirs")
        #expect(ack.requestURI == invite.requestURI)
        #expect(first.responses == [busy])
        let again = endpoint.receive(busy, from: Fixture.trunk, at: Fixture.time(600))
        #expect(again == [.send(ack, to: Fixture.trunk)], "retransmitted 486: ACK again, not delivered twice")
        // Timer D: 32 s later the transaction is gone.
        _ = endpoint.tick(at: Fixture.time(100 + 32_000))
        #expect(endpoint.activeCount == 0)
    }

    @Test func nonInviteClientUsesTimerECappedAtT2AndTimerF() {
        var clock = Clocked()
        var dialog = SIPDialog(uasRequest: Fixture.inboundInvite(), response: Fixture.inboundInvite().makeResponse(.ok, toTag: "sb1"))!
        let bye = dialog.makeRequest(.bye, agent: Fixture.agent, branch: "z9hG4bKbye")
        _ = clock.record(clock.endpoint.sendRequest(bye, to: Fixture.trunk, at: Fixture.time(0)))
        let actions = clock.run(until: 40_000)
        // Timer E: 0.5, 1.5, 3.5, then every T2 = 4 s until Timer F at 32 s.
        #expect(clock.sendTimes == [0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500])
        #expect(actions.last == .timedOut(bye))
    }

    @Test func nonInviteClientRetransmitsEveryT2AfterAProvisionalThenAbsorbsForTimerK() {
        var clock = Clocked()
        let options = SIPMessage(method: .options, uri: SIPURI(host: "trunk.example.net"), headers: [
            (.via, "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKopt;rport"), (.from, "<sip:sb@192.0.2.10>;tag=o1"),
            (.to, "<sip:trunk.example.net>"), (.callID, "ka-1"), (.cseq, "1 OPTIONS"), (.maxForwards, "70"),
        ])
        _ = clock.record(clock.endpoint.sendRequest(options, to: Fixture.trunk, at: Fixture.time(0)))
        _ = clock.record(clock.endpoint.receive(options.makeResponse(SIPStatus(code: 182)), from: Fixture.trunk, at: Fixture.time(100)))
        _ = clock.run(until: 9_000)
        #expect(clock.sendTimes == [0, 500, 4_500, 8_500], "after a provisional, E fires every T2")
        let ok = options.makeResponse(.ok, toTag: "t")
        #expect(clock.endpoint.receive(ok, from: Fixture.trunk, at: Fixture.time(9_000)).responses == [ok])
        #expect(clock.endpoint.receive(ok, from: Fixture.trunk, at: Fixture.time(9_100)).isEmpty, "retransmitted 200 absorbed")
        _ = clock.run(until: 9_000 + 5_000)
        #expect(clock.endpoint.activeCount == 0, "Timer K = T4")
    }

    @Test func inviteServerSendsTryingAtOnceAndResendsTheLastProvisional() {
        var endpoint = SIPEndpoint(seed: 1)
        let invite = Fixture.inboundInvite()
        let first = endpoint.receive(invite, from: Fixture.trunk, at: Fixture.time(0))
        #expect(first.sentStatuses == [100])
        #expect(first.requests.count == 1)
        let again = endpoint.receive(invite, from: Fixture.trunk, at: Fixture.time(500))
        #expect(again.sentStatuses == [100])
        #expect(again.requests.isEmpty, "a retransmission never reaches the call logic")
        let received = first.requests[0]
        _ = endpoint.respond(received.makeResponse(.ringing, toTag: "sb1"), at: Fixture.time(600))
        #expect(endpoint.receive(invite, from: Fixture.trunk, at: Fixture.time(1_000)).sentStatuses == [180])
    }

    @Test func inviteServerRetransmitsAFailureOnTimerGUntilTheACK() throws {
        var clock = Clocked()
        let invite = Fixture.inboundInvite()
        let received = clock.record(clock.endpoint.receive(invite, from: Fixture.trunk, at: Fixture.time(0))).requests[0]
        let busy = received.makeResponse(.busyHere, toTag: "sb1")
        _ = clock.record(clock.endpoint.respond(busy, at: Fixture.time(0)))
        _ = clock.run(until: 12_000)
        // 100 and 486 at 0, then Timer G: 0.5, 1.5, 3.5, 7.5, 11.5 (interval capped at T2).
        #expect(clock.sendTimes == [0, 0, 500, 1_500, 3_500, 7_500, 11_500])
        var ack = SIPMessage(method: .ack, uri: invite.requestURI!)
        ack.headers = [(.via, "SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bKtrunk1;rport"), (.from, invite.headers[.from]!),
                       (.to, busy.headers[.to]!), (.callID, invite.callID!), (.cseq, "101 ACK"), (.maxForwards, "70")]
        #expect(clock.record(clock.endpoint.receive(ack, from: Fixture.trunk, at: Fixture.time(12_000))).isEmpty,
                "the ACK for a failure is absorbed by the transaction")
        _ = clock.run(until: 40_000)
        #expect(clock.sendTimes.count == 7, "no retransmission after the ACK")
        #expect(clock.endpoint.activeCount == 0, "Timer I ended it")
    }

    @Test func inviteServerGivesUpOnTimerHWhenTheACKNeverComes() {
        var clock = Clocked()
        let received = clock.record(clock.endpoint.receive(Fixture.inboundInvite(), from: Fixture.trunk, at: Fixture.time(0))).requests[0]
        _ = clock.record(clock.endpoint.respond(received.makeResponse(.busyHere, toTag: "sb1"), at: Fixture.time(0)))
        _ = clock.run(until: 60_000)
        #expect(clock.sendTimes.last == 31_500)
        #expect(clock.endpoint.activeCount == 0, "Timer H at 64*T1")
    }

    @Test func nonInviteServerResendsItsFinalResponseUntilTimerJ() {
        var endpoint = SIPEndpoint(seed: 1)
        var dialogRequest = Fixture.inboundInvite()
        dialogRequest.startLine = .request(.bye, dialogRequest.requestURI!)
        dialogRequest.cseq = SIPCSeq(102, .bye)
        dialogRequest.headers.set(.via, "SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bKbye1;rport")
        let delivered = endpoint.receive(dialogRequest, from: Fixture.trunk, at: Fixture.time(0))
        #expect(delivered.requests.count == 1)
        #expect(delivered.sent.isEmpty, "no 100 Trying for non-INVITE")
        #expect(endpoint.receive(dialogRequest, from: Fixture.trunk, at: Fixture.time(100)).isEmpty, "absorbed while trying")
        _ = endpoint.respond(delivered.requests[0].makeResponse(.ok), at: Fixture.time(200))
        #expect(endpoint.receive(dialogRequest, from: Fixture.trunk, at: Fixture.time(300)).sentStatuses == [200])
        _ = endpoint.tick(at: Fixture.time(200 + 32_000))
        #expect(endpoint.activeCount == 0)
        #expect(endpoint.receive(dialogRequest, from: Fixture.trunk, at: Fixture.time(40_000)).requests.count == 1,
                "after Timer J the same request is new again")
    }

    @Test func timerSettingsAreConfigurable() {
        var endpoint = SIPEndpoint(timers: SIPTimerSettings(t1: 100, t2: 400, t4: 1_000), seed: 1)
        _ = endpoint.sendRequest(Fixture.outboundCall().request, to: Fixture.trunk, at: Fixture.time(0))
        #expect(endpoint.nextDeadline == Fixture.time(100))
        let timedOut = endpoint.tick(at: Fixture.time(6_400))
        #expect(timedOut.last == .timedOut(Fixture.outboundCall().request), "Timer B = 64*T1 = 6.4 s")
    }
}
