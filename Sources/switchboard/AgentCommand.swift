import ArgumentParser
import Foundation
import Logging
import TCCC

/// `switchboard agent`: a full-screen terminal workbench for one agent, built on the TCCC SDK.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Work as an agent from the terminal: go online, accept offers, chat, transfer and end sessions.",
        discussion: """
            Logs in to a Switchboard server with a user id and password, or with an SDK login token \
            (POST /api/v1/agents/{id}/tokens). Prefer the environment for secrets, since flags show \
            in the process list: SWITCHBOARD_AGENT_PASSWORD or SWITCHBOARD_AGENT_TOKEN. Without \
            either, the password is asked for.

            Keys: o online, f free, r rest (asks the reason), n not ready, x offline, a accept the \
            ringing offer, Tab or the arrow keys select a session, Enter writes a message (Enter \
            sends, Esc cancels), t transfer (a skill group id, or @agent), e end, q quit.
            """)

    @Option(help: "The server's URL (SWITCHBOARD_SERVER).")
    var server: String = agentEnvironment("SERVER") ?? "http://127.0.0.1:8080"

    @Option(name: .customLong("user"), help: "The agent's user id (SWITCHBOARD_AGENT_USER).")
    var userOption: String?

    @Option(name: .customLong("password"), help: "The agent's password; better given as SWITCHBOARD_AGENT_PASSWORD.")
    var passwordOption: String?

    @Option(name: .customLong("token"), help: "An SDK login token instead of user and password; better given as SWITCHBOARD_AGENT_TOKEN.")
    var tokenOption: String?

    /// Each credential from its flag, else from its environment variable.
    private var user: String? { userOption ?? agentEnvironment("AGENT_USER") }
    private var password: String? { passwordOption ?? agentEnvironment("AGENT_PASSWORD") }
    private var token: String? { tokenOption ?? agentEnvironment("AGENT_TOKEN") }

    func validate() throws {
        guard let url = URL(string: server), url.host != nil else {
            throw ValidationError("--server must be a URL such as http://127.0.0.1:8080, not '\(server)'")
        }
        if token == nil && user == nil {
            throw ValidationError("give --user (or SWITCHBOARD_AGENT_USER), or a token with SWITCHBOARD_AGENT_TOKEN")
        }
    }

    func run() async throws {
        let credentials: TCCC.Credentials
        if let token {
            credentials = .token(token, userId: user)
        } else if let user {
            guard let password = password ?? Terminal.readSecret(prompt: "Password for \(user): "), !password.isEmpty else {
                throw ValidationError("no password given")
            }
            credentials = .password(userId: user, password: password)
        } else {
            throw ValidationError("give --user or a token")
        }

        var configuration = TCCC.Configuration()
        // The screen is the workbench's; the SDK's log lines would scribble over it.
        configuration.logger = Logger(label: "switchboard-agent") { _ in SwiftLogNoOpLogHandler() }
        let tccc: TCCC
        do {
            tccc = try TCCC(server: URL(string: server)!, credentials: credentials, configuration: configuration)
            try await tccc.connect()
        } catch {
            throw AgentCommandError("cannot log in to \(server): \(error.message)")
        }

        let terminal: Terminal
        do {
            terminal = try Terminal()
        } catch {
            await tccc.close()
            throw AgentCommandError("\(error)")
        }
        await AgentWorkbench(tccc: tccc, terminal: terminal).run()
        terminal.restore()
        let status = tccc.Agent.getStatus()
        if status == .offline {
            print("Left the workbench; \(tccc.userId ?? "the agent") is offline.")
        } else {
            print("Left the workbench; \(tccc.userId ?? "the agent") stays \(status.rawValue); the server stops offering sessions after its reconnect grace period. Press x before q to go offline.")
        }
    }
}

/// A failure of the workbench, printed as `Error: <description>` without the usage text.
struct AgentCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads a `SWITCHBOARD_*` environment variable, empty counting as unset.
private func agentEnvironment(_ name: String) -> String? {
    ProcessInfo.processInfo.environment["SWITCHBOARD_\(name)"].flatMap { $0.isEmpty ? nil : $0 }
}
