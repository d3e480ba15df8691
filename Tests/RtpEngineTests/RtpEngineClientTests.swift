import NIOCore
import Testing

@testable import RtpEngine

@Suite("ng client against a scripted UDP peer")
struct RtpEngineClientTests {
    private func client(for fake: FakeRtpEngine, timeout: Duration = .seconds(2), retry: Duration = .milliseconds(100), encoding: NGEncoding = .bencode) async throws -> RtpEngineClient {
        var configuration = RtpEngineClient.Configuration(ngAddress: fake.address)
        configuration.timeout = timeout
        configuration.retryInterval = retry
        configuration.encoding = encoding
        return try await RtpEngineClient.connect(to: configuration)
    }

    @Test("a ping is answered, and each request gets its own cookie")
    func pingAndCookies() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in ["result": "pong"] }
        let client = try await client(for: fake)
        try await client.ping()
        try await client.ping()
        let cookies = fake.received.map(\.cookie)
        #expect(cookies.count == 2)
        #expect(Set(cookies).count == 2)
        #expect(fake.received.first?.document["command"]?.string == "ping")
        await client.close()
        await fake.close()
    }

    @Test("a lost request is resent with the same cookie and its answer is used")
    func retryKeepsCookie() async throws {
        let fake = try await FakeRtpEngine.start { message, attempt in
            attempt == 1 ? nil : ["result": "ok", "sdp": "v=0\r\n"]
        }
        let client = try await client(for: fake)
        let sdp = try await client.offer(callId: "c1", fromTag: "carrier", sdp: "v=0\r\n", flags: .carrierFacing)
        #expect(sdp == "v=0\r\n")
        let received = fake.received
        #expect(received.count == 2)
        #expect(received[0].cookie == received[1].cookie)
        #expect(received[0].document == received[1].document)
        await client.close()
        await fake.close()
    }

    @Test("result error becomes a thrown error carrying rtpengine's reason")
    func errorResult() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in ["result": "error", "error-reason": "Unknown call-id"] }
        let client = try await client(for: fake)
        let error = await #expect(throws: RtpEngineError.self) { _ = try await client.query(callId: "nope") }
        #expect(error?.code == .rejected)
        #expect(error?.reason == "Unknown call-id")
        #expect(error?.message.contains("'query' for call nope") == true)
        await client.close()
        await fake.close()
    }

    @Test("load limit is its own error")
    func loadLimit() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in ["result": "load limit", "message": "Parallel session limit reached"] }
        let client = try await client(for: fake)
        let error = await #expect(throws: RtpEngineError.self) { try await client.ping() }
        #expect(error?.code == .loadLimit)
        #expect(error?.reason == "Parallel session limit reached")
        await client.close()
        await fake.close()
    }

    @Test("no answer at all ends in a timeout error after several resends of one cookie")
    func timeout() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in nil }
        let client = try await client(for: fake, timeout: .milliseconds(500), retry: .milliseconds(100))
        let started = ContinuousClock.now
        let error = await #expect(throws: RtpEngineError.self) { try await client.ping() }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("did not answer 'ping'") == true)
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(3))
        let received = fake.received
        #expect(received.count >= 3)
        #expect(Set(received.map(\.cookie)).count == 1)
        await client.close()
        await fake.close()
    }

    @Test("requests in flight at once are matched to their own answers")
    func concurrentRequests() async throws {
        let fake = try await FakeRtpEngine.start { message, _ in
            ["result": "ok", "sdp": .string("for \(message.document["call-id"]?.string ?? "")")]
        }
        let client = try await client(for: fake)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let sdp = try await client.offer(callId: "call-\(index)", fromTag: "a", sdp: "x", flags: .carrierFacing)
                    #expect(sdp == "for call-\(index)")
                }
            }
            try await group.waitForAll()
        }
        await client.close()
        await fake.close()
    }

    @Test("JSON requests get JSON answers, read the same way")
    func jsonEncoding() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in ["result": "ok", "calls": ["a", "b"]] }
        let client = try await client(for: fake, encoding: .json)
        #expect(try await client.listCalls() == ["a", "b"])
        await client.close()
        await fake.close()
    }

    @Test("the typed commands send the keys rtpengine expects")
    func commandKeys() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in ["result": "ok", "sdp": "v=0", "duration": 1500] }
        let client = try await client(for: fake)
        _ = try await client.answer(callId: "c", fromTag: "carrier", toTag: "agent", sdp: "v=0", flags: .browserFacing)
        #expect(try await client.playMedia(callId: "c", fromTag: "carrier", file: "/tmp/hold.wav", repeatTimes: 3) == .milliseconds(1500))
        try await client.playDTMF(callId: "c", fromTag: "agent", digit: DTMFDigit("#")!, duration: .milliseconds(300))
        try await client.delete(callId: "c")
        let documents = fake.received.map(\.document)
        #expect(documents[0]["command"]?.string == "answer")
        #expect(documents[0]["to-tag"]?.string == "agent")
        #expect(documents[0]["DTLS"]?.string == "passive")
        #expect(documents[1]["command"]?.string == "play media")
        #expect(documents[1]["repeat-times"]?.integer == 3)
        #expect(documents[2]["command"]?.string == "play DTMF")
        #expect(documents[2]["code"]?.string == "#")
        #expect(documents[2]["duration"]?.integer == 300)
        #expect(documents[3]["command"]?.string == "delete")
        #expect(documents[3]["delete delay"]?.integer == 0)
        #expect(documents[3]["from-tag"] == nil)
        await client.close()
        await fake.close()
    }

    @Test("an answer without a result is a malformed-answer error")
    func malformed() async throws {
        let fake = try await FakeRtpEngine.start { _, _ in ["something": "else"] }
        let client = try await client(for: fake)
        let error = await #expect(throws: RtpEngineError.self) { try await client.ping() }
        #expect(error?.code == .malformedAnswer)
        await client.close()
        await fake.close()
    }
}

@Suite("flag sets")
struct RtpEngineFlagsTests {
    @Test("sets combine: lists join without repeats, codec dictionaries merge")
    func merging() {
        let flags = RtpEngineFlags.carrierFacing + .portLatching + .onlyG711 + .injectDTMF + .portLatching
        #expect(flags.entries["flags"] == ["port latching", "inject DTMF"])
        #expect(flags.entries["codec"] == ["strip": ["all"], "except": ["PCMU", "PCMA", "telephone-event/8000"]])
        #expect(flags.entries["ICE"] == "remove")
        let browser = RtpEngineFlags.browserFacing + .opusTowardBrowser
        #expect(browser.entries["codec"] == ["mask": ["PCMU", "PCMA"], "transcode": ["opus"]])
        #expect(browser.entries["flags"] == ["generate mid", "trust address"])
    }

    @Test("the recipe's sets are phone-media.md's")
    func recipe() {
        // `reset` and `DTLS-reverse: passive`: the browser's first offer connects (RtpEngineFlags.browserOffer).
        #expect(RtpEngineFlags.agentAttachOffer.entries["flags"] == ["port latching", "reset"])
        #expect(RtpEngineFlags.agentAttachOffer.entries["DTLS-reverse"] == "passive")
        #expect(RtpEngineFlags.agentAttachOffer.entries["transport-protocol"] == "RTP/AVP")
        #expect(RtpEngineFlags.agentAttachAnswer.entries["transport-protocol"] == "UDP/TLS/RTP/SAVPF")
        #expect(RtpEngineFlags.carrierOfferAnsweredAtOnce.entries["rtcp-mux"] == ["demux"])
    }
}
