import Foundation
import Logging
import Synchronization
import SwitchboardStore
import Testing
@testable import SwitchboardServer

/// What the server writes to disk is its user's only, and what it prints and logs holds no
/// secret (docs/security.md, "Secret and file audit"; `Tests/security/audit_secrets.py` checks
/// the same end to end with every secret the server knows).
@Suite("Secrets stay out of logs and other users' reach", .serialized)
struct SecretKeepingTests {
    /// Every file and directory under `path` (itself included) whose mode is not 0700 for a
    /// directory or 0600 for a file, as "mode path".
    static func exposed(under path: String) throws -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        func check(_ item: String) throws {
            let attributes = try manager.attributesOfItem(atPath: item)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            if mode != (isDirectory ? 0o700 : 0o600) { found.append("\(String(mode, radix: 8)) \(item)") }
        }
        try check(path)
        for relative in manager.enumerator(atPath: path)?.allObjects as? [String] ?? [] {
            try check((path as NSString).appendingPathComponent(relative))
        }
        return found
    }

    static func temporaryDirectory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-\(name)-\(UUID().uuidString)").path
    }

    @Test func everythingTheServerCreatesInItsDataDirectoryIsItsUsersOnly() async throws {
        let root = Self.temporaryDirectory("modes")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Parents that do not exist yet, as on a first `--data-dir /var/lib/switchboard`.
        let dataDirectory = root + "/var/switchboard"
        let process = try await ServerProcess.start(dataDirectory: dataDirectory)
        defer { process.kill() }
        let admin = AdminClient(port: process.port)
        try await admin.expect(201, .post, "/api/v1/skill-groups", #"{"id":"sales","name":"Sales"}"#)
        try await admin.expect(201, .post, "/api/v1/agents", #"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}],"password":"a long password"}"#)
        try await admin.expect(201, .post, "/api/v1/chat/sessions", #"{"skillGroupId":"sales","nickname":"Ann"}"#)

        let contents = try FileManager.default.contentsOfDirectory(atPath: dataDirectory)
        #expect(Set(["switchboard.sqlite", "switchboard.sqlite-wal", "switchboard.sqlite-shm", "secrets.json"]).isSubset(of: contents))
        #expect(try Self.exposed(under: dataDirectory) == [])
        #expect(try await process.terminate() == 0)
        #expect(try Self.exposed(under: dataDirectory) == [])
    }

    @Test func theStoreIsPrivateWhateverTheUmask() async throws {
        // This test process has the usual umask (022): the store sets the modes itself.
        let directory = Self.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteRoutingStore(path: directory + "/nested/switchboard.sqlite")
        try await store.close()
        #expect(try Self.exposed(under: directory + "/nested") == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/nested").contains("switchboard.sqlite"))
    }

    @Test func theCarrierLegLedgerIsPrivateWhateverTheUmask() throws {
        let directory = Self.temporaryDirectory("ledger")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = try CarrierLegLedger(dataDirectory: directory)
        try ledger.save(.init(
            sessionId: "s-1", callId: "call-1@carrier", localURI: "<sip:+4930100@switchboard>", remoteURI: "<sip:+4930123@carrier>",
            remoteTarget: "sip:+4930123@192.0.2.1", routeSet: [], localCSeq: 1, peerHost: "192.0.2.1", peerPort: 5060))
        #expect(try Self.exposed(under: directory) == [])
        #expect(ledger.leftovers().map(\.callId) == ["call-1@carrier"])
    }

    @Test func aDataDirectoryOthersCanReadIsUsedButNamedInAWarning() throws {
        let directory = Self.temporaryDirectory("shared")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let captured = CapturedLog()
        let quiet = Logger(label: "test") { _ in captured }

        #expect(try DataDirectory.prepare(directory, logger: quiet) == 0o700)
        #expect(captured.messages.isEmpty)

        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        #expect(try DataDirectory.prepare(directory, logger: quiet) == 0o755)
        let warning = try #require(captured.messages.first)
        #expect(warning.level == .warning && warning.text.contains("other users") && warning.metadata.contains("chmod 700 \(directory)"))
    }

    @Test func aGivenAdminKeyIsNeverPrintedAndAGeneratedOneOnlyOnce() async throws {
        let given = Self.temporaryDirectory("given-key")
        defer { try? FileManager.default.removeItem(atPath: given) }
        let withKey = try await ServerProcess.start(dataDirectory: given)
        defer { withKey.kill() }
        #expect(try await withKey.terminate() == 0)
        #expect(withKey.printed.all.contains("listening on"))
        #expect(!withKey.printed.all.contains(ServerProcess.apiKey))
        #expect(withKey.printed.all.contains("the one given with --api-key"))

        let generated = Self.temporaryDirectory("generated-key")
        defer { try? FileManager.default.removeItem(atPath: generated) }
        let first = try await ServerProcess.start(dataDirectory: generated, configuredKey: false)
        defer { first.kill() }
        #expect(try await first.terminate() == 0)
        let secrets = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: generated + "/secrets.json"))) as? [String: String]
        let key = try #require(secrets?["adminAPIKey"])
        let signingSecret = try #require(secrets?["signingSecret"])
        #expect(first.printed.all.components(separatedBy: key).count == 2, "the generated key is printed once, on its first start")
        #expect(!first.printed.all.contains(signingSecret))

        let second = try await ServerProcess.start(dataDirectory: generated, configuredKey: false)
        defer { second.kill() }
        #expect(try await second.terminate() == 0)
        #expect(second.printed.all.contains("listening on"))
        #expect(!second.printed.all.contains(key) && !second.printed.all.contains(signingSecret))
        #expect(second.printed.all.contains("secrets.json"))
    }

    @Test func webSocketFrameDumpsAreNeverLogged() {
        let captured = CapturedLog()
        var logger = Logger(label: "test") { _ in FrameDumpFilter(captured) }
        logger.logLevel = .trace
        // What hummingbird-websocket logs at trace: a hello with sorted keys starts with the password.
        logger.trace(#"Received WebSocketFrame(WebSocketOpcode.text, flags: FIN, data: {length: 63, bytes: [ 7b 22 70 61 73 73 77 6f 72 64 ... ]})"#, source: "WSCore")
        logger.trace(#"Sending WebSocketFrame(WebSocketOpcode.text, flags: FIN, data: {length: 97, bytes: [ 7b 22 73 65 63 72 65 74 ... ]})"#, source: "WSCore")
        // Everything else passes, trace included.
        logger.trace("Closing WebSocket", source: "WSCore")
        logger.debug("Received WebSocketFrame(...) at debug is not a dump this filter knows", source: "WSCore")
        logger.trace("Sending WebSocketFrame( from elsewhere", source: "SwitchboardServer")
        logger.info("agent connected", metadata: ["agent": "alice"])
        #expect(captured.messages.map(\.text) == [
            "Closing WebSocket", "Received WebSocketFrame(...) at debug is not a dump this filter knows",
            "Sending WebSocketFrame( from elsewhere", "agent connected",
        ])
        #expect(captured.messages.last?.metadata.contains("alice") == true)
    }

    @Test func theRequestLogNamesQueryParametersButNotTheirValues() {
        #expect(RequestLogMiddleware<ServerRequestContext>.redacted(path: "/sdk/tccc.js", query: "token=eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl&userid=alice")
            == "/sdk/tccc.js?token=***&userid=***")
        #expect(RequestLogMiddleware<ServerRequestContext>.redacted(path: "/api/v1/agents", query: nil) == "/api/v1/agents")
        #expect(RequestLogMiddleware<ServerRequestContext>.redacted(path: "/api/v1/agents", query: "") == "/api/v1/agents")
        #expect(RequestLogMiddleware<ServerRequestContext>.redacted(path: "/x", query: "flag&&key=a=b&=v") == "/x?flag&key=***&=***")
    }
}

/// A log handler that keeps what it is given, for tests.
final class CapturedLog: LogHandler, @unchecked Sendable {
    struct Message: Sendable { var level: Logger.Level; var text: String; var metadata: String }
    private let kept = Mutex<[Message]>([])
    var messages: [Message] { kept.withLock { $0 } }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        kept.withLock { $0.append(Message(level: event.level, text: event.message.description, metadata: metadata)) }
    }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
