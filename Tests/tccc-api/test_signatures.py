"""Who may call: TC3 signatures by live key pairs only, fresh, over exactly what was signed."""

import hashlib
import json
import time
from datetime import datetime, timezone

from tencentcloud.common.sign import Sign

from conftest import SDK_APP_ID, admin, call, error_of, http, make_client, unique


def signed_request(server, key, action, params, timestamp=None, body=None, unsigned_payload=False):
    """A request signed by hand exactly as the SDK signs it (Tencent's own `Sign.sign_tc3`), so
    that the timestamp or the body can differ from what a fresh SDK call would send."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    payload = json.dumps(params)
    date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    canonical = "\n".join([
        "POST", "/", "", f"content-type:application/json\nhost:{server.endpoint}\n", "content-type;host",
        hashlib.sha256(b"UNSIGNED-PAYLOAD" if unsigned_payload else payload.encode()).hexdigest(),
    ])
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), f"{date}/ccc/tc3_request", hashlib.sha256(canonical.encode()).hexdigest()])
    signature = Sign.sign_tc3(key["secretKey"], date, "ccc", to_sign)
    headers = {
        "Content-Type": "application/json", "Host": server.endpoint, "X-TC-Action": action, "X-TC-Version": "2020-02-10",
        "X-TC-Timestamp": str(timestamp),
        "Authorization": f"TC3-HMAC-SHA256 Credential={key['secretId']}/{date}/ccc/tc3_request, SignedHeaders=content-type;host, Signature={signature}",
    }
    if unsigned_payload:
        headers["X-TC-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    status, answer_headers, value = http(server.base, "POST", "/", headers=headers, raw=(body if body is not None else payload).encode())
    assert status == 200 and answer_headers["Content-Type"] == "application/json", (status, value)
    return value["Response"]


def test_the_sdk_signs_and_the_server_answers_in_tcccs_envelope(server, key, client):
    answer = call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, PageSize=10, PageNumber=0)
    assert isinstance(answer.TotalCount, int) and len(answer.StaffList) == min(answer.TotalCount, 10)
    assert len(answer.RequestId) == 36
    # The hand signer agrees with the SDK's, so the failures below are the server's verdicts.
    fresh = signed_request(server, key, "DescribeStaffInfoList", {"SdkAppId": SDK_APP_ID})
    assert "Error" not in fresh and fresh["TotalCount"] == answer.TotalCount


def test_a_wrong_secret_key_fails_the_signature(server, key):
    wrong = make_client(server, key["secretId"], key["secretKey"][:-1] + ("A" if key["secretKey"][-1] != "A" else "B"))
    error = error_of(wrong, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID)
    assert error.code == "AuthFailure.SignatureFailure" and "signature does not match" in error.message
    assert len(error.requestId) == 36


def test_an_unknown_secret_id_is_named(server, key):
    stranger = make_client(server, "AKID" + "x" * 32, key["secretKey"])
    error = error_of(stranger, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID)
    assert error.code == "AuthFailure.SecretIdNotFound" and "AKID" + "x" * 32 in error.message


def test_a_timestamp_older_than_five_minutes_has_expired(server, key):
    answer = signed_request(server, key, "DescribeStaffInfoList", {"SdkAppId": SDK_APP_ID}, timestamp=int(time.time()) - 301)
    assert answer["Error"]["Code"] == "AuthFailure.SignatureExpire", answer
    assert "X-TC-Timestamp" in answer["Error"]["Message"]
    # Four minutes is within the window.
    assert "Error" not in signed_request(server, key, "DescribeStaffInfoList", {"SdkAppId": SDK_APP_ID}, timestamp=int(time.time()) - 240)


def test_a_tampered_body_fails_the_signature_and_changes_nothing(server, key, client):
    mail = unique("mallory") + "@example.com"
    signed = {"SdkAppId": SDK_APP_ID, "Staffs": [{"Mail": mail, "Name": "Signed"}]}
    tampered = json.dumps({"SdkAppId": SDK_APP_ID, "Staffs": [{"Mail": mail, "Name": "Tampered"}]})
    answer = signed_request(server, key, "CreateStaff", signed, body=tampered)
    assert answer["Error"]["Code"] == "AuthFailure.SignatureFailure", answer
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, StaffMail=mail).TotalCount == 0


def test_a_revoked_key_stops_working_at_once(server):
    created = admin(server, "POST", "/api/v1/api-keys", {"description": "revoke me"}, expect=201)
    revocable = make_client(server, created["secretId"], created["secretKey"])
    assert call(revocable, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID).TotalCount >= 0
    listed = admin(server, "GET", "/api/v1/api-keys", expect=200)["items"]
    assert created["secretId"] in [item["secretId"] for item in listed]
    assert all("secretKey" not in item for item in listed), "a list must never show a SecretKey"
    admin(server, "DELETE", f"/api/v1/api-keys/{created['secretId']}", expect=204)
    assert error_of(revocable, "DescribeSkillGroupInfoList", SdkAppId=SDK_APP_ID).code == "AuthFailure.SecretIdNotFound"
    assert admin(server, "DELETE", f"/api/v1/api-keys/{created['secretId']}", expect=404)["error"]["code"] == "unknownAPIKey"


def test_an_unimplemented_action_is_named_not_a_404(client):
    from tencentcloud.ccc.v20200210 import models

    # A real TCCC action Switchboard does not implement, through the SDK's own method.
    error = None
    try:
        client.DescribeAutoCalloutTasks(models.DescribeAutoCalloutTasksRequest())
    except Exception as raised:  # noqa: BLE001 - the SDK raises its own exception type
        error = raised
    assert error is not None and error.code == "UnsupportedOperation" and "DescribeAutoCalloutTasks" in error.message


def test_another_sdk_app_id_is_refused(client):
    error = error_of(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID + 1)
    assert error.code == "InvalidParameterValue.InstanceNotExist" and str(SDK_APP_ID + 1) in error.message


def test_a_wrong_version_is_refused(server, key):
    headers = {"X-TC-Action": "DescribeStaffInfoList", "X-TC-Version": "2017-03-12", "X-TC-Timestamp": str(int(time.time()))}
    status, _, value = http(server.base, "POST", "/", {"SdkAppId": SDK_APP_ID}, headers)
    assert status == 200 and value["Response"]["Error"]["Code"] == "NoSuchVersion", value


def test_the_home_page_is_still_served_at_get_slash(server):
    status, headers, _ = http(server.base, "GET", "/healthz")
    assert status == 200


def test_an_absurd_timestamp_is_an_answer_not_a_crash(server, key, client):
    """Found in review: Int64.min in X-TC-Timestamp overflowed the freshness check before any key
    was looked up, stopping the server for one unsigned request."""
    headers = {
        "Content-Type": "application/json", "Host": server.endpoint, "X-TC-Action": "DescribeStaffInfoList",
        "X-TC-Version": "2020-02-10", "X-TC-Timestamp": "-9223372036854775808",
        "Authorization": f"TC3-HMAC-SHA256 Credential={key['secretId']}/2024-01-01/ccc/tc3_request, SignedHeaders=content-type;host, Signature=" + "0" * 64,
    }
    status, _, value = http(server.base, "POST", "/", headers=headers, raw=json.dumps({"SdkAppId": SDK_APP_ID}).encode())
    assert status == 200 and value["Response"]["Error"]["Code"] == "AuthFailure.SignatureExpire", value
    assert "not a time" in value["Response"]["Error"]["Message"]
    # Still serving.
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, PageSize=1, PageNumber=0).TotalCount >= 0


def test_times_past_the_year_2100_are_refused_by_name(client):
    """Found in review: seconds near Int64.max overflowed into milliseconds and stopped the server."""
    huge = 9_000_000_000_000_000_000
    for action, fields in [
        ("DescribeIMCdrs", {"StartTimestamp": huge, "EndTimestamp": huge, "Limit": 10}),
        ("DescribeTelCdr", {"StartTimeStamp": huge, "EndTimeStamp": huge, "PageSize": 10, "PageNumber": 0}),
    ]:
        error = error_of(client, action, SdkAppId=SDK_APP_ID, **fields)
        assert error.code.startswith("InvalidParameterValue") and "StartTime" in error.message and "4102444800" in error.message, (action, error.message)
    assert call(client, "DescribeStaffInfoList", SdkAppId=SDK_APP_ID, PageSize=1, PageNumber=0).TotalCount >= 0


def test_an_unsigned_body_is_refused(server, key):
    """Found in review: with UNSIGNED-PAYLOAD a captured request was good for any body for five minutes."""
    unsigned = signed_request(server, key, "DescribeStaffInfoList", {"SdkAppId": SDK_APP_ID}, unsigned_payload=True)
    assert unsigned["Error"]["Code"] == "AuthFailure.SignatureFailure" and "UNSIGNED-PAYLOAD" in unsigned["Error"]["Message"], unsigned
