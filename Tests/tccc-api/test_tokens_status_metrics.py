"""SDK logins, statuses and the live metrics."""

import time
import urllib.parse

from conftest import SDK_APP_ID, admin, call, error_of, http, unique


def new_staff(client, group=None):
    mail = unique("agent") + "@example.com"
    call(client, "CreateStaff", SdkAppId=SDK_APP_ID, Staffs=[{"Mail": mail, "Name": "Agent"}])
    if group:
        call(client, "BindStaffSkillGroupList", SdkAppId=SDK_APP_ID, StaffEmail=mail, SkillGroupList=[group])
    return mail


def test_an_sdk_login_token_comes_with_the_sdk_url(server, client):
    mail = new_staff(client)
    answer = call(client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId=mail)
    assert answer.Token and abs(answer.ExpiredTime - (time.time() + 600)) < 30
    url = urllib.parse.urlsplit(answer.SdkURL)
    assert f"{url.scheme}://{url.netloc}" == server.base and url.path == "/sdk/tccc.js"
    query = urllib.parse.parse_qs(url.query)
    assert query == {"sdkAppId": [str(SDK_APP_ID)], "token": [answer.Token], "userid": [mail]}
    # The script is there, at that address.
    assert http(server.base, "GET", url.path)[0] == 200
    error = error_of(client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId="ghost@example.com")
    assert error.code == "InvalidParameterValue.AccountNotExist" and "SeatUserId" in error.message
    error = error_of(client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId=mail, OnlyOnce=True)
    assert error.code == "InvalidParameterValue" and "OnlyOnce" in error.message


def test_statuses_are_set_forced_and_restored(server, client):
    mail = new_staff(client)
    call(client, "RestoreMemberOnline", SdkAppId=SDK_APP_ID, UserId=mail)
    assert admin(server, "GET", f"/api/v1/agents/{mail}", expect=200)["status"] == "free"

    answer = call(client, "SetStaffStatus", SdkAppId=SDK_APP_ID, StaffStatusList=[{"StaffUserId": mail, "Status": "rest", "Reason": "lunch"}])
    item = answer.StaffStatusList[0]
    assert (item.StaffUserId, item.ErrorCode, item.PreviousStatus, item.Status, item.Reason) == (mail, "", "free", "rest", "lunch")
    assert admin(server, "GET", f"/api/v1/agents/{mail}", expect=200)["restReason"] == "lunch"

    metrics = call(client, "DescribeStaffStatusMetrics", SdkAppId=SDK_APP_ID, StaffList=[mail]).Metrics
    assert [(m.Email, m.Status, m.Reason) for m in metrics] == [(mail, "rest", "lunch")]
    assert metrics[0].OnlineDuration >= metrics[0].RestDuration >= 0
    assert call(client, "DescribeStaffStatusMetrics", SdkAppId=SDK_APP_ID, StaffList=[mail], StatusList=["free"]).Metrics == []

    call(client, "ForceMemberOffline", SdkAppId=SDK_APP_ID, UserId=mail)
    assert admin(server, "GET", f"/api/v1/agents/{mail}", expect=200)["status"] == "offline"
    # Offline has no status to set: reported for that agent, as TCCC reports per agent.
    item = call(client, "SetStaffStatus", SdkAppId=SDK_APP_ID, StaffStatusList=[{"StaffUserId": mail, "Status": "free"}]).StaffStatusList[0]
    assert item.ErrorCode == "FailedOperation.CurStateNotAllowModify" and item.Status == "offline"

    now = int(time.time())
    history = call(client, "DescribeStaffStatusHistory", SdkAppId=SDK_APP_ID, StaffUserId=mail, StartTimestamp=now - 3600, EndTimestamp=now + 60).Data
    assert [h.Status for h in history] == ["free", "rest", "offline"]
    assert history[1].Reason == "lunch" and all(h.StaffEmail == mail for h in history)
    page = call(client, "DescribeStaffStatusHistory", SdkAppId=SDK_APP_ID, StaffUserId=mail, StartTimestamp=now - 3600,
                EndTimestamp=now + 60, PageSize=1, Cursor=history[0].Cursor).Data
    assert [h.Status for h in page] == ["rest"]


def test_bad_status_parameters_are_named(client):
    mail = new_staff(client)
    cases = [
        (dict(StaffStatusList=[{"StaffUserId": mail, "Status": "busy"}]), "InvalidParameterValue", "StaffStatusList[0].Status"),
        (dict(StaffStatusList=[{"StaffUserId": "ghost@example.com", "Status": "free"}]), "InvalidParameterValue.AccountNotExist", "StaffStatusList[0].StaffUserId"),
        (dict(StaffStatusList=[]), "InvalidParameterValue", "StaffStatusList"),
    ]
    for params, code, field in cases:
        error = error_of(client, "SetStaffStatus", SdkAppId=SDK_APP_ID, **params)
        assert error.code == code and field in error.message, (params, error.code, error.message)
    now = int(time.time())
    error = error_of(client, "DescribeStaffStatusHistory", SdkAppId=SDK_APP_ID, StaffUserId=mail, StartTimestamp=now - 8 * 86400, EndTimestamp=now)
    assert error.code == "InvalidParameterValue" and "7 days" in error.message


def test_call_in_metrics_count_the_calls_waiting_now(server, client):
    group = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=unique("Phones"), SkillGroupType=0).SkillGroupId
    before = call(client, "DescribeCallInMetrics", SdkAppId=SDK_APP_ID, GroupIdList=[group])
    assert before.TotalMetrics.QueueCount == 0
    # A call from a channel integration (the admin API is how those report calls).
    admin(server, "POST", "/api/v1/sessions", {"type": "voip", "skillGroupId": str(group)}, expect=201)
    admin(server, "POST", "/api/v1/sessions", {"type": "voip", "skillGroupId": str(group)}, expect=201)
    metrics = call(client, "DescribeCallInMetrics", SdkAppId=SDK_APP_ID, GroupIdList=[group])
    assert metrics.TotalMetrics.QueueCount == 2 and metrics.TotalMetrics.AcceptCount == 0
    assert [(m.SkillGroupId, m.Metrics.QueueCount) for m in metrics.SkillGroupMetrics] == [(group, 2)]
    assert metrics.TotalMetrics.MaxQueueDuration >= metrics.TotalMetrics.AvgQueueDuration >= 0
    assert abs(metrics.Timestamp - time.time()) < 30
    error = error_of(client, "DescribeCallInMetrics", SdkAppId=SDK_APP_ID, GroupIdList=[424242424])
    assert error.code == "InvalidParameterValue.SkillGroupError" and "GroupIdList[0]" in error.message
