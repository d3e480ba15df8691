import Foundation
import NIOPosix
import HTTPTypes
import Testing
@testable import SwitchboardServer
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport

/// The overload guard: it sheds new customers' starts while the server runs late, with a clear
/// `serverBusy` (503 on the REST start), never customers it already serves or their resumes, and
/// lets them in again once the server has caught up.
@Suite struct OverloadTests {
    @Test func theAverageDecidesWithHysteresis() throws {
        do {
            let guardian = OverloadGuard(lagLimitMilliseconds: 100, metrics: nil) {}
            guardian.record(lateMilliseconds: 1000)
            #expect(guardian.isShedding, "one very late probe moves the average past the limit")
            let refusal = try #require(guardian.refusal())
            #expect(refusal.retryAfter == OverloadGuard.retryAfterSeconds && refusal.message.contains("busy"))
            // Back under the limit but above half of it: still shedding, so it does not flap.
            for _ in 0..<8 { guardian.record(lateMilliseconds: 70) }
            #expect(guardian.isShedding)
            for _ in 0..<20 { guardian.record(lateMilliseconds: 1) }
            #expect(!guardian.isShedding && guardian.refusal() == nil)
            let off = OverloadGuard(lagLimitMilliseconds: 0, metrics: nil) {}
            off.record(lateMilliseconds: 100_000)
            #expect(!off.isShedding, "0 never sheds")
        }
    }

    @Test func aProbeStillUnansweredPastTheLimitShedsBeforeItComesBack() async throws {
        // A burst swamps the server: its probe's answer comes seconds later, and a guard that
        // waited for it admitted the whole burst first. The overdue probe counts at once.
        let (answers, answer) = AsyncStream<Void>.makeStream()
        let guardian = OverloadGuard(lagLimitMilliseconds: 50, metrics: nil, probeInterval: .milliseconds(10)) {
            var waiting = answers.makeAsyncIterator()
            _ = await waiting.next()
        }
        #expect(!guardian.isShedding)
        let probe = Task { try await guardian.probe() }
        let deadline = ContinuousClock.now + .seconds(10)
        while !guardian.isShedding, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(guardian.isShedding && guardian.refusal() != nil, "the unanswered probe is over the limit")
        answer.yield(())
        try await probe.value
        // Answered, the probe is a sample like any other: enough prompt ones end the shedding.
        for _ in 0..<40 { guardian.record(lateMilliseconds: 1) }
        #expect(!guardian.isShedding)
        answer.finish()
    }

    @Test func aBusyEventLoopIsSeenAsTheServerRunningLate() async throws {
        // Sockets are accepted, upgraded and served on NIO's event loops: a backlog there delays
        // customers before any task or commit is late, and must count.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let guardian = OverloadGuard(lagLimitMilliseconds: 100, metrics: nil, probeInterval: .milliseconds(10), eventLoops: [loop]) {}
        // The loop busy for 600 ms: a job submitted now waits behind it. (Whether an idle loop
        // reads as late depends on this process's task pool, which other suites keep busy.)
        loop.execute { usleep(600_000) }
        let backlog = await guardian.eventLoopBacklog()
        #expect(backlog >= .milliseconds(500), "measured \(backlog)")
        // A probe first sleeps 10 ms (longer when the task pool is busy); with the loop busy for
        // 2 s it still finds it at least a second late, which moves the average (a quarter per
        // probe) past 100 ms.
        loop.execute { usleep(2_000_000) }
        try await guardian.probe()
        #expect(guardian.isShedding)
        try await group.shutdownGracefully()
    }

