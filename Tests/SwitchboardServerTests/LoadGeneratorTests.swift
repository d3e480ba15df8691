import Foundation
import SwitchboardCore
@testable import SwitchboardLoadTest
@testable import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// The load generator against a real server: its customers (`WireCustomer`, bare NIO handlers)
/// count what the server answered, every way a customer can end, and never hang a run.
@Suite struct LoadGeneratorTests {
    @Test func aSmallRunRoutesEveryCustomerWithoutErrors() async throws {
        try await TestServer.run { server in
            var options = LoadTestOptions(server: URL(string: "http://127.0.0.1:\(server.port)")!, apiKey: TestServer.adminKey)
            options.agents = 3
            options.rate = 20
            options.duration = 1
            options.measureEchoFloor = false
            // The server runs in this process: its CPU and context switches are this process's
            // (the generator's and other suites' included; only their presence is checked here).
            options.serverProcessId = getpid()
            let report = try await LoadTest.run(options) { _ in }
            #expect(report.sessions == 20 && report.ended == 20, "\(report.ended) of \(report.sessions) ended")
            #expect((report.serverCPUMillisecondsPerSession ?? 0) > 0, "server CPU per session: \(String(describing: report.serverCPUMillisecondsPerSession))")
            // Reported, and counted over the run: every session hands work between threads.
            #expect((report.serverContextSwitchesPerSession ?? 0) >= 1, "context switches per session: \(String(describing: report.serverContextSwitchesPerSession))")
            #expect(report.errors == 0 && report.shed == 0, "\(report.firstErrors)")
            #expect(report.createToCallIn.count == 20 && report.acceptToJoined.count == 20)
            let ended = await server.components.routing.read { $0.sessions.count }
            #expect(ended == 0, "no session is left open")
        }
    }

    @Test func aCustomerTurnedAwayAsBusyIsCountedAsShedNotAsAnError() async throws {
        try await TestServer.run(configure: { $0.overloadLagLimitMilliseconds = 100 }) { server in
            try await server.givenGroup(SkillGroup(id: SkillGroupID(AdminSetup.group)), agents: ["alice"])
            // Hold the routing actor: the guard's probes are overdue, so it sheds.
            let hold = Task {
                while !Task.isCancelled {
                    await server.components.routing.read { _ in usleep(250_000) }
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            defer { hold.cancel() }
            let deadline = ContinuousClock.now + .seconds(10)
            while !server.components.overload.isShedding, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            let book = LatencyBook()
            let endpoint = try #require(WireCustomer.endpoint("ws://127.0.0.1:\(server.port)/ws/customer"))
            await WireCustomer(endpoint: endpoint, nickname: "Late", address: "203.0.113.9", book: book).run()
            #expect(book.counted("shed") == 1 && book.counted("started") == 1)
            #expect(book.counted("errors") == 0, "\(book.summary().errors)")
        }
    }

    @Test func aRefusedUpgradeAndAnAbsentServerAreErrorsAndEndTheCustomer() async throws {
        try await TestServer.run { server in
            let book = LatencyBook()
            let endpoint = try #require(WireCustomer.endpoint("ws://127.0.0.1:\(server.port)/ws/nowhere"))
            await WireCustomer(endpoint: endpoint, nickname: "Lost", address: "203.0.113.9", book: book).run()
            #expect(book.counted("errors") == 1 && book.counted("started") == 0)
            #expect(book.summary().errors.first?.hasPrefix("customer upgrade refused: HTTP/1.1 ") == true, "\(book.summary().errors)")
        }
        // Nothing listens on a port just freed.
        let port = try freePort()
        let book = LatencyBook()
        let endpoint = try #require(WireCustomer.endpoint("ws://127.0.0.1:\(port)/ws/customer"))
        await WireCustomer(endpoint: endpoint, nickname: "Nobody", address: "203.0.113.9", book: book).run()
        #expect(book.counted("errors") == 1)
        #expect(book.summary().errors.first?.contains("Nobody failed") == true, "\(book.summary().errors)")
    }

    /// A process of three threads, two of which sleep a hundred times each and stay alive:
    /// summed over its threads at least 200 switches, where its main thread (waiting for the
    /// other two) has only a few.
    @Test func contextSwitchesAreCountedOverEveryThreadOfTheProcess() async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        child.arguments = ["-c", """
            import threading, time, sys
            def work():
                for _ in range(100): time.sleep(0.001)
                time.sleep(20)
            threads = [threading.Thread(target=work, daemon=True) for _ in range(2)]
            for t in threads: t.start()
            print("ready", flush=True)
            time.sleep(20)
            """]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        // SIGKILL: this process may ignore SIGTERM (a server under test watches for it), and an
        // ignored signal stays ignored in a child.
        defer { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        // Ready once its threads are started; their hundred sleeps take well under a second.
        _ = output.fileHandleForReading.availableData
        try await Task.sleep(for: .seconds(1))
        let sampler = ProcessSampler(pid: child.processIdentifier)
        let switches = try #require(sampler.contextSwitches())
        #expect(switches >= 200, "\(switches) switches counted over the process's threads")
        #expect(ProcessSampler(pid: -1).contextSwitches() == nil, "no such process: nothing to count")
    }

    private func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
