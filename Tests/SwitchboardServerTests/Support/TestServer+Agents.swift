import SwitchboardTestSupport

extension TestServer {
    /// An agent SDK connection that has logged in with its password and seen `ready`.
    func agent(_ id: String, resumeFrom: Int? = nil) async throws -> TestAgent {
        let agent = try await TestAgent.connect(port: port)
        try await agent.login(userId: id, password: "pw-\(id)", resumeFrom: resumeFrom)
        return agent
    }
}
