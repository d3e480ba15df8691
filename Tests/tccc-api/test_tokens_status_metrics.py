"""SDK logins, statuses and the live metrics."""

import time
import urllib.parse

from conftest import SDK_APP_ID, Agent, admin, call, error_of, http, unique


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
    error = error_of(client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId=mail, OnlyOnce="yes")
    assert error.code == "InvalidParameter" and "OnlyOnce" in error.message


def test_an_only_once_token_logs_in_once_and_the_login_goes_on_with_a_session_token(server, client):
    mail = new_staff(client)
    once = call(client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId=mail, OnlyOnce=True).Token
    first = Agent(server, once)
    assert first.welcome["type"] == "welcome" and first.welcome["userId"] == mail
    # The server follows the login with a session token: what the SDKs reconnect with.
    login = first.wait_for(lambda f: f.get("type") == "login", "the login frame")
    assert login["token"] and login["token"] != once and login["expiresAt"] > time.time() * 1000

    # A second login with the spent token: tokenExpired, saying why; nobody else logs in with it.
    second = Agent(server, once)
    assert second.welcome["type"] == "error" and "single-use" in second.welcome["message"], second.welcome
    assert any(f.get("type") == "event" and f.get("name") == "tokenExpired" for f in second.frames)
    second.close()

    # A dropped connection reconnects with the session token, as the SDKs do.
    first.close()
    again = Agent(server, login["token"])
    assert again.welcome["type"] == "welcome" and again.welcome["userId"] == mail
    again.close()

    # OnlyOnce false is an ordinary token: it logs in again.
    reusable = call(client, "CreateSDKLoginToken", SdkAppId=SDK_APP_ID, SeatUserId=mail, OnlyOnce=False).Token
    for _ in range(2):
        agent = Agent(server, reusable)
        assert agent.welcome["type"] == "welcome"
        agent.close()


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
