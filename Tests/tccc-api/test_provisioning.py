"""Staff and skill groups through the SDK; the admin API sees the same agents and groups."""

from conftest import SDK_APP_ID, admin, call, error_of, unique


def test_skill_groups_are_created_listed_updated_and_deleted(server, client):
    name = unique("Sales")
    created = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=name, SkillGroupType=1, MaxConcurrency=3)
    assert isinstance(created.SkillGroupId, int) and created.SkillGroupId > 0
    listed = call(client, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID, SkillGroupId=created.SkillGroupId)
    assert listed.TotalCount == 1
    item = listed.SkillGroupList[0]
    assert (item.SkillGroupId, item.SkillGroupName, item.MaxConcurrency, item.RingAll) == (created.SkillGroupId, name, 3, False)
    # The admin API manages the same group.
    assert admin(server, "GET", f"/api/v1/skill-groups/{created.SkillGroupId}", expect=200)["name"] == name

    call(client, "UpdateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupID=created.SkillGroupId, SkillGroupName=name + " EU", RingAll=True)
    item = call(client, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID, SkillGroupName=name + " EU").SkillGroupList[0]
    assert item.RingAll is True and item.MaxConcurrency == 3
    assert admin(server, "GET", f"/api/v1/skill-groups/{created.SkillGroupId}", expect=200)["ringAll"] is True

    call(client, "DeleteCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupId=created.SkillGroupId)
    assert call(client, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID, SkillGroupId=created.SkillGroupId).TotalCount == 0
    assert error_of(client, "DeleteCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupId=created.SkillGroupId).code == "InvalidParameterValue.SkillGroupError"


def test_bad_skill_group_parameters_are_named_and_change_nothing(client):
    before = call(client, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID).TotalCount
    cases = [
        (dict(SkillGroupName="X", SkillGroupType=2), "InvalidParameterValue", "SkillGroupType"),
        (dict(SkillGroupName="X", SkillGroupType=0, MaxConcurrency=2), "InvalidParameterValue", "MaxConcurrency"),
        (dict(SkillGroupType=1), "MissingParameter", "SkillGroupName"),
        (dict(SkillGroupName="  ", SkillGroupType=1), "InvalidParameterValue", "SkillGroupName"),
    ]
    for params, code, field in cases:
        error = error_of(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, **params)
        assert error.code == code and field in error.message, (params, error.code, error.message)
    assert call(client, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID).TotalCount == before
    error = error_of(client, "UpdateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupID=987654321, SkillGroupName="Nope")
    assert error.code == "InvalidParameterValue.SkillGroupError" and "987654321" in error.message


def test_staff_are_created_modified_bound_and_deleted(server, client):
    group = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=unique("Support"), SkillGroupType=1).SkillGroupId
    other = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=unique("Billing"), SkillGroupType=1).SkillGroupId
    mail = unique("grace") + "@example.com"
    created = call(client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": mail, "Name": "Grace"}])
    assert created.ErrorStaffList == []
    assert admin(server, "GET", f"/api/v1/agents/{mail}", expect=200)["name"] == "Grace"

    call(client, "BindStaffSkillGroupList", SdkAppId=SDK_APP_ID, StaffEmail=mail,
         StaffSkillGroupList=[{"SkillGroupId": group, "Priority": 1}, {"SkillGroupId": other, "Priority": 4}])
    staff = call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, StaffMail=mail).StaffList[0]
    assert staff.Mail == mail and staff.Name == "Grace"
    assert sorted((g.SkillGroupId, g.Priority) for g in staff.SkillGroupList) == sorted([(group, 1), (other, 4)])
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, SkillGroupId=other).TotalCount == 1

    call(client, "UnbindStaffSkillGroupList", SdkAppId=SDK_APP_ID, StaffEmail=mail, SkillGroupList=[other])
    call(client, "ModifyStaff", SdkAppId=SDK_APP_ID, Email=mail, Name="Grace Hopper")
    memberships = admin(server, "GET", f"/api/v1/agents/{mail}", expect=200)
    assert memberships["name"] == "Grace Hopper"
    assert [m["skillGroupId"] for m in memberships["memberships"]] == [str(group)]

    deleted = call(client, "DeleteStaff", SdkAppId=SDK_APP_ID, StaffList=[mail])
    assert deleted.OnlineStaffList == []
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, StaffMail=mail).TotalCount == 0
    admin(server, "GET", f"/api/v1/agents/{mail}", expect=404)


def test_bad_staff_parameters_are_named_and_change_nothing(client):
    good = unique("ok") + "@example.com"
    before = call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID).TotalCount
    cases = [
        ([{"Mail": good, "Name": "Ok"}, {"Mail": "has space@example.com", "Name": "Bad"}], "InvalidParameterValue", "Staffs[1].Mail"),
        ([{"Mail": good, "Name": "Ok"}, {"Name": "No mail"}], "MissingParameter", "Staffs[1].Mail"),
        ([{"Mail": good, "Name": "Ok", "Phone": "008618011111111"}], "InvalidParameterValue", "Staffs[0].Phone"),
        ([{"Mail": good, "Name": "Ok", "SkillGroupNameList": ["no such group"]}], "InvalidParameterValue", "Staffs[0].SkillGroupNameList[0]"),
        ([{"Mail": good, "Name": "Ok", "Role": 1}], "InvalidParameterValue", "Staffs[0].Role"),
    ]
    for staffs, code, field in cases:
        error = error_of(client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=staffs)
        assert error.code == code and field in error.message, (staffs, error.code, error.message)
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID).TotalCount == before, "a refused CreateStaff created someone"

    call(client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": good, "Name": "Ok"}])
    assert error_of(client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": good, "Name": "Again"}]).code == "FailedOperation.DuplicatedAccount"
    error = error_of(client, "ModifyStaff", SdkAppId=SDK_APP_ID, Email="nobody@example.com", Name="X")
    assert error.code == "InvalidParameterValue.AccountNotExist" and "nobody@example.com" in error.message
    error = error_of(client, "BindStaffSkillGroupList", SdkAppId=SDK_APP_ID, StaffEmail=good, StaffSkillGroupList=[{"SkillGroupId": 55555555}])
    assert error.code == "InvalidParameterValue.SkillGroupError" and "StaffSkillGroupList[0].SkillGroupId" in error.message
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, StaffMail=good).StaffList[0].Name == "Ok"
