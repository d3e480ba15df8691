import Foundation
import Hummingbird
import SwitchboardCore
@testable import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// The OpenAPI document against the router and against real answers, so neither drifts.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func documentDescribesExactlyTheRoutesOfTheRouter() async throws {
        try await TestServer.run { server in
            let router = SwitchboardApplication.makeRouter(server: server.components)
            // RouterPath prints captures as `{name}`, which is OpenAPI's syntax already.
            let routed = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
            let document = try await server.http(.get, "/openapi.json").json
            var described: Set<String> = []
            for (path, item) in (document["paths"].value as? [String: Any]) ?? [:] {
                for method in JSON(item).keys { described.insert("\(method) \(path)") }
            }
            #expect(routed.subtracting(described).isEmpty, "routes without a description: \(routed.subtracting(described).sorted())")
            #expect(described.subtracting(routed).isEmpty, "described but not routed: \(described.subtracting(routed).sorted())")
            #expect(routed.count >= 35)
        }
    }

    @Test func documentIsWellFormed() async throws {
        try await TestServer.run { server in
            let answer = try await server.http(.get, "/openapi.json")
            #expect(answer.status == .ok && answer.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = answer.json
            #expect(document["openapi"].string?.hasPrefix("3.1.") == true)
            #expect(document["info"]["title"].string != nil && document["info"]["version"].string != nil)
            var operationIds: [String] = []
            for (path, item) in (document["paths"].value as? [String: Any]) ?? [:] {
                for method in JSON(item).keys {
                    let operation = JSON(item)[method]
                    let id = operation["operationId"].string
                    #expect(id != nil, "\(method) \(path) has no operationId")
                    operationIds.append(id ?? "")
                    #expect(!operation["responses"].keys.isEmpty, "\(method) \(path) has no responses")
                    for parameter in operation["parameters"].array where parameter["in"].string == "path" {
                        #expect(path.contains("{\(parameter["name"].string ?? "?")}"), "\(method) \(path): \(parameter)")
                    }
                }
            }
            #expect(Set(operationIds).count == operationIds.count, "operationIds repeat")
            var references: [String] = []
            collectReferences(document.value, into: &references)
            #expect(!references.isEmpty)
            for reference in Set(references) {
                #expect(resolve(reference, in: document).exists, "\(reference) does not resolve")
            }
            for name in ["bearerAuth", "apiKeyHeader", "sessionSecret"] {
                #expect(document["components"]["securitySchemes"][name].exists)
            }
        }
    }

    @Test func realAnswersHaveExactlyTheRequiredProperties() async throws {
        try await TestServer.run { server in
            let document = try await server.http(.get, "/openapi.json").json
            try await server.createGroup(#"{"id":"sales"}"#)
            try await server.createAgent(#"{"id":"alice","memberships":[{"skillGroupId":"sales"}],"password":"alice-secret"}"#)
            let alice = try await server.onlineAgent("alice", password: "alice-secret")
            let (chatId, secret) = try await server.startChat(group: "sales")
            _ = try await alice.event("callIn", session: chatId)
            try await alice.call("Chat.accept", ["sessionId": .string(chatId)])
            try await alice.call("Chat.sendMessage", ["sessionId": .string(chatId), "text": "Hello"])
            _ = try await server.api(.post, "/api/v1/sessions", #"{"type":"phone","skillGroupId":"sales"}"#)

            let checks: [(String, String, Answer)] = [
                ("get", "/api/v1/skill-groups/{id}", try await server.api(.get, "/api/v1/skill-groups/sales")),
                ("get", "/api/v1/skill-groups", try await server.api(.get, "/api/v1/skill-groups")),
                ("get", "/api/v1/agents/{id}", try await server.api(.get, "/api/v1/agents/alice")),
                ("get", "/api/v1/agents", try await server.api(.get, "/api/v1/agents")),
                ("post", "/api/v1/agents/{id}/tokens", try await server.api(.post, "/api/v1/agents/alice/tokens")),
                ("get", "/api/v1/agents/{id}/login-lock", try await server.api(.get, "/api/v1/agents/alice/login-lock")),
                ("get", "/api/v1/agents/{id}/status-history", try await server.api(.get, "/api/v1/agents/alice/status-history")),
                ("get", "/api/v1/sessions", try await server.api(.get, "/api/v1/sessions")),
                ("get", "/api/v1/sessions/{id}", try await server.api(.get, "/api/v1/sessions/\(chatId)")),
                ("get", "/api/v1/sessions/{id}/messages", try await server.api(.get, "/api/v1/sessions/\(chatId)/messages")),
                ("get", "/api/v1/queues", try await server.api(.get, "/api/v1/queues")),
                ("get", "/api/v1/status-board", try await server.api(.get, "/api/v1/status-board")),
                ("get", "/api/v1/configuration", try await server.api(.get, "/api/v1/configuration")),
                ("get", "/api/v1/chat/sessions/{id}", try await server.chat(.get, "/sessions/\(chatId)", secret: secret)),
                ("post", "/api/v1/chat/sessions", try await server.chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"sales","nickname":"Bo"}"#)),
                ("get", "/api/v1/agents/{id}", try await server.api(.get, "/api/v1/agents/nobody")),
                ("get", "/api/v1/agents", try await server.http(.get, "/api/v1/agents")),
            ]
            for (method, path, answer) in checks {
                let status = String(answer.status.code)
                var schema = document["paths"][path][method]["responses"][status]
                if let reference = schema["$ref"].string { schema = resolve(reference, in: document) }
                schema = schema["content"]["application/json"]["schema"]
                #expect(schema.exists, "\(method) \(path) documents no \(status) answer")
                let top = schema["$ref"].string.map { resolve($0, in: document) } ?? schema
                #expect(answer.json.keys == Set(top["required"].array.compactMap(\.string)), "\(method) \(path) \(status): \(answer.json)")
                var problems: [String] = []
                conform(answer.json, to: schema, in: document, at: "\(method) \(path) \(status)", problems: &problems)
                #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            }
            alice.socket.close()
        }
    }

    // MARK: Walking the document

    private func collectReferences(_ value: Any?, into references: inout [String]) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.append(reference) }
            for member in object.values { collectReferences(member, into: &references) }
        } else if let array = value as? [Any] {
            for element in array { collectReferences(element, into: &references) }
        }
    }

    private func resolve(_ reference: String, in document: JSON) -> JSON {
        guard reference.hasPrefix("#/") else { return JSON(nil) }
        return reference.dropFirst(2).split(separator: "/").reduce(document) { $0[String($1)] }
    }

    /// Checks a value against a schema: types, enums, required and known properties, recursively.
    private func conform(_ value: JSON, to schema: JSON, in document: JSON, at place: String, problems: inout [String]) {
        if let reference = schema["$ref"].string { return conform(value, to: resolve(reference, in: document), in: document, at: place, problems: &problems) }
        let types = schema["type"].string.map { [$0] } ?? schema["type"].array.compactMap(\.string)
        let actual: String = value.isNull ? "null" : value.bool != nil ? "boolean" : value.int != nil ? "integer"
            : value.string != nil ? "string" : value.value is [Any] ? "array" : value.value is [String: Any] ? "object" : "number"
        if !types.isEmpty && !types.contains(actual) { problems.append("\(place): \(actual) where the schema says \(types)") }
        let allowed = schema["enum"].array
        if !allowed.isEmpty, let text = value.string, !allowed.contains(where: { $0.string == text }) {
            problems.append("\(place): '\(text)' is not in the enum")
        }
        if let properties = schema["properties"].value as? [String: Any], value.value is [String: Any] {
            let unknown = value.keys.subtracting(properties.keys)
            if !unknown.isEmpty { problems.append("\(place): undocumented properties \(unknown.sorted())") }
            let missing = Set(schema["required"].array.compactMap(\.string)).subtracting(value.keys)
            if !missing.isEmpty { problems.append("\(place): missing required \(missing.sorted())") }
            for key in value.keys where properties[key] != nil {
                conform(value[key], to: JSON(properties[key]), in: document, at: "\(place).\(key)", problems: &problems)
            }
        }
        if schema["items"].exists {
            for (index, element) in value.array.enumerated() {
                conform(element, to: schema["items"], in: document, at: "\(place)[\(index)]", problems: &problems)
            }
        }
    }
}
