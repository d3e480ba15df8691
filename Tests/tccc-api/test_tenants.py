"""Several tenants on one server (docs/tenants.md), driven through Tencent's own SDK: each tenant's
key pairs manage its own staff and groups only, name only its own SdkAppId, and its login
tokens open its own agent socket only."""

import secrets
import urllib.parse

import pytest

from conftest import API_KEY, SDK_APP_ID, Agent, Server, call, error_of, http, make_client, unique

OPERATOR_KEY = "op_" + secrets.token_urlsafe(24)
HOSTED = 1400054321


@pytest.fixture(scope="module")
def hosting():
    """A server of its own with the operator API on and one hosted tenant; yields the server, the
    primary tenant's client and the hosted tenant's client."""
    running = Server(extra_args=("--operator-key", OPERATOR_KEY))
    try:
        status, _, created = http(running.base, "POST", "/api/operator/tenants", {"sdkAppId": HOSTED, "name": "Acme"},
                                  {"Authorization": f"Bearer {OPERATOR_KEY}"})
        assert status == 201, created
        hosted_admin = {"Authorization": f"Bearer {created['adminAPIKey']}"}
        primary_admin = {"Authorization": f"Bearer {API_KEY}"}
        status, _, hosted_key = http(running.base, "POST", "/api/v1/api-keys", {"description": "acme"}, hosted_admin)
        assert status == 201 and hosted_key["sdkAppId"] == HOSTED, hosted_key
        status, _, primary_key = http(running.base, "POST", "/api/v1/api-keys", {"description": "primary"}, primary_admin)
        assert status == 201 and primary_key["sdkAppId"] == SDK_APP_ID, primary_key
        yield (running,
               make_client(running, primary_key["secretId"], primary_key["secretKey"]),
               make_client(running, hosted_key["secretId"], hosted_key["secretKey"]))
    finally:
        running.stop()


def test_each_tenants_keys_see_and_change_only_its_own_staff(hosting):
    _, primary, hosted = hosting
    mail = unique("same") + "@example.com"
    # The same staff id in both tenants is two people.
    call(primary, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": mail, "Name": "Primary"}])
    call(hosted, "CreateStaff", SdkAppId=HOSTED, Staffs=[{"Mail": mail, "Name": "Acme"}])
    only_primary = unique("primary-only") + "@example.com"
    call(primary, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": only_primary, "Name": "Primary only"}])

    def names(client, app):
        return {s.Mail: s.Name for s in call(client, "DescribeStaffInfoList", SdkAppId=app, PageNumber=0, PageSize=100).StaffList}

    assert names(primary, SDK_APP_ID)[mail] == "Primary"
    hosted_staff = names(hosted, HOSTED)
    assert hosted_staff[mail] == "Acme" and only_primary not in hosted_staff

    group = call(hosted, "CreateCCCSkillGroup", SdkAppId=HOSTED, SkillGroupName="Acme sales", SkillGroupType=1).SkillGroupId
    primary_groups = call(primary, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID).SkillGroupList or []
    assert "Acme sales" not in [g.SkillGroupName for g in primary_groups]

    # A key naming the other tenant's SdkAppId is refused, whatever the action, and changes nothing.
    for client, other in ((hosted, SDK_APP_ID), (primary, HOSTED)):
        for action, params in (("DescribeStaffInfoList", {}), ("DeleteStaff", {"StaffList": [mail]}),
                               ("CreateStaff", {"Staffs": [{"Mail": unique("x") + "@example.com", "Name": "X"}]})):
            error = error_of(client, action, SdkAppId=other, **params)
            assert error.code == "InvalidParameterValue.InstanceNotExist", (action, error.code, error.message)
    assert names(primary, SDK_APP_ID)[mail] == "Primary" and names(hosted, HOSTED)[mail] == "Acme"
    assert error_of(primary, "DeleteCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupId=group).code == "InvalidParameterValue.SkillGroupError"


def test_a_hosted_tenants_login_token_opens_only_its_own_socket(hosting):
    server, _, hosted = hosting
    mail = unique("agent") + "@example.com"
    call(hosted, "CreateStaff", SdkAppId=HOSTED, Staffs=[{"Mail": mail, "Name": "Acme agent"}])
    answer = call(hosted, "CreateSDKLoginToken", SdkAppId=HOSTED, SeatUserId=mail)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.SdkURL).query)
    assert query["sdkAppId"] == [str(HOSTED)]
    # The script loads at the SdkURL as it is, naming the hosted tenant.
    assert http(server.base, "GET", urllib.parse.urlsplit(answer.SdkURL).path + "?" + urllib.parse.urlsplit(answer.SdkURL).query)[0] == 200

    wrong = Agent(server, answer.Token)
    assert wrong.welcome["type"] == "error", wrong.welcome
    wrong.close()
    right = Agent(server, answer.Token, sdk_app_id=HOSTED)
    assert right.welcome["type"] == "welcome" and right.welcome["userId"] == mail, right.welcome
    right.close()
