import Foundation
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardTestSupport
import Synchronization
import Testing

/// The real server with its real SQLite files on a disk that fills up, and on a database whose
/// files the kernel stops letting anyone write: changes are refused with "nothing changed, try
/// again", the server stays up and keeps serving reads, nothing half written reaches the files,
/// and everything works again once there is room or the files are writable again.
/// (`StoreFaultTests` injects the same failures in front of the store.)
@Suite("Real disk faults", .serialized)
struct DiskFaultTests {
    @Test func aFullDiskRefusesChangesKeepsReadsAndRecovers() async throws {
        let disk = try FileSystemFaults.SmallDisk.mount(size: "8m")
        defer { disk.unmount() }
        let dataDirectory = disk.path + "/data"
        let filler = Filler()
        let acknowledged = try await Self.exercise(
            dataDirectory: dataDirectory, cause: "the disk is full",
            fault: { let path = try disk.fill(); filler.path.withLock { $0 = path } },
            repair: { try FileManager.default.removeItem(atPath: filler.path.withLock { $0 }) })
        try await Self.checkOnlyAcknowledgedChangesAreStored(dataDirectory: dataDirectory, acknowledged)
    }

    @Test func aReadOnlyDatabaseRefusesChangesKeepsReadsAndRecovers() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-read-only-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        try FileSystemFaults.checkImmutableStopsOpenWriters(in: dataDirectory)
        // The database and its write-ahead log, where every commit is written. (The shared-memory
        // index stays writable: SQLite maps it into memory, as it would on a read-only mount.)
        let database = dataDirectory + "/switchboard.sqlite"
        let files = [database, database + "-wal"]
        let acknowledged: Acknowledged
        do {
            acknowledged = try await Self.exercise(
                dataDirectory: dataDirectory, cause: "the database files cannot be written",
                fault: {
                    for file in files where !FileManager.default.fileExists(atPath: file) { throw TestFailure("\(file) does not exist") }
                    try FileSystemFaults.setImmutable(true, files)
                },
                repair: { try FileSystemFaults.setImmutable(false, files) })
        } catch {
            try? FileSystemFaults.setImmutable(false, files)
            throw error
        }
        try await Self.checkOnlyAcknowledgedChangesAreStored(dataDirectory: dataDirectory, acknowledged)
    }

    /// The filler file's path, set by the fault and read by the repair.
    final class Filler: Sendable { let path = Mutex("") }

    /// What the server acknowledged, to compare with what a restart finds.
    struct Acknowledged {
        var sessions: Set<String>
        var transcript: [String]
        var transcriptSession: String
    }

    /// Sets up a chat, breaks the disk with `fault`, checks what clients see, repairs it with
    /// `repair`, and checks that everything works again.
    static func exercise(
        dataDirectory: String, cause: String, fault: @escaping @Sendable () throws -> Void, repair: @escaping @Sendable () throws -> Void
    ) async throws -> Acknowledged {
        let result = Mutex<Acknowledged?>(nil)
        try await TestServer.run(dataDirectory: dataDirectory) { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 600), agents: ["alice"])
            let alice = try await server.agent("alice")
            try await alice.call("Agent.online")
            let ann = try await server.customer(group: "sales", nickname: "Ann")
            _ = try await alice.event("callIn", session: ann.sessionId)
            try await alice.call("Chat.accept", ["sessionId": .string(ann.sessionId)])
            ann.say("before", clientMessageId: "ann-1")
            _ = try await ann.next("ack")

            try fault()

            // Every change is refused with a message that says nothing changed and why.
            let bo = try await TestCustomer.connect(port: server.port)
            bo.socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Bo"}"#)
            let refusedStart = try await bo.next("error")["message"]?.string ?? ""
            #expect(refusedStart.contains("nothing changed") && refusedStart.contains("try again") && refusedStart.contains(cause), "\(refusedStart)")
            let overREST = try await server.chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"sales","nickname":"Cy"}"#)
            #expect(overREST.status == .serviceUnavailable, "\(overREST.json)")
            #expect(overREST.json.errorMessage.contains("nothing changed"), "\(overREST.json)")
            ann.say("during", clientMessageId: "ann-2")
            let refusedMessage = try await ann.next("error")["message"]?.string ?? ""
            #expect(refusedMessage.contains("try again"), "\(refusedMessage)")
            let reply = try await alice.request("Chat.sendMessage", ["sessionId": .string(ann.sessionId), "text": "lost?"])
            #expect(reply["status"]?.string != "success", "\(reply)")
            #expect(reply["errorMsg"]?.string?.contains("try again") == true, "\(reply)")
            let group = try await server.api(.post, "/api/v1/skill-groups", #"{"id":"night","name":"Night"}"#)
            #expect(group.status == .serviceUnavailable, "\(group.json)")

            // The server stays up and answers reads, from memory and from the store.
            #expect(try await server.http(.get, "/healthz").status == .ok)
            #expect(try await server.http(.get, "/readyz").status == .ok)
            try await alice.call("ping")
            let queues = try await server.api(.get, "/api/v1/queues")
            #expect(queues.status == .ok)
            let transcript = try await server.api(.get, "/api/v1/sessions/\(ann.sessionId)/messages")
            #expect(transcript.json["messages"].array.compactMap { $0["text"].string } == ["before"], "\(transcript.json)")
            let page = try await alice.call("Chat.getMessages", ["sessionId": .string(ann.sessionId)])
            #expect(page?["messages"]?[0]?["text"]?.string == "before")
            #expect(page?["messages"]?[1] == nil)
            let sessions = try await server.api(.get, "/api/v1/sessions")
            #expect(sessions.json["items"].array.compactMap { $0["id"].string } == [ann.sessionId], "\(sessions.json)")

            try repair()

            // The same changes go through now; a retried message id is stored once.
            ann.say("during", clientMessageId: "ann-2")
            _ = try await ann.next("ack")
            try await alice.call("Chat.sendMessage", ["sessionId": .string(ann.sessionId), "text": "after"])
            #expect(try await ann.nextAgentMessage() == "after")
            let dee = try await server.customer(group: "sales", nickname: "Dee")
            _ = try await alice.event("callIn", session: dee.sessionId)
            #expect(try await server.api(.post, "/api/v1/skill-groups", #"{"id":"night","name":"Night"}"#).status == .created)
            result.withLock {
                $0 = Acknowledged(sessions: [ann.sessionId, dee.sessionId], transcript: ["before", "during", "after"], transcriptSession: ann.sessionId)
            }
        }
        return try #require(result.withLock { $0 })
    }

    /// Restarts on the same files: exactly what was acknowledged is there, nothing refused is.
    static func checkOnlyAcknowledgedChangesAreStored(dataDirectory: String, _ acknowledged: Acknowledged) async throws {
        try await TestServer.run(dataDirectory: dataDirectory) { server in
            let sessions = try await server.api(.get, "/api/v1/sessions")
            #expect(Set(sessions.json["items"].array.compactMap { $0["id"].string }) == acknowledged.sessions, "\(sessions.json)")
            let transcript = try await server.api(.get, "/api/v1/sessions/\(acknowledged.transcriptSession)/messages")
            #expect(transcript.json["messages"].array.compactMap { $0["text"].string } == acknowledged.transcript, "\(transcript.json)")
            let groups = try await server.api(.get, "/api/v1/skill-groups")
            #expect(Set(groups.json["items"].array.compactMap { $0["id"].string }) == ["sales", "night"], "\(groups.json)")
        }
    }
}
