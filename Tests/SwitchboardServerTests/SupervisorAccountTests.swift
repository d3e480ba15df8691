import Foundation
import SwitchboardTestSupport
import Testing

/// `/api/v1/supervisors`: accounts created, replaced, listed and deleted with the key; every bad
/// input answered with a clear error that changes nothing.
@Suite("Supervisor accounts")
struct SupervisorAccountTests {
    @Test func accountsAreCreatedReplacedListedAndDeleted() async throws {
        try await TestServer.run { server in
            let created = try await server.api(.put, "/api/v1/supervisors/ada", #"{"name":"Ada Lovelace","role":"admin","password":"analytical engine"}"#)
            #expect(created.status == .created && created.headers[.location] == "/api/v1/supervisors/ada")
            #expect(created.json.keys == ["id", "name", "role", "hasPassword", "createdAt"], "never the hash")
            #expect(created.json["role"].string == "admin" && created.json["hasPassword"].bool == true)
            let createdAt = try #require(created.json["createdAt"].int)

            // PUT replaces name and role; the password and creation time stay.
            let replaced = try await server.api(.put, "/api/v1/supervisors/ada", #"{"id":"ada","role":"supervisor"}"#)
            #expect(replaced.status == .ok)
            #expect(replaced.json["name"].string == "ada", "a name left out takes its default, the id")
            #expect(replaced.json["role"].string == "supervisor" && replaced.json["hasPassword"].bool == true && replaced.json["createdAt"].int == createdAt)
            #expect(try await server.signInAnswer("ada", "analytical engine").status == .ok)

            #expect(try await server.api(.put, "/api/v1/supervisors/bo", #"{"role":"supervisor"}"#).json["hasPassword"].bool == false)
            let list = try await server.api(.get, "/api/v1/supervisors?limit=1")
            #expect(list.status == .ok && list.json["items"].array.map { $0["id"].string } == ["ada"])
            #expect(list.json["total"].int == 2 && list.json["hasMore"].bool == true)
            #expect(try await server.api(.get, "/api/v1/supervisors/bo").json["name"].string == "bo")

            #expect(try await server.api(.delete, "/api/v1/supervisors/bo").status == .noContent)
            let gone = try await server.api(.get, "/api/v1/supervisors/bo")
            #expect(gone.status == .notFound && gone.json.errorCode == "unknownSupervisor" && gone.json.errorMessage == "supervisor bo does not exist")
            #expect(try await server.api(.delete, "/api/v1/supervisors/bo").status == .notFound)
            #expect(try await server.api(.put, "/api/v1/supervisors/bo/password", #"{"password":"long enough"}"#).status == .notFound)
            #expect(try await server.api(.get, "/api/v1/supervisors/bo").status == .notFound, "setting a password creates no account")
            #expect(try await server.http(.get, "/api/v1/supervisors").status == .unauthorized)
        }
    }

    @Test func badInputGetsAClearErrorAndChangesNothing() async throws {
        try await TestServer.run { server in
            try await server.createSupervisor("ada", role: "admin", password: "analytical engine", name: "Ada")
            let before = try await server.api(.get, "/api/v1/supervisors").json.description
            let cases: [(String, String, String, String)] = [
                ("/api/v1/supervisors/ada", #"{"name":"Ada"}"#, "invalidBody", "field 'role' is required"),
                ("/api/v1/supervisors/ada", #"{"role":"owner"}"#, "invalidValue", "field 'role' must be one of supervisor, admin, not 'owner'"),
                ("/api/v1/supervisors/ada", #"{"role":"admin","password":"short"}"#, "invalidValue", "field 'password' must be 8 to 128 characters"),
                ("/api/v1/supervisors/ada", #"{"role":"admin","id":"bob"}"#, "invalidValue", "ids cannot be changed"),
                ("/api/v1/supervisors/ada", #"{"role":"admin","name":"  "}"#, "invalidValue", "field 'name' must not be blank"),
                ("/api/v1/supervisors/ada", #"{"role":"admin","rol":"x"}"#, "unknownField", "field 'rol' is not accepted here"),
                ("/api/v1/supervisors/ada", "", "missingBody", "needs a JSON body"),
                ("/api/v1/supervisors/has%20space", #"{"role":"admin"}"#, "invalidValue", "must be 1 to 128 letters"),
                ("/api/v1/supervisors/ada?force=1", #"{"role":"admin"}"#, "unknownParameter", "query parameter 'force'"),
                ("/api/v1/supervisors/ada/password", #"{"password":"1234567"}"#, "invalidValue", "8 to 128"),
                ("/api/v1/supervisors/ada/password", #"{}"#, "invalidBody", "field 'password' is required"),
            ]
            for (path, body, code, words) in cases {
                let answer = try await server.api(.put, path, body)
                #expect(answer.status == .badRequest, "\(path) \(body): \(answer.status)")
                #expect(answer.json.errorCode == code, "\(path) \(body): \(answer.json)")
                #expect(answer.json.errorMessage.contains(words), "\(path) \(body): \(answer.json.errorMessage)")
            }
            #expect(try await server.api(.get, "/api/v1/supervisors").json.description == before)
            #expect(try await server.signInAnswer("ada", "analytical engine").status == .ok, "the password is unchanged")
        }
    }
}
