import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// `/api/v1/api-keys`: the key pairs (SecretId / SecretKey) that sign requests to the TCCC
/// server API (`POST /`, docs/tccc-migration.md). The SecretKey is shown once, in the answer
/// that creates it; lists show SecretIds only. Keys belong to the deployment's SdkAppId.
extension AdminRoutes {
    static func registerAPIKeys(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        let tenant = server.configuration.sdkAppId

        api.get("/api-keys") { request, _ -> Page<APIKeyRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            do { return page.slice(try await server.apiKeys.list(sdkAppId: tenant).map(APIKeyRepresentation.init)) } catch {
                throw APIError.storeFailed(error)
            }
        }

        api.post("/api-keys") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let body = try await RequestInput.body(APIKeyBody.self, from: request)
            if let description = body.description, description.count > 256 {
                throw APIError.invalid("field 'description' is \(description.count) characters; the limit is 256")
            }
            let issued: CloudAPIKeys.Issued
            do { issued = try await server.apiKeys.create(sdkAppId: tenant, description: body.description) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not save the key (\(error)); nothing was created, try again")
            }
            server.logger.notice("TCCC API key created", metadata: ["secretId": "\(issued.stored.secretId)"])
            var response = try created(
                CreatedAPIKeyRepresentation(issued), at: "/api/v1/api-keys/\(issued.stored.secretId)", request: request, context: context)
            response.headers[.cacheControl] = "no-store"
            return response
        }

        api.delete("/api-keys/{secretId}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let secretId = try RequestInput.pathId("secretId", context)
            let revoked: Bool
            do { revoked = try await server.apiKeys.revoke(secretId: secretId, sdkAppId: tenant) } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "could not revoke the key (\(error)); it still works, try again")
            }
            guard revoked else { throw APIError.notFound("unknownAPIKey", "API key \(secretId) does not exist (or was revoked already)") }
            server.logger.notice("TCCC API key revoked", metadata: ["secretId": "\(secretId)"])
            return noContent
        }
    }
}

/// The body of `POST /api/v1/api-keys`; an empty body is a key without a description.
struct APIKeyBody: JSONRequestBody {
    var description: String?
    static let fields = ["description"]
    static let emptyMeansEmptyObject = true
}

/// A key as lists show it: never its SecretKey.
struct APIKeyRepresentation: ResponseEncodable, Sendable {
    var secretId: String
    var sdkAppId: Int64
    @Nullable var description: String?
    var createdAt: Int64

    init(_ key: StoredAPIKey) {
        secretId = key.secretId
        sdkAppId = key.sdkAppId
        description = key.description
        createdAt = key.createdAt.milliseconds
    }
}

/// The answer to `POST /api/v1/api-keys`: the only time the SecretKey is shown.
struct CreatedAPIKeyRepresentation: ResponseEncodable, Sendable {
    var secretId: String
    var secretKey: String
    var sdkAppId: Int64
    @Nullable var description: String?
    var createdAt: Int64

    init(_ issued: CloudAPIKeys.Issued) {
        secretId = issued.stored.secretId
        secretKey = issued.secretKey
        sdkAppId = issued.stored.sdkAppId
        description = issued.stored.description
        createdAt = issued.stored.createdAt.milliseconds
    }
}
