import Foundation
import HTTPTypes
import SwitchboardTestSupport

/// A supervisor signed in over HTTP: the cookie the server set and the CSRF token it answered,
/// held the way a browser and the page hold them.
struct SupervisorBrowser: Sendable {
    let server: TestServer
    /// `switchboard_supervisor=<secret>`, as a browser sends it back.
    let cookie: String
    let csrfToken: String
    /// The sign-in answer.
    let signedIn: JSON

    /// What to send as `X-CSRF-Token`.
    enum CSRF: Sendable {
        case right, none, wrong
    }

    /// A request with the cookie and, by default, the right CSRF token.
    func request(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, csrf: CSRF = .right) async throws -> Answer {
        var headers: HTTPFields = [.cookie: cookie]
        switch csrf {
        case .right: headers[.csrfToken] = csrfToken
        case .wrong: headers[.csrfToken] = String(csrfToken.reversed())
        case .none: break
        }
        return try await server.http(method, path, headers: headers, body: body)
    }
}

extension TestServer {
    /// Creates a supervisor account with the API key, failing unless it answers 201.
    @discardableResult
    func createSupervisor(_ id: String, role: String, password: String = "correct horse battery", name: String? = nil) async throws -> JSON {
        let body = #"{"role":"\#(role)","password":"\#(password)"\#(name.map { #","name":"\#($0)""# } ?? "")}"#
        let answer = try await api(.put, "/api/v1/supervisors/\(id)", body)
        guard answer.status == .created else { throw TestFailure("creating supervisor \(id): \(answer.status) \(answer.json)") }
        return answer.json
    }

    /// The raw sign-in answer.
    func signInAnswer(_ userId: String, _ password: String) async throws -> Answer {
        try await http(.post, "/api/v1/auth/session", body: #"{"userId":"\#(userId)","password":"\#(password)"}"#)
    }

    /// Signs a supervisor in, failing unless it answers 200 with a cookie.
    func signIn(_ userId: String, password: String = "correct horse battery") async throws -> SupervisorBrowser {
        let answer = try await signInAnswer(userId, password)
        guard answer.status == .ok, let setCookie = answer.headers[.setCookie], let token = answer.json["csrfToken"].string else {
            throw TestFailure("signing in \(userId): \(answer.status) \(answer.json)")
        }
        let pair = String(setCookie.split(separator: ";")[0])
        return SupervisorBrowser(server: self, cookie: pair, csrfToken: token, signedIn: answer.json)
    }
}

extension HTTPField.Name {
    static var csrfToken: Self { HTTPField.Name("X-CSRF-Token")! }
}

/// The attributes of a `Set-Cookie` header, by lower-cased name (flags map to "").
func cookieAttributes(_ header: String) -> [String: String] {
    var attributes: [String: String] = [:]
    for part in header.split(separator: ";").dropFirst() {
        let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
        attributes[pair[0].lowercased()] = pair.count > 1 ? String(pair[1]) : ""
    }
    return attributes
}
