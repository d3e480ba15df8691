import Testing
@testable import SwitchboardSIP

@Suite("UAS helpers")
struct UserAgentTests {
    func request(_ method: SIPMethod, extra: [(SIPHeaderName, String)] = []) -> SIPMessage {
        var message = SIPMessage(method: method, uri: Fixture.agent.contact, headers: [
            (.via, "SIP/2.0/UDP 10.1.1.5:5060;branch=z9hG4bKx;rport"), (.from, "<sip:gw@trunk.example.net>;tag=t"),
            (.to, "<sip:switchboard@192.0.2.10>;tag=sb1"), (.callID, "c"), (.cseq, "5 \(method)"), (.maxForwards, "70"),
            (.contact, "<sip:gw@203.0.113.5>"),
        ])
        message.headers.fields += extra.map { SIPHeaderField($0.0, $0.1) }
        return message
    }

    @Test func optionsIsAnsweredWithAllowAcceptAndSupported() {
        let answer = Fixture.agent.answerOptions(request(.options), toTag: "o")
        #expect(answer.statusCode == 200)
        #expect(answer.allow == [.invite, .ack, .bye, .cancel, .options, .info, .update])
        #expect(answer.headers.values(.accept) == ["application/sdp", "application/dtmf-relay"])
        #expect(answer.supported == ["timer"])
    }

    @Test func onlyUnsupportedRequiredExtensionsAreRefused() {
        #expect(Fixture.agent.rejectUnsupportedExtensions(request(.invite, extra: [(.require, "timer")])) == nil)
        let refused = Fixture.agent.rejectUnsupportedExtensions(request(.invite, extra: [(.require, "timer, 100rel")]))
        #expect(refused?.statusCode == 420)
        #expect(refused?.unsupported == ["100rel"], "100rel is not implemented, so it is not claimed")
        #expect(Fixture.agent.rejectDisallowedMethod(request(.subscribe))?.statusCode == 405)
        #expect(Fixture.agent.rejectDisallowedMethod(request(.bye)) == nil)
    }

    @Test func aSessionRefreshEchoesSessionExpiresWithARefresher() throws {
        let invite = Fixture.inboundInvite()
        let dialog = try #require(SIPDialog(uasRequest: invite, response: invite.makeResponse(.ok, toTag: "sb1")))
        let refresh = request(.invite, extra: [(.sessionExpires, "1800"), (.supported, "timer")])
        let answer = Fixture.agent.answerRefresh(refresh, dialog: dialog, sdp: Fixture.offer)
        #expect(answer.statusCode == 200)
        #expect(answer.headers[.sessionExpires] == "1800;refresher=uac")
        #expect(answer.require == ["timer"])
        #expect(answer.body == Fixture.offer)
        #expect(answer.contacts.first?.uri == Fixture.agent.contact)

        let chosen = Fixture.agent.answerRefresh(request(.update, extra: [(.sessionExpires, "600;refresher=uas")]), dialog: dialog, sdp: nil)
        #expect(chosen.headers[.sessionExpires] == "600;refresher=uas")
        #expect(chosen.require.isEmpty)
        #expect(chosen.body.isEmpty && chosen.contentType == nil)

        let withoutTimerSupport = Fixture.agent.answerRefresh(request(.update, extra: [(.sessionExpires, "600")]), dialog: dialog, sdp: nil)
        #expect(withoutTimerSupport.headers[.sessionExpires] == "600;refresher=uas", "a UAC without timer support cannot refresh")

        let tooSmall = Fixture.agent.answerRefresh(request(.invite, extra: [(.sessionExpires, "30")]), dialog: dialog, sdp: Fixture.offer)
        #expect(tooSmall.statusCode == 422)
        #expect(tooSmall.headers[.minSE] == "90")
    }

    @Test(arguments: [
        ("Signal=5\r\nDuration=160\r\n", Character("5"), 160 as Int?),
        ("Signal= *\nDuration= 250", "*", 250),
        ("signal=#", "#", nil),
        ("Signal=11\r\nDuration=100", "#", 100),
        ("Signal=d\r\n", "D", nil),
    ])
    func dtmfRelayBodies(body: String, digit: Character, duration: Int?) throws {
        let relay = try #require(SIPDTMFRelay(body: Array(body.utf8)))
        #expect(relay.digit == digit)
        #expect(relay.duration == duration)
    }

    @Test func dtmfRelayRejectsOtherBodies() {
        #expect(SIPDTMFRelay(body: Array("Signal=X\r\n".utf8)) == nil)
        #expect(SIPDTMFRelay(body: Array("Duration=100".utf8)) == nil)
        var info = request(.info)
        info.setBody(Array("Signal=5".utf8), contentType: "application/sdp")
        #expect(SIPDTMFRelay(info: info) == nil, "only application/dtmf-relay carries digits")
    }

    @Test func receivedAndRportAreStampedPerRFC3581() {
        var asked = request(.options)
        asked.stampReceived(from: SIPTransportAddress(host: "198.51.100.7", port: 61_000))
        #expect(asked.topVia?.received == "198.51.100.7")
        #expect(asked.topVia?.rport == 61_000)
        #expect(asked.responseAddress == SIPTransportAddress(host: "198.51.100.7", port: 61_000))

        var plain = request(.options)
        plain.headers.set(.via, "SIP/2.0/UDP 10.1.1.5:5070;branch=z9hG4bKx, SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKy")
        plain.stampReceived(from: SIPTransportAddress(host: "10.1.1.5", port: 5070))
        #expect(plain.topVia?.received == nil, "same host and no rport: nothing to add")
        plain.stampReceived(from: SIPTransportAddress(host: "198.51.100.8", port: 5070))
        #expect(plain.topVia?.received == "198.51.100.8")
        #expect(plain.topVia?.hasRport == false)
        #expect(plain.via.count == 2, "only the top Via changes")
        #expect(plain.responseAddress == SIPTransportAddress(host: "198.51.100.8", port: 5070))
    }
}
