import Foundation
import SwitchboardTestSupport
import SwitchboardCore
import Synchronization
import Testing
import TCCC

/// `tccc.on` / `tccc.off` with typed payloads, `tccc.events`, and the event stream.
@Suite("Event callbacks and streams", .serialized)
struct EventAPITests {
    @Test func typedCallbacksReceiveTheDocumentsPayloadsUntilOff() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", wrapUpSeconds: 1), agents: ["alice"])
            let alice = try await server.sdk("alice")
            let tccc = alice.tccc
            let seen = TestBox<[String]>([])
            @Sendable func note(_ text: String) { seen.update { $0.append(text) } }

            let callIn = tccc.on(.callIn) { callIn in note("callIn \(callIn.sessionId) \(callIn.nickname ?? "")") }
            tccc.on(tccc.events.userAccessed) { event in note("userAccessed \(event.sessionId)") }
            tccc.on(.statusChanged) { change in note("statusChanged \(change.status.rawValue)") }
            tccc.on(.message) { message in note("message \(message.from.rawValue) \(message.text)") }
            tccc.on(.sessionEnded) { ended in note("sessionEnded \(ended.closeBy.rawValue)") }
            tccc.on(.sessionCompleted) { event in note("sessionCompleted \(event.sessionId)") }
            let byName = try #require(tccc.on("userAccessed") { event in note("by name \(event.name.rawValue)") })
            #expect(tccc.on("noSuchEvent") { _ in } == nil)

            try await alice.Agent.online().get()
            let customer = try await server.customer(group: "sales", nickname: "Bo")
            let id = customer.sessionId
            try await alice.events.next(.callIn)
            tccc.off(callIn)
            try await alice.Chat.accept(sessionId: id).get()
            tccc.off(byName)
            try await alice.Chat.sendMessage(sessionId: id, text: "hi").get()
            try await alice.Chat.end(sessionId: id).get()
            try await alice.events.next(.sessionCompleted, timeout: .seconds(5))
            try await alice.events.next(.statusChanged) { $0.statusChange?.status == .free }
            // Callbacks run on the SDK's own task: wait for the last one rather than race it.
            let deadline = ContinuousClock.now + .seconds(5)
            while seen.value.last != "statusChanged free", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }

            #expect(seen.value == [
                "statusChanged free", "callIn \(id) Bo", "userAccessed \(id)", "by name userAccessed", "statusChanged busy",
                "message agent hi", "sessionEnded seat", "statusChanged arrange", "sessionCompleted \(id)", "statusChanged free",
            ])
            await tccc.close()
        }
    }

    @Test func eventStreamDeliversInOrderAndFinishesOnClose() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let alice = try await server.sdk("alice")
            let stream = alice.tccc.eventStream()
            try await alice.Agent.online().get()
            let customer = try await server.customer(group: "sales")
            try await alice.events.next(.callIn)
            try await alice.Chat.accept(sessionId: customer.sessionId).get()
            await alice.tccc.close()

            var names: [AgentEvent.Name] = []
            for await event in stream { names.append(event.name) }
            #expect(names == [.statusChanged, .callIn, .userAccessed, .statusChanged])
        }
    }

    @Test func userInterfaceCallsReachTheAppsHooks() async throws {
        final class Hooks: TCCCUserInterface {
            let calls = Mutex<[String]>([])
            func show() { calls.withLock { $0.append("show") } }
            func hide() { calls.withLock { $0.append("hide") } }
            func showfloatButton() { calls.withLock { $0.append("showfloatButton") } }
            func hidefloatButton() { calls.withLock { $0.append("hidefloatButton") } }
            func showWorkbench() { calls.withLock { $0.append("showWorkbench") } }
            // hideWorkbench keeps the default, which does nothing.
        }
        let tccc = try TCCC(server: URL(string: "http://127.0.0.1:1")!, credentials: .token("t"))
        tccc.UI.show()  // no delegate yet: nothing happens
        var hooks: Hooks? = Hooks()
        tccc.UI.delegate = hooks
        tccc.UI.show()
        tccc.UI.hide()
        tccc.UI.showfloatButton()
        tccc.UI.hidefloatButton()
        tccc.UI.showWorkbench()
        tccc.UI.hideWorkbench()
        #expect(hooks?.calls.withLock { $0 } == ["show", "hide", "showfloatButton", "hidefloatButton", "showWorkbench"])
        // Held weakly, so an app's window controller can own the SDK.
        hooks = nil
        #expect(tccc.UI.delegate == nil)
    }
}
