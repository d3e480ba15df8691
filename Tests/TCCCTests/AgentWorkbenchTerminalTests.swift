import Foundation
import SwitchboardTestSupport
import SwitchboardCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `switchboard agent` on a pseudo-terminal, used as a person would: keys in, screen out.
@Suite("The terminal workbench", .serialized)
struct AgentWorkbenchTerminalTests {
    @Test func logInAcceptChatEndAndQuit() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 60), agents: ["alice"])
            let terminal = try TerminalSession(
                arguments: ["agent", "--server", server.url.absoluteString, "--user", "alice"],
                environment: ["SWITCHBOARD_AGENT_PASSWORD": "pw-alice"])
            try await terminal.waitFor("Alice (alice) │ status: offline │ ready")
            try await terminal.waitFor("o online")

            var mark = terminal.mark
            terminal.type("o")
            try await terminal.waitFor("status: free", after: mark)

            // A customer writes in: the offer rings with its countdown.
            mark = terminal.mark
            let customer = try await server.customer(group: "sales", nickname: "Zed", extra: #","peerSource":"web""#)
            try await terminal.waitFor("Zed · im · \(customer.sessionId) · web", after: mark)
            try await terminal.waitFor("rings ", after: mark)
            try await terminal.waitFor("a: accept", after: mark)

            mark = terminal.mark
            terminal.type("a")
            _ = try await customer.next("agentJoined")
            try await terminal.waitFor("status: busy", after: mark)
            try await terminal.waitFor("Chat with Zed (\(customer.sessionId))", after: mark)

            mark = terminal.mark
            try await customer.sayAndWait("Where is my parcel?")
            try await terminal.waitFor("Zed: Where is my parcel?", after: mark)

            // Enter opens the input line, Enter sends.
            mark = terminal.mark
            terminal.type("\r")
            try await terminal.waitFor("> ", after: mark)
            terminal.type("It left today")
            _ = try await customer.next("agentTyping")
            terminal.type("\r")
            #expect(try await customer.nextAgentMessage() == "It left today")
            try await terminal.waitFor("you: It left today", after: mark)

            mark = terminal.mark
            terminal.type("e")
            #expect(try await customer.next("ended")["closeBy"]?.string == "seat")
            try await terminal.waitFor("was ended by you", after: mark)

            terminal.type("q")
            #expect(try await terminal.waitForExit() == 0)
            #expect(terminal.raw.contains("\u{1B}[?1049l"))
            try await terminal.waitFor("Left the workbench")
            let settings = terminal.settings
            #expect(settings.c_lflag & tcflag_t(ECHO) != 0)
            #expect(settings.c_lflag & tcflag_t(ICANON) != 0)
        }
    }

    @Test func interruptRestoresTheTerminal() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let terminal = try TerminalSession(
                arguments: ["agent", "--server", server.url.absoluteString, "--user", "alice"],
                environment: ["SWITCHBOARD_AGENT_PASSWORD": "pw-alice"])
            try await terminal.waitFor("status: offline")
            terminal.process.interrupt()
            #expect(try await terminal.waitForExit() == 0)
            #expect(terminal.raw.contains("\u{1B}[?1049l"))
            #expect(terminal.settings.c_lflag & tcflag_t(ECHO) != 0)

            // Logged in with a token this time; Ctrl-C typed in raw mode quits the same way.
            let token = try await server.issueToken(for: "alice")
            let second = try TerminalSession(
                arguments: ["agent", "--server", server.url.absoluteString],
                environment: ["SWITCHBOARD_AGENT_TOKEN": token])
            // An SDK login (a token) puts the agent online, as TCCC's does.
            try await second.waitFor("Alice (alice) │ status: free")
            second.type("\u{03}")
            #expect(try await second.waitForExit() == 0)
        }
    }

    @Test func aRefusedLoginSaysWhyWithoutTakingTheScreen() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: ["alice"])
            let terminal = try TerminalSession(
                arguments: ["agent", "--server", server.url.absoluteString, "--user", "alice"],
                environment: ["SWITCHBOARD_AGENT_PASSWORD": "wrong"])
            #expect(try await terminal.waitForExit() != 0)
            try await terminal.waitFor("wrong user id or password")
            #expect(!terminal.raw.contains("\u{1B}[?1049h"))
        }
    }
}
