import Foundation
import Synchronization
import SwitchboardCore
import SwitchboardServer
import Testing
import TCCC
import SwitchboardTestSupport

/// `Call` and `Video` through the Swift SDK: internal calls, signalling, hold, digits, mute state.
@Suite("Calls through the SDK", .serialized)
struct CallTests {
    @Test func anInternalCallRingsAnswersRelaysSignalsAndHangsUp() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "desk", offerTimeoutSeconds: 30), agents: ["alice", "bob"])
            let alice = try await server.onlineSDK("alice")
            let bob = try await server.onlineSDK("bob")
            let bobSignals = Mutex<[CallSignal]>([])
            bob.tccc.onSignal { _, signal in bobSignals.withLock { $0.append(signal) } }
            let aliceSignals = Mutex<[CallSignal]>([])
            alice.tccc.onSignal { _, signal in aliceSignals.withLock { $0.append(signal) } }

            let placed = try await alice.Call.startInternalCall(calleeUserId: "bob").get()
            let session = placed.sessionId
            let outed = try await alice.events.next(.callOuted)
            #expect(outed == .callOuted(CallOuted(sessionId: session, type: .internal, calleeUserId: "bob", skillGroupId: "desk")))
            guard case .callIn(let callIn) = try await bob.events.next(.callIn) else { throw TestFailure("no callIn") }
            #expect(callIn == CallIn.internal(sessionId: session, timeout: 30, peerUserId: "alice"))

            // Video.accept on a voice call says which methods to use.
            let wrong = await bob.Video.accept(sessionId: session)
            #expect(wrong.errorMsg?.contains("not a video call") == true)
            try await bob.Call.accept(sessionId: session).get()
            _ = try await alice.events.next(.calloutAccepted)

            #expect(await alice.Call.sendSignal(sessionId: session, .offer("v=0 alice")))
            try await waitUntil { bobSignals.withLock { $0.contains(.offer("v=0 alice")) } }
            #expect(await bob.Call.sendSignal(sessionId: session, .answer("v=0 bob")))
            try await waitUntil { aliceSignals.withLock { $0.contains(.answer("v=0 bob")) } }

            try await bob.Call.hold(sessionId: session).get()
            try await waitUntil { aliceSignals.withLock { $0.contains(.hold) } }
            try await bob.Call.sendDigits(sessionId: session, dtmfText: "7*").get()
            try await waitUntil { aliceSignals.withLock { $0.contains(.dtmf("7*")) } }
            try await bob.Call.unHold(sessionId: session).get()

            // Mute is the app's own state.
            #expect(!bob.Call.isMicMuted(sessionId: session))
            bob.Call.muteMic(sessionId: session)
            #expect(bob.Call.isMicMuted(sessionId: session))
            bob.Call.unmuteMic(sessionId: session)
            #expect(!bob.Call.isMicMuted(sessionId: session))

            try await alice.Call.hungUp(sessionId: session).get()
            let ended = try await bob.events.next(.sessionEnded) { $0.sessionId == session }
            guard case .sessionEnded(let end) = ended else { throw TestFailure("not sessionEnded") }
            #expect(end.closeBy == .client && end.type == .internal)

            let outbound = await alice.Call.startOutboundCall(phoneNumber: "+15550100")
            #expect(outbound.errorMsg?.contains("no phone trunk") == true)
            await alice.tccc.close()
            await bob.tccc.close()
        }
    }

    @Test func iceServersComeWithTheWelcome() async throws {
        try await TestServer.run(configure: { configuration in
            configuration.ice.urls = ["stun:stun.example.com:3478", "turn:turn.example.com:3478"]
            configuration.ice.turnSecret = "a-turn-secret-of-some-length"
        }) { server in
            try await server.givenGroup(SkillGroup(id: "desk"), agents: ["alice"])
            let alice = try await server.sdk("alice")
            let servers = alice.Call.iceServers
            #expect(servers.first == IceServer(urls: ["stun:stun.example.com:3478"]))
            let turn = try #require(servers.last)
            #expect(turn.urls == ["turn:turn.example.com:3478"])
            #expect(turn.username?.hasSuffix(":agent-alice") == true)
            #expect(turn.credential?.isEmpty == false)
            await alice.tccc.close()
        }
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<200 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestFailure("timed out")
    }
}
