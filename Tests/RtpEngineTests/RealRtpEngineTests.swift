#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing

@testable import RtpEngine

/// Tests against the real rtpengine (Debian: `apt-get install rtpengine-daemon rtpengine-utils`).
/// They fail, not skip, when it is missing: `RtpEngineProcess.start` says how to install it.
@Suite("a real rtpengine, started and supervised by RtpEngineProcess", .serialized)
struct RealRtpEngineTests {
    /// Starts rtpengine for one test and stops it afterwards, whatever the test did.
    private func withRtpEngine(
        dtmfLogPort: Int? = nil,
        _ body: (RtpEngineProcess, RtpEngineClient) async throws -> Void
    ) async throws {
        let configuration = try await MediaFixtures.configuration(stateDirectory: try MediaFixtures.temporaryDirectory(), dtmfLogPort: dtmfLogPort)
        let engine = try await RtpEngineProcess.start(configuration)
        let client: RtpEngineClient
        do {
            client = try await RtpEngineClient.connect(to: .init(ngAddress: engine.ngAddress))
        } catch {
            _ = try? await engine.stop()
            throw error
        }
        do {
            try await body(engine, client)
        } catch {
            await client.close()
            _ = try? await engine.stop()
            throw error
        }
        await client.close()
        let exit = try await engine.stop()
        #expect(exit.wasRequested)
        #expect(!RtpEngineProcess.isAlive(engine.pid), "rtpengine \(engine.pid) still runs after stop()")
        // Kept after a failure: rtpengine.log there says what it did.
        try? FileManager.default.removeItem(atPath: configuration.stateDirectory)
    }

