import Foundation
import HTTPTypes
import Logging
import Synchronization
import SwitchboardCore
@testable import SwitchboardServer
@testable import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Supervisors sign in with a password over real HTTP: the cookie's flags, the same answer and
/// work for unknown ids as for wrong passwords, the agents' waits and locks, sign-out, and
/// sessions that a new password or a deleted account end.
@Suite("Supervisor sign-in", .serialized)
struct SupervisorSignInTests {
    @Test func signingInSetsAnHttpOnlyStrictCookieAndAnswersWhoWithTheCSRFToken() async throws {
        try await TestServer.run { server in
            try await server.createSupervisor("ada", role: "admin", name: "Ada Lovelace")
            let answer = try await server.signInAnswer("ada", "correct horse battery")
            #expect(answer.status == .ok)
            #expect(answer.json.keys == ["userId", "name", "role", "csrfToken", "expiresAt"])
            #expect(answer.json["userId"].string == "ada" && answer.json["name"].string == "Ada Lovelace" && answer.json["role"].string == "admin")
            #expect((answer.json["csrfToken"].string?.count ?? 0) >= 40)
            #expect(answer.headers[.cacheControl] == "no-store")

            let setCookie = try #require(answer.headers[.setCookie])
            let (name, secret) = (setCookie.split(separator: ";")[0].split(separator: "=").map(String.init)[0],
                                  String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1]))
            #expect(name == "switchboard_supervisor")
            // 256 random bits, URL-safe base64 without padding.
            #expect(secret.count == 43 && Data(base64Encoded: secret.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=")?.count == 32)
            let attributes = cookieAttributes(setCookie)
            #expect(attributes["httponly"] == "" && attributes["samesite"] == "Strict" && attributes["path"] == "/")
            #expect(attributes["max-age"] == "43200")
            #expect(attributes["secure"] == nil, "plain HTTP without --secure-cookies: a Secure cookie would never come back")
            #expect(attributes["domain"] == nil)
            let expiresAt = try #require(answer.json["expiresAt"].int)
            let idleEnd = Int(Date().timeIntervalSince1970 * 1000) + 1800 * 1000
            #expect(abs(expiresAt - idleEnd) < 60_000, "ends after the 30-minute idle timeout unless used")

            // The store keeps the secret's hash, never the secret.
            let stored = try await (server.components.store as! SQLiteRoutingStore).inspect("SELECT token_hash FROM supervisor_sessions")
            #expect(stored == [[SupervisorSessions.hash(secret)]])
            #expect(!stored.flatMap { $0 }.contains(secret))

