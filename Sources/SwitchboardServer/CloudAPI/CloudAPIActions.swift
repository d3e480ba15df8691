import SwitchboardProtocol

/// The actions of TCCC's server API that Switchboard implements, by name. Each reads its
/// request with TCCC's field names and types, changes state through the same routing commands
/// and checks as the admin API (so both manage the same agents and groups), and answers with
/// TCCC's response fields. An action not listed answers `UnsupportedOperation`.
enum CloudAPIActions {
    typealias Handler = @Sendable (CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue]

    static let handlers: [String: Handler] = [
        "CreateSDKLoginToken": createSDKLoginToken,
        "CreateStaff": createStaff,
        "ModifyStaff": modifyStaff,
        "DeleteStaff": deleteStaff,
        "DescribeStaffInfoList": describeStaffInfoList,
        "CreateCCCSkillGroup": createSkillGroup,
        "UpdateCCCSkillGroup": updateSkillGroup,
        "DeleteCCCSkillGroup": deleteSkillGroup,
        "DescribeSkillGroupInfoList": describeSkillGroupInfoList,
        "BindStaffSkillGroupList": bindStaffSkillGroupList,
        "UnbindStaffSkillGroupList": unbindStaffSkillGroupList,
        "SetStaffStatus": setStaffStatus,
        "ForceMemberOffline": forceMemberOffline,
        "RestoreMemberOnline": restoreMemberOnline,
        "DescribeStaffStatusMetrics": describeStaffStatusMetrics,
        "DescribeStaffStatusHistory": describeStaffStatusHistory,
        "DescribeIMCdrs": describeIMCdrs,
        "DescribeChatMessages": describeChatMessages,
        "DescribeSessionDetail": describeSessionDetail,
        "DescribeCallInMetrics": describeCallInMetrics,
        "DescribeTelCdr": describeTelCdr,
        "DescribeTelSession": describeTelSession,
        "DescribePSTNActiveSessionList": describePSTNActiveSessionList,
        "HangUpCall": hangUpCall,
        "CreateCallOutSession": createCallOutSession,
        "DescribeNumbers": describeNumbers,
    ]

    /// The names, for the documentation and tests.
    static var names: [String] { handlers.keys.sorted() }
}
