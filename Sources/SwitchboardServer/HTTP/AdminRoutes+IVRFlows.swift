import Foundation
import Hummingbird
import SwitchboardCore

/// `/api/v1/ivr-flows`: the tenant's phone menus. A flow is validated whole when it is saved
/// (unknown group, missing or unreachable node, a loop no caller's choice leaves), so a caller
/// can never meet a broken one.
extension AdminRoutes {
    static func registerIVRFlows(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/ivr-flows") { request, _ -> Page<IVRFlow> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            return await server.routing.read { machine in page.slice(machine.ivrFlows.keys.sorted().map { machine.ivrFlows[$0]! }) }
        }

        api.get("/ivr-flows/{id}") { request, context -> IVRFlow in
            _ = try QueryParameters(request, accepted: [])
            return try await flow(IVRFlowID(try RequestInput.pathId("id", context)), server: server)
        }

        api.put("/ivr-flows/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = try RequestInput.pathId("id", context)
            let body = try await RequestInput.body(IVRFlowBody.self, from: request)
            if let bodyId = body.id, bodyId != id {
                throw APIError.invalid("field 'id' is '\(bodyId)' but the path names \(id)")
            }
            let flow = IVRFlow(id: IVRFlowID(id), name: body.name, start: body.start, nodes: body.nodes)
            let existed = await server.routing.read { $0.ivrFlows[flow.id] != nil }
            let uploaded = URL(fileURLWithPath: server.configuration.dataDirectory).appendingPathComponent("ivr-audio", isDirectory: true)
            if let missing = flow.uploadedPrompts.sorted().first(where: { name in
                IVRFlow.isName(name) && !FileManager.default.fileExists(atPath: uploaded.appendingPathComponent(name + ".wav").path)
            }) {
                throw APIError(.badRequest, code: "unknownIVRPrompt", "flow \(id): prompt audio '\(missing)' has not been uploaded; PUT it to /api/v1/ivr-prompts/\(missing) first")
            }
            do {
                _ = try await server.routing.execute(.upsertIVRFlow(flow))
            } catch {
                // A queue node naming a group that does not exist is a mistake in the body (400),
                // not a missing resource at the URL (404).
                if case .refused(let refusal)? = error as? RoutingService.Failure, refusal.code == .unknownSkillGroup {
                    throw APIError(.badRequest, code: refusal.code.rawValue, refusal.message)
                }
                throw (error as? RoutingService.Failure).map(APIError.init) ?? APIError(.serviceUnavailable, code: "unavailable", "\(error)")
            }
            return try saved(try await self.flow(flow.id, server: server), created: !existed, at: "/api/v1/ivr-flows/\(id)", request: request, context: context)
        }

        api.delete("/ivr-flows/{id}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let id = IVRFlowID(try RequestInput.pathId("id", context))
            _ = try await flow(id, server: server)
            try await execute(.removeIVRFlow(id), on: server)
            return noContent
        }
    }

    private static func flow(_ id: IVRFlowID, server: ServerComponents) async throws(APIError) -> IVRFlow {
        guard let found = await server.routing.read({ $0.ivrFlows[id] }) else {
            throw APIError.notFound("unknownIVRFlow", "IVR flow \(id) does not exist; create it with PUT /api/v1/ivr-flows/\(id)")
        }
        return found
    }
}

/// The body of `PUT /api/v1/ivr-flows/{id}`: the flow, its nodes in the form ``IVRNode`` reads
/// (which refuses fields a node's type does not take).
struct IVRFlowBody: JSONRequestBody {
    var id: String?
    var name: String?
    var start: String
    var nodes: [IVRNode]

    static let fields = ["id", "name", "start", "nodes"]
}

extension IVRFlow: ResponseEncodable {}
