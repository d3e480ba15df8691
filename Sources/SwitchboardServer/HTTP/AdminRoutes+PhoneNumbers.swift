import Hummingbird
import SwitchboardCore

/// `/api/v1/phone-numbers`: the tenant's telephone numbers and the skill group or IVR flow each one reaches.
extension AdminRoutes {
    static func registerPhoneNumbers(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        api.get("/phone-numbers") { request, _ -> Page<PhoneNumberRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            return await server.routing.read { machine in
                page.slice(machine.phoneNumbers.keys.sorted().map { PhoneNumberRepresentation(machine.phoneNumbers[$0]!) })
            }
        }

        api.get("/phone-numbers/{number}") { request, context -> PhoneNumberRepresentation in
            _ = try QueryParameters(request, accepted: [])
            return try await representation(ofNumber: try RequestInput.pathId("number", context), server: server)
        }

        api.put("/phone-numbers/{number}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let number = try RequestInput.pathId("number", context)
            let body = try await RequestInput.body(PhoneNumberBody.self, from: request)
            if let bodyNumber = body.number, bodyNumber != number {
                throw APIError.invalid("field 'number' is '\(bodyNumber)' but the path names \(number)")
            }
            switch (body.skillGroupId, body.ivrFlowId) {
            case (let group?, nil):
                if await server.routing.read({ $0.skillGroups[SkillGroupID(group)] == nil }) {
                    throw APIError(.badRequest, code: "unknownSkillGroup", "field 'skillGroupId': skill group \(group) does not exist")
                }
            case (nil, let flow?):
                if await server.routing.read({ $0.ivrFlows[IVRFlowID(flow)] == nil }) {
                    throw APIError(.badRequest, code: "unknownIVRFlow", "field 'ivrFlowId': IVR flow \(flow) does not exist")
                }
            default:
                throw APIError(.badRequest, code: "invalidBody", "give exactly one of the fields 'skillGroupId' (calls queue there) and 'ivrFlowId' (calls hear the flow's menu)")
            }
            let existed = await server.routing.read { $0.phoneNumbers[number] != nil }
            try await execute(.upsertPhoneNumber(PhoneNumberBinding(
                number: number, skillGroupId: body.skillGroupId.map(SkillGroupID.init), ivrFlowId: body.ivrFlowId.map(IVRFlowID.init),
                priority: body.priority ?? 0,
                answerWhenAccepted: body.answerWhenAccepted == true ? true : nil,
                record: body.record)), on: server)
            let location = "/api/v1/phone-numbers/" + (number.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? number)
            return try saved(try await representation(ofNumber: number, server: server), created: !existed, at: location, request: request, context: context)
        }

        api.delete("/phone-numbers/{number}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let number = try RequestInput.pathId("number", context)
            _ = try await representation(ofNumber: number, server: server)
            try await execute(.removePhoneNumber(number), on: server)
            return noContent
        }
    }

    private static func representation(ofNumber number: String, server: ServerComponents) async throws(APIError) -> PhoneNumberRepresentation {
        let found = await server.routing.read { $0.phoneNumbers[number].map(PhoneNumberRepresentation.init) }
        guard let found else { throw APIError.notFound("unknownPhoneNumber", "phone number \(number) is not bound; bind it with PUT /api/v1/phone-numbers/\(number)") }
        return found
    }
}

/// The body of `PUT /api/v1/phone-numbers/{number}`.
struct PhoneNumberBody: JSONRequestBody {
    var number: String?
    var skillGroupId: String?
    var ivrFlowId: String?
    var priority: Int?
    var answerWhenAccepted: Bool?
    var record: Bool?

    static let fields = ["number", "skillGroupId", "ivrFlowId", "priority", "answerWhenAccepted", "record"]
}

/// A telephone number as the API shows it.
struct PhoneNumberRepresentation: ResponseEncodable, Sendable {
    var number: String
    @Nullable var skillGroupId: String?
    @Nullable var ivrFlowId: String?
    var priority: Int
    var answerWhenAccepted: Bool
    /// True or false: this number decides whether its calls are recorded; null: its group does.
    @Nullable var record: Bool?

    init(_ binding: PhoneNumberBinding) {
        number = binding.number
        skillGroupId = binding.skillGroupId?.rawValue
        ivrFlowId = binding.ivrFlowId?.rawValue
        priority = binding.priority
        answerWhenAccepted = binding.answerWhenAccepted ?? false
        record = binding.record
    }
}
