import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Creates the load-test skill group and agents through the admin API and issues their tokens
/// (tokens, not passwords: a thousand bcrypt checks would measure bcrypt, not routing).
struct AdminSetup {
    let options: LoadTestOptions
    static let group = "loadtest"

    func agentId(_ index: Int) -> String { "lt-\(index)" }

    private func call(_ method: String, _ path: String, _ body: String?) async throws -> (Int, Data) {
        var request = URLRequest(url: options.server.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Bearer \(options.apiKey)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    private func require(_ allowed: Set<Int>, _ method: String, _ path: String, _ body: String?) async throws -> Data {
        let (status, data) = try await call(method, path, body)
        guard allowed.contains(status) else {
            throw LoadTestError("\(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    /// Makes the group and agents (idempotently) and returns each agent's token.
    func prepare(progress: (Int) -> Void) async throws -> [String] {
        let group = #"{"id":"\#(Self.group)","name":"Load test","offerTimeoutSeconds":30}"#
        _ = try await require([201, 409], "POST", "/api/v1/skill-groups", group)
        var tokens: [String] = []
        tokens.reserveCapacity(options.agents)
        for index in 1...options.agents {
            let id = agentId(index)
            let agent = #"{"id":"\#(id)","name":"Agent \#(index)","imCapacity":\#(options.imCapacity),"memberships":[{"skillGroupId":"\#(Self.group)","skillLevel":3}]}"#
            _ = try await require([201, 409], "POST", "/api/v1/agents", agent)
            let data = try await require([200, 201], "POST", "/api/v1/agents/\(id)/tokens", "{}")
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let token = object["token"] as? String else {
                throw LoadTestError("the token answer for \(id) has no token: \(String(decoding: data, as: UTF8.self))")
            }
            tokens.append(token)
            if index % 50 == 0 { progress(index) }
        }
        return tokens
    }
}
