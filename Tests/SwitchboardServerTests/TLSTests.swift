import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import SwitchboardProtocol
import SwitchboardTestSupport
import Synchronization
import Testing

/// `switchboard serve --tls-cert --tls-key`: the real executable speaks HTTPS and WSS with the
/// certificate it was given, and refuses a TLS configuration it cannot use, saying why.
@Suite("Built-in TLS", .serialized)
struct TLSTests {
    /// A self-signed certificate for `localhost` and 127.0.0.1 with its key, and a key that
    /// belongs to no certificate, made by openssl in a temporary directory.
    struct Certificate {
        let directory: String
        var certificate: String { directory + "/cert.pem" }
        var key: String { directory + "/key.pem" }
        var otherKey: String { directory + "/other-key.pem" }

        static func make() throws -> Certificate {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-tls-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let made = Certificate(directory: directory)
            try openssl([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", made.key, "-out", made.certificate, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", made.otherKey])
            return made
        }

        private static func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let said = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestFailure("openssl \(arguments.joined(separator: " ")) failed (is openssl installed?): \(String(decoding: said, as: UTF8.self))")
            }
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A client that trusts only the test certificate and checks the host name: a handshake
    /// succeeds only if the server presents exactly that certificate.
    static func clientTLS(trusting certificate: Certificate) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate.certificate))
        configuration.certificateVerification = .fullVerification
        return configuration
    }

    @Test func theServerSpeaksHTTPSAndWSSWithItsCertificate() async throws {
        let certificate = try Certificate.make()
        defer { certificate.remove() }
        let dataDirectory = certificate.directory + "/data"
        let process = try await ServerProcess.start(dataDirectory: dataDirectory, arguments: ["--tls-cert", certificate.certificate, "--tls-key", certificate.key])
        defer { process.kill() }
        #expect(process.scheme == "https", "the startup line should say https://")
        let tls = try Self.clientTLS(trusting: certificate)
        let port = process.port

        // HTTPS: health, and the admin API with its key.
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: tls, serverName: "localhost")) { client in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            #expect(health.body.map { String(buffer: $0) }?.contains("ok") == true)
            let admin: HTTPFields = [.authorization: "Bearer \(ServerProcess.apiKey)", .contentType: "application/json"]
            let group = try await client.post("/api/v1/skill-groups", headers: admin, body: ByteBuffer(string: #"{"id":"sales","name":"Sales"}"#))
            #expect(group.status == .created)
            let agent = try await client.post("/api/v1/agents", headers: admin, body: ByteBuffer(string: #"{"id":"alice","name":"Alice","memberships":[{"skillGroupId":"sales"}],"password":"pw-alice-123"}"#))
            #expect(agent.status == .created)
        }

        // WSS: an agent logs in and goes online over the TLS socket.
        let frames = try await Self.agentSession(port: port, tls: tls, frames: [
            #"{"v":1,"type":"hello","userId":"alice","password":"pw-alice-123"}"#,
            #"{"v":1,"type":"request","id":"r-1","method":"Agent.online"}"#,
        ], until: { $0["type"]?.string == "response" && $0["id"]?.string == "r-1" })
        let welcome = try #require(frames.first { $0["type"]?.string == "welcome" })
        #expect(welcome["userId"]?.string == "alice")
        #expect(frames.contains { $0["type"]?.string == "response" && $0["status"]?.string == "success" })

        // Plain HTTP on the TLS port gets no HTTP answer.
        await #expect(throws: (any Error).self) {
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(5))) { client in
                _ = try await client.get("/healthz")
            }
        }
        #expect(try await process.terminate() == 0)
    }

    @Test func aTLSConfigurationItCannotUseIsRefusedAtStart() async throws {
        let certificate = try Certificate.make()
        defer { certificate.remove() }
        let garbage = certificate.directory + "/garbage.pem"
        try Data("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let dataDirectory = certificate.directory + "/data"
        let cases: [(arguments: [String], says: String)] = [
            (["--tls-cert", certificate.certificate], "--tls-key is not"),
            (["--tls-key", certificate.key], "--tls-cert is not"),
            (["--tls-cert", certificate.directory + "/missing.pem", "--tls-key", certificate.key], "'\(certificate.directory)/missing.pem' (--tls-cert) does not exist"),
            (["--tls-cert", certificate.certificate, "--tls-key", certificate.directory + "/missing.pem"], "(--tls-key) does not exist"),
            (["--tls-cert", garbage, "--tls-key", certificate.key], "holds no PEM certificate"),
            (["--tls-cert", certificate.certificate, "--tls-key", garbage], "holds no unencrypted PEM private key"),
            // The key and the certificate swapped.
            (["--tls-cert", certificate.key, "--tls-key", certificate.certificate], "holds no PEM certificate"),
            (["--tls-cert", certificate.certificate, "--tls-key", certificate.otherKey], "does not belong to the certificate"),
        ]
        for (arguments, says) in cases {
            let refused = try await ServerProcess.refusal(dataDirectory: dataDirectory, arguments: arguments)
            #expect(refused.status != 0, "\(arguments)")
            #expect(refused.output.contains(says), "\(arguments) should say \"\(says)\"; it said: \(refused.output)")
        }
        // The same through the environment variables.
        let refused = try await ServerProcess.refusal(
            dataDirectory: dataDirectory, arguments: [], environment: ["SWITCHBOARD_TLS_CERT": certificate.certificate])
        #expect(refused.output.contains("--tls-key is not"), "\(refused.output)")
    }

    /// Opens a WSS agent socket, sends `frames` one after another, and collects what the
    /// server sends until `until` matches one.
    static func agentSession(
        port: Int, tls: TLSConfiguration, frames: [String], until: @escaping @Sendable (JSONValue) -> Bool
    ) async throws -> [JSONValue] {
        let logger = { var logger = Logger(label: "tls-test"); logger.logLevel = .warning; return logger }()
        let received = Received()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await WebSocketClient.connect(
                    url: "wss://127.0.0.1:\(port)/ws/agent", configuration: .init(sniHostname: "localhost"), tlsConfiguration: tls, logger: logger
                ) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    for frame in frames {
                        try await outbound.write(.text(frame))
                        // One answer per frame sent: the welcome (and ready) for hello, a response for a request.
                        while let message = try await messages.next() {
                            guard case .text(let text) = message else { continue }
                            let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                            received.frames.withLock { $0.append(value) }
                            if value["type"]?.string == "error" { throw TestFailure("the server refused \(frame): \(text)") }
                            if until(value) { try await outbound.close(.normalClosure, reason: nil); return }
                            if value["name"]?.string == "ready" || value["type"]?.string == "response" { break }
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                throw TestFailure("no answer over WSS within 20 seconds")
            }
            try await group.next()
            group.cancelAll()
        }
        return received.frames.withLock { $0 }
    }

    /// What a WSS client received.
    final class Received: Sendable { let frames = Mutex<[JSONValue]>([]) }
}
