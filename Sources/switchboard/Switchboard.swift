import ArgumentParser

/// The `switchboard` command: the contact-centre server and its tools.
@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Switchboard: a self-hosted omnichannel contact centre.",
        subcommands: [Serve.self],
        defaultSubcommand: Serve.self)
}

/// `switchboard serve`: runs the routing server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the routing server.")

    func run() async throws {
        print("""
            Switchboard's routing core is built and tested (swift test); the HTTP/WebSocket server \
            that serves it arrives with the next step (issue 3). Nothing is listening yet.
            """)
    }
}