    /// The next event on `stream`, or nil after `timeout`.
    private func firstEvent(of stream: AsyncStream<DTMFEvent>, within timeout: Duration) async -> DTMFEvent? {
        await withTaskGroup(of: DTMFEvent?.self) { group in
            group.addTask {
                for await event in stream { return event }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test("a bridged plain-RTP call carries audio both ways, digits, counters, media play and blocking")
    func plainBridge() async throws {
        let digits = try await DTMFListener.bind()
        try await withRtpEngine(dtmfLogPort: digits.port) { engine, client in
            try await client.ping()
            let carrier = try await UDPPeer.bind()
            let agent = try await UDPPeer.bind()
            let callId = "bridge-\(UUID().uuidString)"

            let sdpForAgent = try await client.offer(callId: callId, fromTag: "carrier", sdp: MediaFixtures.plainSDP(port: carrier.port), flags: .carrierFacing)
            let agentSendsTo = try #require(MediaFixtures.audioPort(in: sdpForAgent))
            let sdpForCarrier = try await client.answer(callId: callId, fromTag: "carrier", toTag: "agent", sdp: MediaFixtures.plainSDP(port: agent.port), flags: .carrierFacing)
            let carrierSendsTo = try #require(MediaFixtures.audioPort(in: sdpForCarrier))
            #expect(engine.configuration.mediaPorts.contains(agentSendsTo))
            #expect(engine.configuration.mediaPorts.contains(carrierSendsTo))

            var fromCarrier = RTPSender(peer: carrier, toPort: carrierSendsTo)
            var fromAgent = RTPSender(peer: agent, toPort: agentSendsTo)
            try await fromCarrier.sendAudio(packets: 10)
            try await fromAgent.sendAudio(packets: 10)
            #expect(await agent.wait { $0.count >= 10 }, "the agent leg got \(agent.received.count) of 10 packets")
            #expect(await carrier.wait { $0.count >= 10 }, "the carrier leg got \(carrier.received.count) of 10 packets")
            #expect(agent.received.allSatisfy { $0.count == 172 && MediaFixtures.payloadType(of: $0) == 0 })

            // A caller's key: RFC 4733 from the carrier, reported on the DTMF log socket.
            try await fromCarrier.sendDigit(5)
            let digit = await firstEvent(of: digits.events, within: .seconds(3))
            #expect(digit?.callId == callId)
            #expect(digit?.sourceTag == "carrier")
            #expect(digit?.digit == DTMFDigit("5"))

            let statistics = try await client.query(callId: callId)
            let carrierLeg = try #require(statistics.participants["carrier"])
            let agentLeg = try #require(statistics.participants["agent"])
            #expect(carrierLeg.rtpPacketsReceived >= 16)  // 10 audio + 6 event packets
            #expect(carrierLeg.rtpBytesReceived >= 10 * 172)
            #expect(agentLeg.rtpPacketsReceived >= 10)
            #expect(carrierLeg.medias.first?.streams.first { !$0.isRTCP }?.localPort == carrierSendsTo)

            // Blocking the carrier's media silences it toward the agent, and unblocking restores it.
            try await client.blockMedia(callId: callId, fromTag: "carrier")
            agent.clear()
            try await fromCarrier.sendAudio(packets: 10)
            try await Task.sleep(for: .milliseconds(300))
            #expect(agent.received.isEmpty, "blocked media still reached the agent: \(agent.received.count) packets")
            try await client.unblockMedia(callId: callId, fromTag: "carrier")
            try await fromCarrier.sendAudio(packets: 10)
            #expect(await agent.wait { $0.count >= 8 }, "after unblock the agent got \(agent.received.count) packets")

            // Media played with the carrier's tag is heard by the carrier.
            let wav = engine.configuration.stateDirectory + "/tone.wav"
            try MediaFixtures.writeToneWAV(to: wav, seconds: 1)
            carrier.clear()
            let length = try await client.playMedia(callId: callId, fromTag: "carrier", file: wav, repeatTimes: 2)
            #expect(length.map { $0 >= .milliseconds(900) && $0 <= .milliseconds(1100) } ?? false, "rtpengine said the file lasts \(String(describing: length))")
            #expect(await carrier.wait { $0.count >= 25 }, "the carrier got \(carrier.received.count) packets of the played file")
            try await client.stopMedia(callId: callId, fromTag: "carrier")
            try await Task.sleep(for: .milliseconds(200))
            let afterStop = carrier.received.count
            try await Task.sleep(for: .milliseconds(400))
            #expect(carrier.received.count - afterStop <= 2, "playback went on after stop media")

            #expect(try await client.listCalls().contains(callId))
            let final = try await client.query(callId: callId)
            #expect((final.participants["carrier"]?.rtpPacketsReceived ?? 0) >= 36)
            try await client.delete(callId: callId)
            let gone = await #expect(throws: RtpEngineError.self) { _ = try await client.query(callId: callId) }
            #expect(gone?.code == .rejected)
            #expect(gone?.reason == "Unknown call-id")
            try await client.delete(callId: callId)  // a second hang-up path is harmless

            await carrier.close()
            await agent.close()
        }
        await digits.close()
    }

    @Test("play DTMF with the agent's tag sends RFC 4733 events to the carrier")
    func injectedDigitGoesToTheOtherParty() async throws {
        try await withRtpEngine { _, client in
            let carrier = try await UDPPeer.bind()
            let agent = try await UDPPeer.bind()
            let callId = "dtmf-\(UUID().uuidString)"
            let flags = RtpEngineFlags.carrierFacing + .injectDTMF
            let sdpForAgent = try await client.offer(callId: callId, fromTag: "carrier", sdp: MediaFixtures.plainSDP(port: carrier.port), flags: flags)
            let sdpForCarrier = try await client.answer(callId: callId, fromTag: "carrier", toTag: "agent", sdp: MediaFixtures.plainSDP(port: agent.port), flags: flags)
            var fromAgent = RTPSender(peer: agent, toPort: try #require(MediaFixtures.audioPort(in: sdpForAgent)))
            var fromCarrier = RTPSender(peer: carrier, toPort: try #require(MediaFixtures.audioPort(in: sdpForCarrier)))
            // Injection rides on a running stream, and both sides must have been heard from.
            try await fromCarrier.sendAudio(packets: 5)
            try await fromAgent.sendAudio(packets: 5)
            try await client.playDTMF(callId: callId, fromTag: "agent", digit: DTMFDigit("7")!, duration: .milliseconds(200))
            try await fromAgent.sendAudio(packets: 30)
            let events = carrier.received.filter { MediaFixtures.payloadType(of: $0) == 101 }
            #expect(!events.isEmpty, "the carrier got no telephone-event packets (payload types: \(Set(carrier.received.compactMap(MediaFixtures.payloadType))))")
            #expect(events.allSatisfy { $0.count >= 16 && $0[12] == 7 })
            #expect(!agent.received.contains { MediaFixtures.payloadType(of: $0) == 101 }, "the digit went back to the agent")
            try await client.delete(callId: callId)
            await carrier.close()
            await agent.close()
        }
    }

    @Test("answer at once with a placeholder, queue audio, then attach a browser without moving the carrier's port")
    func answerAtOnceThenAttachBrowser() async throws {
        try await withRtpEngine { _, client in
            let carrier = try await UDPPeer.bind()
            let placeholder = try await UDPPeer.bind()
            let callId = "attach-\(UUID().uuidString)"
            let carrierSDP = MediaFixtures.plainSDP(port: carrier.port)

            _ = try await client.offer(callId: callId, fromTag: "carrier", sdp: carrierSDP, flags: .carrierOfferAnsweredAtOnce)
            let sdpFor200OK = try await client.answer(callId: callId, fromTag: "carrier", toTag: "agent-leg", sdp: MediaFixtures.plainSDP(port: placeholder.port), flags: .carrierFacing)
            let carrierPort = try #require(MediaFixtures.audioPort(in: sdpFor200OK))
            #expect(sdpFor200OK.contains("RTP/AVP") && !sdpFor200OK.contains("a=ice-ufrag"))

            var fromCarrier = RTPSender(peer: carrier, toPort: carrierPort)
            try await fromCarrier.sendAudio(packets: 5)
            #expect(await placeholder.wait { $0.count >= 4 }, "the placeholder sink got \(placeholder.received.count) packets")

            let wav = NSTemporaryDirectory() + "queue-\(UUID().uuidString).wav"
            try MediaFixtures.writeToneWAV(to: wav, seconds: 0.5)
            defer { try? FileManager.default.removeItem(atPath: wav) }
            try await client.playMedia(callId: callId, fromTag: "carrier", file: wav, repeatTimes: 10)
            #expect(await carrier.wait { $0.count >= 10 }, "the carrier heard \(carrier.received.count) packets of queue audio")
            try await client.stopMedia(callId: callId, fromTag: "carrier")

            // The browser's offer goes out toward the carrier: plain G.711, same port as the 200 OK.
            let browserPort = try await MediaFixtures.freeUDPPort()
            let sdpTowardCarrier = try await client.offer(
                callId: callId, fromTag: "agent-leg", toTag: "carrier",
                sdp: MediaFixtures.browserOfferSDP(port: browserPort), flags: .agentAttachOffer
            )
            #expect(MediaFixtures.audioPort(in: sdpTowardCarrier) == carrierPort, "the carrier-facing port moved: a re-INVITE would be needed")
            #expect(sdpTowardCarrier.contains("m=audio \(carrierPort) RTP/AVP "))
            #expect(!sdpTowardCarrier.contains("opus") && !sdpTowardCarrier.contains("a=ice-") && !sdpTowardCarrier.contains("a=fingerprint"))
            #expect(sdpTowardCarrier.contains("PCMU/8000"))

            // The carrier's SDP answers it, rewritten into the browser's answer: ICE and DTLS-SRTP.
            let browserAnswer = try await client.answer(callId: callId, fromTag: "agent-leg", toTag: "carrier", sdp: carrierSDP, flags: .agentAttachAnswer)
            #expect(browserAnswer.contains("UDP/TLS/RTP/SAVPF"))
            #expect(browserAnswer.contains("a=ice-ufrag:") && browserAnswer.contains("a=candidate:"))
            #expect(browserAnswer.contains("a=fingerprint:"))
            #expect(browserAnswer.contains("a=rtcp-mux"))
            #expect(browserAnswer.contains("a=mid:0"))

            try await client.delete(callId: callId)
            await carrier.close()
            await placeholder.close()
        }
    }

    @Test("a carrier's offer rewritten for a browser has ICE, DTLS, rtcp-mux and Opus")
    func browserFacingOffer() async throws {
        try await withRtpEngine { _, client in
            let callId = "browser-\(UUID().uuidString)"
            let sdp = try await client.offer(
                callId: callId, fromTag: "carrier", sdp: MediaFixtures.plainSDP(port: try await MediaFixtures.freeUDPPort()),
                flags: .browserFacing + .opusTowardBrowser
            )
            #expect(sdp.contains("UDP/TLS/RTP/SAVPF"))
            #expect(sdp.contains("a=ice-ufrag:") && sdp.contains("a=ice-pwd:") && sdp.contains("a=candidate:"))
            #expect(sdp.contains("a=fingerprint:sha-256") || sdp.contains("a=fingerprint:sha-1"))
            #expect(sdp.contains("a=setup:"))
            #expect(sdp.contains("a=rtcp-mux"))
            #expect(sdp.contains("a=mid:"))
            #expect(sdp.contains("opus/48000"))
            #expect(!sdp.contains("a=crypto:"))
            try await client.delete(callId: callId)
        }
    }

    @Test("a start kills an rtpengine left behind by an earlier run, found through the pid file")
    func stalePidCleanup() async throws {
        let configuration = try await MediaFixtures.configuration(stateDirectory: try MediaFixtures.temporaryDirectory())
        let forgotten = try await RtpEngineProcess.start(configuration)
        let pidFile = try String(contentsOfFile: configuration.pidFilePath, encoding: .utf8)
        #expect(pidFile.trimmingCharacters(in: .whitespacesAndNewlines) == "\(forgotten.pid)")
        #expect(RtpEngineProcess.isRtpEngineStartedByUs(forgotten.pid))

        // The same ng port: had the old one survived, the new one could not bind it.
        let replacement: RtpEngineProcess
        do {
            replacement = try await RtpEngineProcess.start(configuration)
        } catch {
            _ = try? await forgotten.stop()
            throw error
        }
        #expect(!RtpEngineProcess.isAlive(forgotten.pid), "the stale rtpengine \(forgotten.pid) still runs")
        let exit = await forgotten.waitForExit()
        #expect(exit.exitCode == 0 || exit.signal == SIGTERM, "the stale rtpengine ended with \(exit)")
        #expect(replacement.pid != forgotten.pid)
        let client = try await RtpEngineClient.connect(to: .init(ngAddress: replacement.ngAddress))
        try await client.ping()
        await client.close()
        try await replacement.stop()
        #expect(!RtpEngineProcess.isAlive(replacement.pid))
        #expect(!FileManager.default.fileExists(atPath: configuration.pidFilePath))
        try? FileManager.default.removeItem(atPath: configuration.stateDirectory)
    }

    @Test("a pid file naming some other process leaves that process alone")
    func pidFileOfAnotherProcess() async throws {
        let configuration = try await MediaFixtures.configuration(stateDirectory: try MediaFixtures.temporaryDirectory())
        try "\(getpid())\n".write(toFile: configuration.pidFilePath, atomically: true, encoding: .utf8)
        #expect(!RtpEngineProcess.isRtpEngineStartedByUs(getpid()))
        let engine = try await RtpEngineProcess.start(configuration)  // this test process survives
        try await engine.stop()
        try? FileManager.default.removeItem(atPath: configuration.stateDirectory)
    }

    @Test("rtpengine killed from outside is reported as an unexpected exit")
    func unexpectedDeath() async throws {
        let configuration = try await MediaFixtures.configuration(stateDirectory: try MediaFixtures.temporaryDirectory())
        let reported = Mutex<RtpEngineProcess.Exit?>(nil)
        let engine = try await RtpEngineProcess.start(configuration) { exit in
            reported.withLock { $0 = exit }
        }
        kill(engine.pid, SIGKILL)
        let exit = await engine.waitForExit()
        #expect(exit.signal == SIGKILL)
        #expect(!exit.wasRequested)
        #expect(exit.description == "rtpengine was killed by signal 9 unexpectedly")
        #expect(reported.withLock { $0?.signal } == SIGKILL)
        #expect(!engine.isRunning)
        #expect(!FileManager.default.fileExists(atPath: configuration.pidFilePath))
        let stopped = try await engine.stop()  // harmless after the fact
        #expect(stopped.signal == SIGKILL)
        try? FileManager.default.removeItem(atPath: configuration.stateDirectory)
    }

    @Test("a start that cannot work fails with rtpengine's own explanation")
    func failedStart() async throws {
        let configuration = try await MediaFixtures.configuration(stateDirectory: try MediaFixtures.temporaryDirectory())
        let squatter = try await UDPPeer.bind(port: configuration.ngPort)  // the ng port is taken
        let error = await #expect(throws: RtpEngineError.self) { _ = try await RtpEngineProcess.start(configuration) }
        #expect(error?.code == .process)
        #expect(error?.message.contains("rtpengine exited while starting") == true, "\(String(describing: error))")
        await squatter.close()
        try? FileManager.default.removeItem(atPath: configuration.stateDirectory)
    }

    @Test("a missing rtpengine program is explained with the package to install")
    func missingProgram() async throws {
        var configuration = try await MediaFixtures.configuration(stateDirectory: try MediaFixtures.temporaryDirectory())
        configuration.executablePath = "/nonexistent/rtpengine"
        let error = await #expect(throws: RtpEngineError.self) { _ = try await RtpEngineProcess.start(configuration) }
        #expect(error?.message.contains("apt-get install rtpengine-daemon") == true)
        try? FileManager.default.removeItem(atPath: configuration.stateDirectory)
    }
}
