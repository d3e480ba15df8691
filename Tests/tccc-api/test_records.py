"""Records: an im session's CDR, its transcript and its detail, read through the SDK."""

import time

from conftest import SDK_APP_ID, call, error_of, http, unique


def test_a_chat_shows_in_the_cdrs_with_its_transcript(server, client):
    group = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=unique("Chat"), SkillGroupType=1).SkillGroupId
    start = int(time.time())
    # A customer chats through the chat REST fallback (the widget's channel) and leaves.
    status, _, started = http(server.base, "POST", "/api/v1/chat/sessions",
                              {"skillGroupId": str(group), "nickname": "Ada", "userId": "customer-7"})
    assert status == 201, started
    secret = {"X-Session-Secret": started["secret"]}
    for text in ["hello", "anyone there?"]:
        assert http(server.base, "POST", f"/api/v1/chat/sessions/{started['sessionId']}/messages", {"text": text}, secret)[0] == 201
    assert http(server.base, "POST", f"/api/v1/chat/sessions/{started['sessionId']}/leave", {}, secret)[0] == 200

    cdrs = call(client, "DescribeIMCdrs", SdkAppId=SDK_APP_ID, StartTimestamp=start - 5, EndTimestamp=int(time.time()) + 5, Limit=100)
    mine = [c for c in cdrs.IMCdrList if c.SessionId == started["sessionId"]]
    assert len(mine) == 1 and cdrs.TotalCount >= 1
    cdr = mine[0]
    assert (cdr.Nickname, cdr.ClientUserId, cdr.SkillGroupId, cdr.Type, cdr.EndStatus, cdr.Duration) == ("Ada", "customer-7", str(group), 2, 109, 0)
    assert start - 5 <= cdr.Timestamp <= time.time() + 5
    assert call(client, "DescribeIMCdrs", SdkAppId=SDK_APP_ID, StartTimestamp=start - 5, EndTimestamp=int(time.time()) + 5, Type=1).TotalCount == 0

    oldest_first = call(client, "DescribeChatMessages", SdkAppId=SDK_APP_ID, SessionId=started["sessionId"], Order=1)
    assert oldest_first.TotalCount == 2
    assert [(m.From, [(part.Type, part.Content) for part in m.Messages]) for m in oldest_first.Messages] == [
        ("customer-7", [("text", "hello")]), ("customer-7", [("text", "anyone there?")])]
    newest = call(client, "DescribeChatMessages", SdkAppId=SDK_APP_ID, SessionId=started["sessionId"], Limit=1)
    assert [m.Messages[0].Content for m in newest.Messages] == ["anyone there?"]

    detail = call(client, "DescribeSessionDetail", SdkAppId=SDK_APP_ID, SessionId=started["sessionId"],
                  StartTimestamp=start - 5, EndTimestamp=int(time.time()) + 5)
    assert (detail.QueuedSkillGroupId, detail.HungUpSide, detail.EndStatus, detail.CallType) == (group, "user", 103, 2)
    assert detail.EndedTimestamp >= detail.StartTimeStamp >= start - 5


def test_bad_record_parameters_are_named(client):
    now = int(time.time())
    error = error_of(client, "DescribeIMCdrs", SdkAppId=SDK_APP_ID, StartTimestamp=now, EndTimestamp=now - 10)
    assert error.code == "InvalidParameterValue" and "StartTimestamp" in error.message
    error = error_of(client, "DescribeIMCdrs", SdkAppId=SDK_APP_ID, EndTimestamp=now)
    assert error.code == "MissingParameter" and "StartTimestamp" in error.message
    error = error_of(client, "DescribeIMCdrs", SdkAppId=SDK_APP_ID, StartTimestamp=now - 10, EndTimestamp=now, Limit=101)
    assert error.code == "InvalidParameterValue" and "Limit" in error.message
    error = error_of(client, "DescribeChatMessages", SdkAppId=SDK_APP_ID, SessionId="s-does-not-exist")
    assert error.code == "FailedOperation.SessionNotExists" and "s-does-not-exist" in error.message


def test_files_in_a_chat_are_typed_image_or_file_in_its_transcript(server, client):
    group = call(client, "CreateCCCSkillGroup", SdkAppId=SDK_APP_ID, SkillGroupName=unique("Files"), SkillGroupType=1).SkillGroupId
    status, _, started = http(server.base, "POST", "/api/v1/chat/sessions", {"skillGroupId": str(group), "nickname": "Ada", "userId": "customer-8"})
    assert status == 201, started
    session = started["sessionId"]
    secret = {"X-Session-Secret": started["secret"]}
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    for name, kind, body in [("photo.png", "image/png", png), ("notes.txt", "text/plain", b"order 1207")]:
        status, _, sent = http(server.base, "POST", f"/api/v1/chat/sessions/{session}/attachments?name={name}", headers={**secret, "Content-Type": kind}, raw=body)
        assert status == 201, sent
    assert http(server.base, "POST", f"/api/v1/chat/sessions/{session}/messages", {"text": "see above"}, secret)[0] == 201

    transcript = call(client, "DescribeChatMessages", SdkAppId=SDK_APP_ID, SessionId=session, Order=1)
    assert [[(part.Type, part.Content) for part in m.Messages] for m in transcript.Messages] == [
        [("image", "photo.png")], [("file", "notes.txt")], [("text", "see above")]]