            // A reloaded page asks who is signed in and gets the same CSRF token.
            let browser = try await server.signIn("ada")
            let current = try await server.http(.get, "/api/v1/auth/session", headers: [.cookie: browser.cookie])
            #expect(current.status == .ok && current.json["csrfToken"].string == browser.csrfToken && current.json["role"].string == "admin")
            let nobody = try await server.http(.get, "/api/v1/auth/session")
            #expect(nobody.status == .unauthorized && nobody.json.errorCode == "notSignedIn")
        }
    }

    @Test func theCookieIsSecureWithSecureCookiesOrTLS() async throws {
        try await TestServer.run(configure: { $0.supervisorSessions.secureCookie = true }) { server in
            try await server.createSupervisor("ada", role: "admin")
            let answer = try await server.signInAnswer("ada", "correct horse battery")
            #expect(cookieAttributes(try #require(answer.headers[.setCookie]))["secure"] == "")
        }
        let certificate = try TLSTests.Certificate.make()
        defer { certificate.remove() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-tls-cookie-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.tlsCertificatePath = certificate.certificate
        configuration.tlsKeyPath = certificate.key
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteRoutingStore(path: configuration.databasePath)
        let components = try await ServerComponents.make(configuration: configuration, store: store, logger: Logger(label: "test"))
        #expect(components.supervisorSessions.secureCookie)
        #expect(cookieAttributes(SignInRoutes.cookie("secret", supervisors: components.supervisorSessions).description)["secure"] == "")
        try await store.close()
    }

    /// The hashes bcrypt was asked to check against.
    final class VerificationLog: Sendable {
        let hashes = Mutex<[String]>([])
        var verifier: PasswordHashVerifier {
            { password, hash in
                self.hashes.withLock { $0.append(hash) }
                return AgentAuthenticator.bcryptVerifier(password, hash)
            }
        }
        func take() -> [String] { hashes.withLock { let taken = $0; $0 = []; return taken } }
    }

    @Test func aWrongPasswordAndAnUnknownIdGetTheSameAnswerAfterTheSameWork() async throws {
        let log = VerificationLog()
        try await TestServer.run(verifyPasswordHash: log.verifier) { server in
            try await server.createSupervisor("ada", role: "admin")
            try await server.createSupervisor("gone", role: "supervisor")
            #expect(try await server.api(.delete, "/api/v1/supervisors/gone").status == .noContent)
            #expect(try await server.api(.put, "/api/v1/supervisors/nopass", #"{"role":"admin"}"#).status == .created)
            // An agent's password does not sign in a supervisor of the same id.
            try await server.createAgent(#"{"id":"alice","password":"correct horse battery"}"#)
            _ = log.take()

            var answers: [String: Answer] = [:]
            var hashes: [String: [String]] = [:]
            for userId in ["ada", "mallory", "gone", "nopass", "alice"] {
                answers[userId] = try await server.signInAnswer(userId, "correct horse battery" + (userId == "ada" ? "!" : ""))
                hashes[userId] = log.take()
            }
            for (userId, answer) in answers {
                #expect(answer.status == .unauthorized, "\(userId)")
                #expect(answer.json.errorCode == "wrongCredentials" && answer.json.errorMessage == "wrong user id or password", "\(userId)")
                #expect(answer.headers[.setCookie] == nil && answer.headers[.retryAfter] == nil, "\(userId)")
                #expect(hashes[userId]?.count == 1, "one bcrypt check for \(userId)")
            }
            #expect(hashes["ada"]?.first != AgentAuthenticator.unknownUserHash)
            for userId in ["mallory", "gone", "nopass", "alice"] { #expect(hashes[userId] == [AgentAuthenticator.unknownUserHash], "\(userId)") }
            #expect(try await (server.components.store as! SQLiteRoutingStore).inspect("SELECT COUNT(*) FROM supervisor_sessions") == [["0"]])
        }
    }

    @Test func failuresEarnTheAgentsWaitsAndLockWithRetryAfter() async throws {
        let strict: (inout ServerConfiguration) -> Void = { $0.logins.accountDelayAfter = 2; $0.logins.accountLockAfter = 3 }
        try await TestServer.run(configure: strict) { server in
            try await server.createSupervisor("ada", role: "admin")
            #expect(try await server.signInAnswer("ada", "guess-one").status == .unauthorized)
            let second = try await server.signInAnswer("ada", "guess-two")
            #expect(second.status == .unauthorized && second.json.errorMessage == "wrong user id or password; retry in 1 s")
            #expect(second.headers[.retryAfter] == "1")
            let waiting = try await server.signInAnswer("ada", "correct horse battery")
            #expect(waiting.status == .tooManyRequests && waiting.json.errorCode == "tooManyAttempts")
            #expect(waiting.json.errorMessage == "too many failed logins for user 'ada'; retry in 1 s" && waiting.headers[.retryAfter] == "1")
            try await Task.sleep(for: .milliseconds(1100))
            let third = try await server.signInAnswer("ada", "guess-three")
            #expect(third.status == .forbidden && third.json.errorCode == "signInLocked")
            let locked = try await server.signInAnswer("ada", "correct horse battery")
            #expect(locked.status == .forbidden && locked.json.errorMessage.contains("its password logins are locked; ask an administrator"))

            // The admin sees and lifts the lock; agents' locks are their own.
            let lock = try await server.api(.get, "/api/v1/supervisors/ada/login-lock")
            #expect(lock.status == .ok && lock.json["locked"].bool == true && lock.json["recentFailures"].int == 3)
            #expect(try await server.api(.delete, "/api/v1/supervisors/ada/login-lock").status == .noContent)
            #expect(try await server.signInAnswer("ada", "correct horse battery").status == .ok)
            #expect(try await server.api(.get, "/api/v1/supervisors/nobody/login-lock").json.errorCode == "unknownSupervisor")
        }
    }

    @Test func addressWaitsCountTheClientATrustedProxyForwards() async throws {
        let behindProxy: (inout ServerConfiguration) -> Void = { $0.logins.addressDelayAfter = 2; $0.trustedProxies = ["127.0.0.1"] }
        try await TestServer.run(configure: behindProxy) { server in
            func attempt(_ userId: String, from client: String) async throws -> Answer {
                try await server.http(.post, "/api/v1/auth/session", headers: [HTTPField.Name("X-Forwarded-For")!: client],
                                      body: #"{"userId":"\#(userId)","password":"guess-guess"}"#)
            }
            // Each try names another id, so only the address's count can make anyone wait.
            #expect(try await attempt("u1", from: "198.51.100.7").status == .unauthorized)
            #expect(try await attempt("u2", from: "198.51.100.7").status == .unauthorized)
            let waiting = try await attempt("u3", from: "198.51.100.7")
            #expect(waiting.status == .tooManyRequests && waiting.json.errorMessage.contains("from this address"))
            #expect(waiting.json["error"]["retryAfter"].int == 1)
            // Another client behind the same proxy is not made to wait for the first one's guesses.
            #expect(try await attempt("u4", from: "198.51.100.8").status == .unauthorized)
        }
    }

    @Test func signingOutNeedsTheCSRFTokenAndEndsTheSession() async throws {
        try await TestServer.run { server in
            try await server.createSupervisor("ada", role: "admin")
            let browser = try await server.signIn("ada")
            let forged = try await browser.request(.delete, "/api/v1/auth/session", csrf: .none)
            #expect(forged.status == .forbidden && forged.json.errorCode == "csrfTokenInvalid")
            #expect(try await browser.request(.get, "/api/v1/queues").status == .ok, "still signed in")

            let out = try await browser.request(.delete, "/api/v1/auth/session")
            #expect(out.status == .noContent)
            let cleared = cookieAttributes(try #require(out.headers[.setCookie]))
            #expect(cleared["max-age"] == "0")
            let after = try await browser.request(.get, "/api/v1/queues")
            #expect(after.status == .unauthorized && after.json.errorMessage.contains("sign in again"))
            // Signing out again, or with no cookie, is not an error.
            #expect(try await browser.request(.delete, "/api/v1/auth/session").status == .noContent)
            #expect(try await server.http(.delete, "/api/v1/auth/session").status == .noContent)
        }
    }

    @Test func aNewPasswordOrDeletingTheAccountEndsItsSessions() async throws {
        try await TestServer.run { server in
            try await server.createSupervisor("ada", role: "admin")
            try await server.createSupervisor("bo", role: "supervisor")
            let ada = try await server.signIn("ada")
            let adaElsewhere = try await server.signIn("ada")
            let bo = try await server.signIn("bo")

            #expect(try await server.api(.put, "/api/v1/supervisors/ada/password", #"{"password":"a new password"}"#).status == .noContent)
            for browser in [ada, adaElsewhere] {
                let refused = try await browser.request(.get, "/api/v1/queues")
                #expect(refused.status == .unauthorized && refused.json.errorMessage.contains("password changed"))
            }
            #expect(try await bo.request(.get, "/api/v1/queues").status == .ok, "other accounts' sessions stay")
            #expect(try await server.signInAnswer("ada", "correct horse battery").status == .unauthorized)
            let again = try await server.signIn("ada", password: "a new password")

            // An admin session deleting an account ends it at once, as the key does.
            #expect(try await again.request(.delete, "/api/v1/supervisors/bo").status == .noContent)
            #expect(try await bo.request(.get, "/api/v1/queues").status == .unauthorized)
            #expect(try await server.signInAnswer("bo", "correct horse battery").status == .unauthorized)
            // Created again under the same id, it inherits neither password nor session.
            #expect(try await server.api(.put, "/api/v1/supervisors/bo", #"{"role":"supervisor"}"#).status == .created)
            #expect(try await bo.request(.get, "/api/v1/queues").status == .unauthorized)
            #expect(try await server.signInAnswer("bo", "correct horse battery").status == .unauthorized)
        }
    }

    @Test func aChangedRoleAppliesToOpenSessionsAtOnce() async throws {
        try await TestServer.run { server in
            try await server.createSupervisor("ada", role: "admin")
            let ada = try await server.signIn("ada")
            #expect(try await ada.request(.get, "/api/v1/supervisors").status == .ok)
            #expect(try await server.api(.put, "/api/v1/supervisors/ada", #"{"role":"supervisor","name":"Ada"}"#).status == .ok)
            let refused = try await ada.request(.get, "/api/v1/supervisors")
            #expect(refused.status == .forbidden && refused.json.errorCode == "forbiddenForRole")
            #expect(try await server.http(.get, "/api/v1/auth/session", headers: [.cookie: ada.cookie]).json["role"].string == "supervisor")
        }
    }

    @Test func sessionsSurviveARestartAndPasswordsChangedMeanwhileStillEndThem() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-supervisor-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let browsers = Mutex<[String: (cookie: String, csrf: String)]>([:])
        try await TestServer.run(dataDirectory: directory) { server in
            try await server.createSupervisor("ada", role: "admin")
            try await server.createSupervisor("bo", role: "supervisor")
            for id in ["ada", "bo"] {
                let browser = try await server.signIn(id)
                browsers.withLock { $0[id] = (browser.cookie, browser.csrfToken) }
            }
        }
        try await TestServer.run(dataDirectory: directory) { server in
            let (adaCookie, adaCSRF) = try #require(browsers.withLock { $0["ada"] })
            let current = try await server.http(.get, "/api/v1/auth/session", headers: [.cookie: adaCookie])
            #expect(current.status == .ok && current.json["userId"].string == "ada")
            #expect(current.json["csrfToken"].string == adaCSRF, "the CSRF token is derived, not stored: the same after a restart")
            let change = try await server.http(.put, "/api/v1/supervisors/bo/password", headers: [.cookie: adaCookie, .csrfToken: adaCSRF],
                                               body: #"{"password":"another password"}"#)
            #expect(change.status == .noContent)
        }
        try await TestServer.run(dataDirectory: directory) { server in
            let (boCookie, _) = try #require(browsers.withLock { $0["bo"] })
            #expect(try await server.http(.get, "/api/v1/auth/session", headers: [.cookie: boCookie]).status == .unauthorized)
            let (adaCookie, _) = try #require(browsers.withLock { $0["ada"] })
            #expect(try await server.http(.get, "/api/v1/queues", headers: [.cookie: adaCookie]).status == .ok)
        }
    }

    @Test func signInInputIsCheckedAndChangesNothing() async throws {
        try await TestServer.run { server in
            let cases: [(String, String)] = [
                (#"{"userId":"ada"}"#, "password"), (#"{"userId":"","password":"x"}"#, "userId"),
                (#"{"userId":"ada","password":"pw","remember":true}"#, "remember"), ("not json", "JSON"),
            ]
            for (body, named) in cases {
                let answer = try await server.http(.post, "/api/v1/auth/session", body: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json.errorMessage.contains(named), "\(body): \(answer.json)")
                #expect(answer.headers[.setCookie] == nil)
            }
            #expect(try await (server.components.store as! SQLiteRoutingStore).inspect("SELECT COUNT(*) FROM supervisor_sessions") == [["0"]])
        }
    }
}