    @Test func aServerRunningLateTurnsNewCustomersAwayButKeepsTheOnesItServes() async throws {
        try await TestServer.run(configure: { $0.overloadLagLimitMilliseconds = 200 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales"), agents: ["alice"])
            let alice = try await TestAgent.online("alice", password: "pw-alice", port: server.port)
            // Other suites run in this process and can make its task pool late too: a customer
            // turned away by that retries, as a widget would.
            let served = try await admitted { try await server.customer(group: "sales", nickname: "Early") }
            _ = try await alice.event("callIn", session: served.sessionId)
            try await alice.call("Chat.accept", ["sessionId": .string(served.sessionId)])

            let hold = holdTheRoutingActor(of: server)
            defer { hold.cancel() }
            try await waitUntil("the guard sheds") { server.components.overload.isShedding }

            // A new customer's start is refused with serverBusy and when to retry.
            let socket = try await TestSocket.open(port: server.port, path: "/ws/customer")
            socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Late"}"#)
            let busy = try await socket.next("serverBusy") { $0["type"]?.string == "error" || $0["type"]?.string == "started" }
            #expect(busy["code"]?.string == "serverBusy" && busy["retryAfter"]?.int == OverloadGuard.retryAfterSeconds, "\(busy)")
            // A customer resuming its session is not turned away.
            let resumed = try await TestSocket.open(port: server.port, path: "/ws/customer")
            resumed.send(#"{"v":1,"type":"resume","sessionId":"\#(served.sessionId)","secret":"\#(served.secret)"}"#)
            let state = try await resumed.next("the resumed session's state") { $0["type"]?.string != nil }
            #expect(state["type"]?.string == "started" && state["sessionId"]?.string == served.sessionId, "\(state)")
            // The REST fallback's start too, and nothing was queued.
            let rest = try await server.http(.post, "/api/v1/chat/sessions", body: #"{"skillGroupId":"sales","nickname":"Late"}"#)
            #expect(rest.status == .serviceUnavailable && rest.json.errorCode == "serverBusy", "\(rest.status) \(rest.json)")

            // The customer already served still talks to its agent.
            try await served.sayAndWait("still here")
            hold.cancel()
            let later = try await admitted { try await server.customer(group: "sales", nickname: "Later") }
            #expect(!later.sessionId.isEmpty, "admitted again once the server caught up")
            let sessions = await server.components.routing.read { $0.sessions.count }
            #expect(sessions == 2, "the refused starts queued nothing")
        }
    }

    /// Shed starts are answered on the event loop, before the connection has a task. A socket
    /// that only ever got serverBusy gives its address's connection slot back when it closes; a
    /// shed socket whose later start is admitted hands its slot to its task, which gives it back
    /// once, when the socket closes; and a bad frame is the task's to answer, shedding or not.
    @Test func aCustomerTurnedAwayStartsLaterOnTheSameSocketAndAShedSocketGivesItsSlotBack() async throws {
        try await TestServer.run(configure: { $0.overloadLagLimitMilliseconds = 200; $0.maxConnectionsPerAddress = 2 }) { server in
            try await server.givenGroup(SkillGroup(id: "sales", name: "Sales"), agents: ["alice"])
            let limiter = server.components.connectionLimiter
            let hold = holdTheRoutingActor(of: server)
            defer { hold.cancel() }
            try await waitUntil("the guard sheds") { server.components.overload.isShedding }
            let start = #"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Patient"}"#
            func answer(_ socket: TestSocket) async throws -> JSONValue {
                try await socket.next("an answer to start") { $0["type"]?.string == "error" || $0["type"]?.string == "started" }
            }

            // Shed, then gone: the slot comes back from the connection, which never had a task.
            let gone = try await TestSocket.open(port: server.port, path: "/ws/customer")
            gone.send(start)
            let busy = try await answer(gone)
            #expect(busy["code"]?.string == "serverBusy" && busy["retryAfter"]?.int == OverloadGuard.retryAfterSeconds, "\(busy)")
            #expect(limiter.open == 1)
            gone.close()
            try await gone.waitClosed()
            try await waitUntil("the shed socket's slot is free") { limiter.open == 0 }

            // A bad frame is not the guard's to answer: the task reads it and says what is wrong.
            let confused = try await TestSocket.open(port: server.port, path: "/ws/customer")
            confused.send(#"{"v":1,"type":"start","nickname":"#)
            let malformed = try await confused.next("the task's answer to a bad frame") { $0["type"]?.string == "error" }
            #expect(malformed["code"]?.string == "malformedJSON", "\(malformed)")

            // Shed, then admitted on the same socket once the server has caught up.
            let patient = try await TestSocket.open(port: server.port, path: "/ws/customer")
            patient.send(start)
            #expect(try await answer(patient)["code"]?.string == "serverBusy")
            let third = try await TestSocket.open(port: server.port, path: "/ws/customer")
            #expect(try await third.next("a third connection from one address") { $0["type"]?.string == "error" }["code"]?.string == "tooManyConnections")
            hold.cancel()
            try await waitUntil("the guard stops shedding", timeout: .seconds(20)) { !server.components.overload.isShedding }
            // Other suites in this process can make it late again for a moment: retry as a widget would.
            var started: JSONValue
            let deadline = ContinuousClock.now + .seconds(30)
            repeat {
                patient.send(start)
                started = try await answer(patient)
                if started["code"]?.string == "serverBusy" { try await Task.sleep(for: .milliseconds(200)) }
            } while started["code"]?.string == "serverBusy" && ContinuousClock.now < deadline
            #expect(started["type"]?.string == "started" && started["sessionId"]?.string?.isEmpty == false, "\(started)")

            // Its task holds the slot now, once: closing it gives back one, not two.
            #expect(limiter.open == 2)
            patient.close()
            try await patient.waitClosed()
            try await waitUntil("the admitted socket's slot is free") { limiter.open == 1 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(limiter.open == 1, "the confused customer's task still holds its slot")
            confused.close()
            try await confused.waitClosed()
            try await waitUntil("every slot is free") { limiter.open == 0 }
        }
    }

    /// Holds the routing actor for 600 ms at a time until cancelled: every probe that reaches it is late.
    private func holdTheRoutingActor(of server: TestServer) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                await server.components.routing.read { _ in usleep(600_000) }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// A customer started, retrying while the server answers serverBusy (for up to 30 s).
    private func admitted(_ start: () async throws -> TestCustomer) async throws -> TestCustomer {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do { return try await start() } catch let failure as TestFailure where failure.description.contains("serverBusy") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(OverloadGuard.retryAfterSeconds * 100))
            }
        }
    }

    private func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("\(what): not within \(timeout)")
    }
}
