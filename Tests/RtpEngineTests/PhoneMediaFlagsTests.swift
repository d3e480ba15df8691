import Testing

@testable import RtpEngine

@Suite("phone media: flag sets, telephone-event numbers, query counters")
struct PhoneMediaFlagsTests {
    @Test("a browser's offer makes rtpengine decide ICE roles afresh and stay the DTLS server")
    func browserOfferFlags() {
        let offer = RtpEngineFlags.agentAttachOffer.entries
        #expect(offer["flags"]?.list?.compactMap(\.string) == ["port latching", "reset"])
        #expect(offer["DTLS-reverse"]?.string == "passive")
        #expect(offer["ICE"]?.string == "remove")
        #expect(offer["DTLS"]?.string == "off")
        let withDigits = (RtpEngineFlags.agentAttachOffer + .injectDTMF).entries
        #expect(withDigits["flags"]?.list?.compactMap(\.string) == ["port latching", "reset", "inject DTMF"])
    }

    // Chromium 120-ish audio offer (shortened) and a carrier's INVITE.
    private let browserSDP = [
        "v=0", "o=- 4611 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0",
        "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc", "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111", "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000", "a=rtpmap:13 CN/8000", "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000", "a=ssrc:101 cname:x", "",
    ].joined(separator: "\r\n")
    private let carrierSDP = [
        "v=0", "o=carrier 1 1 IN IP4 127.0.0.1", "s=carrier", "c=IN IP4 127.0.0.1", "t=0 0",
        "m=audio 40000 RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "",
    ].joined(separator: "\r\n")

    @Test("the browser's telephone-event gets the carrier's number, and back")
    func telephoneEventNumbers() throws {
        #expect(TelephoneEventPayloadTypes.telephoneEvent(in: browserSDP) == 126)
        #expect(TelephoneEventPayloadTypes.telephoneEvent(in: carrierSDP) == 101)
        let numbers = try #require(TelephoneEventPayloadTypes(browserSDP: browserSDP, carrierSDP: carrierSDP))
        let toRtpEngine = numbers.apply(to: browserSDP)
        #expect(toRtpEngine.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 101\r\n"))
        #expect(toRtpEngine.contains("a=rtpmap:101 telephone-event/8000\r\n"))
        #expect(!toRtpEngine.contains("a=rtpmap:126"))
        #expect(toRtpEngine.contains("a=ssrc:101 cname:x"))  // not a payload type
        #expect(TelephoneEventPayloadTypes.telephoneEvent(in: toRtpEngine) == 101)
        #expect(numbers.apply(to: toRtpEngine) == browserSDP)

        // rtpengine's answer to the browser, in the numbers it was given.
        let answer = "v=0\r\nm=audio 30000 UDP/TLS/RTP/SAVPF 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
        #expect(numbers.apply(to: answer) == "v=0\r\nm=audio 30000 UDP/TLS/RTP/SAVPF 0 126\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:126 telephone-event/8000\r\na=fmtp:126 0-16\r\n")
    }

    @Test("a number the browser uses for something else is swapped, not duplicated")
    func telephoneEventCollision() throws {
        let browser = "m=audio 9 RTP/SAVPF 101 126\na=rtpmap:101 opus/48000/2\na=fmtp:101 minptime=10\na=rtpmap:126 telephone-event/8000\n"
        let numbers = try #require(TelephoneEventPayloadTypes(browserSDP: browser, carrierSDP: carrierSDP))
        #expect(numbers.apply(to: browser) == "m=audio 9 RTP/SAVPF 126 101\na=rtpmap:126 opus/48000/2\na=fmtp:126 minptime=10\na=rtpmap:101 telephone-event/8000\n")
    }

    @Test("nothing to align without telephone-event on both sides or with the same number")
    func telephoneEventNothingToDo() {
        let noEvents = "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        #expect(TelephoneEventPayloadTypes(browserSDP: browserSDP, carrierSDP: noEvents) == nil)
        #expect(TelephoneEventPayloadTypes(browserSDP: noEvents, carrierSDP: carrierSDP) == nil)
        #expect(TelephoneEventPayloadTypes(browserSDP: carrierSDP, carrierSDP: carrierSDP) == nil)
    }

    @Test("a browser leg's rtcp-mux stream (flagged RTP and RTCP) counts as RTP")
    func rtcpMuxStreamCounts() {
        // Shape of rtpengine 10.5's `query` answer during a live browser call.
        let answer: [String: NGValue] = [
            "result": "ok",
            "tags": [
                "carrier": ["tag": "carrier", "medias": [[
                    "index": 1, "type": "audio", "protocol": "RTP/AVP", "codec": "PCMU/8000",
                    "streams": [
                        ["local port": 30002, "flags": ["RTP", "filled"], "stats": ["packets": 126, "bytes": 21672, "errors": 0]],
                        ["local port": 30003, "flags": ["RTCP", "filled"], "stats": ["packets": 3, "bytes": 300, "errors": 0]],
                    ],
                ]]],
                "agent": ["tag": "agent", "medias": [[
                    "index": 1, "type": "audio", "protocol": "UDP/TLS/RTP/SAVPF", "codec": "PCMU/8000",
                    "flags": ["rtcp-mux", "DTLS-SRTP", "ICE"],
                    "streams": [
                        ["local port": 30000, "flags": ["RTP", "RTCP", "filled", "ICE"], "stats": ["packets": 100, "bytes": 17200, "errors": 0]],
                        ["local port": 30001, "flags": ["RTCP", "fallback RTCP", "filled", "ICE"], "stats": ["packets": 0, "bytes": 0, "errors": 0]],
                    ],
                ]]],
            ],
        ]
        let statistics = CallStatistics(answer: answer)
        #expect(statistics.participants["agent"]?.rtpPacketsReceived == 100)
        #expect(statistics.participants["agent"]?.rtpBytesReceived == 17200)
        #expect(statistics.participants["carrier"]?.rtpPacketsReceived == 126)
        #expect(statistics.participants["agent"]?.medias.first?.streams.map(\.isRTCP) == [false, true])
    }
}
