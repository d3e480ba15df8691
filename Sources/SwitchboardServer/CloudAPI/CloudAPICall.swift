import SwitchboardCore
import SwitchboardProtocol

/// One authenticated request of the TCCC server API: its parameters, its tenant and the server.
struct CloudAPICall: Sendable {
    let parameters: CloudAPIParameters
    let server: ServerComponents
    /// The tenant of the key that signed the request.
    let sdkAppId: Int64
    /// Where browsers reach this server, for `SdkURL`.
    let baseURL: String

    /// Checks the action's fields and the request's `SdkAppId`: it must name the key's tenant,
    /// which is this deployment's (a server holds one tenant for now).
    func begin(accepting fields: [String], sdkAppIdRequired: Bool = true) throws(CloudAPIError) {
        try parameters.accept(fields + ["SdkAppId"])
        guard let named = try parameters.int("SdkAppId") else {
            if sdkAppIdRequired { throw .missing("SdkAppId") }
            return
        }
        guard named == sdkAppId, named == server.configuration.sdkAppId else {
            throw CloudAPIError("InvalidParameterValue.InstanceNotExist", "SdkAppId \(named) is not an application this key may use; it is \(sdkAppId)")
        }
    }

    /// Runs a routing command, the same one the admin API runs for the same change.
    @discardableResult
    func execute(_ command: RoutingCommand) async throws(CloudAPIError) -> RoutingReply {
        do { return try await server.routing.execute(command) } catch { throw CloudAPIError(error) }
    }

    /// Runs a check or step shared with the admin API, turning its error into TCCC's.
    func shared<T>(_ body: () async throws(APIError) -> T) async throws(CloudAPIError) -> T {
        do { return try await body() } catch { throw CloudAPIError(error) }
    }

    /// The agent a TCCC staff id (its Mail / UserId) names, or TCCC's unknown-account error.
    func requireAgent(_ id: String, field: String) async throws(CloudAPIError) -> AgentState {
        guard let agent = await server.routing.read({ $0.agents[AgentID(id)] }) else { throw .accountNotExist(field, id) }
        return agent
    }

    /// The skill group a TCCC numeric id names, or TCCC's unknown-group error.
    func requireSkillGroup(_ number: Int64, field: String) async throws(CloudAPIError) -> SkillGroup {
        guard let group = await server.routing.read({ $0.skillGroups[CloudAPISkillGroupNumber.id(number)] }) else {
            throw .skillGroupNotExist(field, number)
        }
        return group
    }
}

/// TCCC numbers its skill groups; Switchboard names them. A group is reachable through the TCCC
/// API when its id is a number written plainly (`42`, not `042` or `sales`); the groups
/// `CreateCCCSkillGroup` creates get such ids. Others stay the admin API's alone.
enum CloudAPISkillGroupNumber {
    static func id(_ number: Int64) -> SkillGroupID { SkillGroupID(String(number)) }

    static func number(_ id: SkillGroupID) -> Int64? {
        guard let number = Int64(id.rawValue), number > 0, String(number) == id.rawValue else { return nil }
        return number
    }
}

extension CloudAPIError {
    /// A refused routing command, with the TCCC code a TCCC client would get for it.
    init(_ failure: RoutingService.Failure) {
        switch failure {
        case .refused(let error):
            let code: String = switch error.code {
            case .unknownAgent: "InvalidParameterValue.AccountNotExist"
            case .unknownSkillGroup: "InvalidParameterValue.SkillGroupError"
            case .unknownSession: "FailedOperation.SessionNotExists"
            case .agentExists: "FailedOperation.DuplicatedAccount"
            case .skillGroupExists: "InvalidParameterValue.SkillGroupExist"
            case .agentHoldsSessions: "FailedOperation.SeatStatusBusy"
            case .inUse, .statusNotAllowed, .agentOffline, .notRinging, .notHeld, .sessionRinging, .notWaiting, .transferTargetUnavailable:
                "FailedOperation.CurStateNotAllowModify"
            case .invalidConfiguration, .invalidStatus, .transferWithoutTarget, .invalidSession, .invalidConnection, .unknownIVRFlow:
                "InvalidParameterValue"
            }
            self.init(code, error.message)
        case .unavailable(let why):
            self.init("InternalError.DBError", why)
        }
    }

    /// An admin API error from a shared check, by its meaning.
    init(_ error: APIError) {
        let code: String = switch (error.status.code, error.code) {
        case (_, "unknownAgent"): "InvalidParameterValue.AccountNotExist"
        case (_, "unknownSkillGroup"): "InvalidParameterValue.SkillGroupError"
        case (_, "unknownSession"): "FailedOperation.SessionNotExists"
        case (409, _): "FailedOperation.CurStateNotAllowModify"
        case (500..., _): "InternalError"
        default: "InvalidParameterValue"
        }
        self.init(code, error.message)
    }
}
