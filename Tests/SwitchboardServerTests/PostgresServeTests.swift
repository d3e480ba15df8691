import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SwitchboardPostgres
import SwitchboardProtocol
import SwitchboardTestSupport
import Testing

/// `switchboard serve --database-url postgres://...`: the real executable on a real PostgreSQL
/// server (started by the tests on 127.0.0.1), killed with SIGKILL and started again on the same
/// database, finds everything it acknowledged; a URL it cannot use is refused at start, naming
/// what is wrong.
@Suite("Serving from PostgreSQL", .serialized)
struct PostgresServeTests {
    @Test func aServerOnPostgreSQLKeepsWhatItAcknowledgedAcrossSIGKILL() async throws {
        let location = try await PostgresServer.shared.newDatabase()
        let url = "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-pg-serve-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }

        var process = try await ServerProcess.start(dataDirectory: dataDirectory, arguments: ["--database-url", url])
        defer { process.kill() }
        let admin = AdminClient(port: process.port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","offerTimeoutSeconds":600}"#)
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#)
        let alice = try await TestAgent.online("alice", password: "pw-alice-123", port: process.port)
        let held = try await alice.acceptChat(port: process.port, group: "sales", nickname: "Held")
        try await held.sayAndWait("kept in postgres")
        let queued = try await TestCustomer.connect(port: process.port)
        try await queued.start(group: "sales", nickname: "Ringing")
        _ = try await alice.event("callIn", session: queued.sessionId)
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/switchboard.sqlite"), "nothing kept in SQLite")

        process.kill()
        process = try await ServerProcess.start(dataDirectory: dataDirectory, arguments: ["--database-url", url])
        // The killed process's lease runs out first (nobody can tell a crashed leader from a
        // slow one): until then the new process stands by.
        let deadline = ContinuousClock.now + .seconds(30)
        while await NodeReadiness.status(port: process.port) != 200 {
            guard ContinuousClock.now < deadline else { throw TestFailure("the restarted server never led") }
            try await Task.sleep(for: .milliseconds(20))
        }

        let back = try await TestAgent.connect(port: process.port)
        let welcome = try await back.login(userId: "alice", password: "pw-alice-123")
        #expect(welcome["sessions"]?[0]?["sessionId"]?.string == held.sessionId && welcome["sessions"]?[0]?["state"]?.string == "accepted")
        #expect(welcome["sessions"]?[1]?["sessionId"]?.string == queued.sessionId && welcome["sessions"]?[1]?["state"]?.string == "ringing")
        let transcript = try await back.call("Chat.getMessages", ["sessionId": .string(held.sessionId)])
        #expect(transcript?["messages"]?[0]?["text"]?.string == "kept in postgres")
        try await back.call("Chat.end", ["sessionId": .string(held.sessionId)])
        let record = try JSONSerialization.jsonObject(with: try await AdminClient(port: process.port).expect(200, .get, "/api/v1/sessions/\(held.sessionId)")) as? [String: Any]
        #expect(record?["endStatus"] as? String == "ok")
        #expect(try await process.terminate() == 0)
        await PostgresServer.shared.dropDatabase(location)
    }

    @Test(arguments: [
        ("mysql://u@h/db", "scheme is 'mysql'"),
        ("postgres://h/db", "names no user"),
        ("postgres://u@h/", "names no database"),
        ("postgres://u@h/db?sslmode=sometimes", "sslmode 'sometimes'"),
        ("postgres://u@h/db?pool=9", "parameter 'pool'"),
    ])
    func aDatabaseURLThatCannotBeUsedIsRefusedNamingWhy(url: String, says: String) async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-pg-bad-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let (status, message) = try await ServerProcess.refusal(dataDirectory: dataDirectory, arguments: ["--database-url", url])
        #expect(status != 0 && message.contains("--database-url") && message.contains(says), "\(message)")
    }

    @Test func aDatabaseThatCannotBeReachedIsRefusedWithoutThePassword() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-pg-bad-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let port = PostgresServer.freePort()
        let (status, message) = try await ServerProcess.refusal(
            dataDirectory: dataDirectory, arguments: ["--database-url", "postgres://u:hunter2secret@127.0.0.1:\(port)/db?sslmode=disable"])
        #expect(status != 0)
        #expect(message.contains("cannot connect to the store at postgres://u@127.0.0.1:\(port)/db"), "\(message)")
        #expect(!message.contains("hunter2secret"), "the password must not be printed: \(message)")
    }
}
