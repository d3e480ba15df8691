extension SIPAgentProfile {
    /// The answer to an in-dialog re-INVITE or UPDATE, which is how sessions are refreshed: 200 with
    /// our Contact and the current SDP (nil for an UPDATE without offer), and the session timer agreed
    /// per RFC 4028 §9 — the request's Session-Expires echoed with a refresher (the requester's
    /// choice, else `uac` when it supports timers, else `uas`) and `Require: timer` when the UAC
    /// refreshes. A Session-Expires below our Min-SE gets 422 with our Min-SE instead.
    public func answerRefresh(_ request: SIPMessage, dialog: SIPDialog, sdp: [UInt8]?) -> SIPMessage {
        let expires = request.headers[.sessionExpires].flatMap { try? SIPSessionExpires(parsing: $0) }
        if let expires, expires.seconds < minimumSessionExpires {
            var tooSmall = request.makeResponse(.sessionIntervalTooSmall, toTag: dialog.id.localTag)
            tooSmall.headers.add(.minSE, String(minimumSessionExpires))
            return tooSmall
        }
        var response = request.makeResponse(.ok, toTag: dialog.id.localTag, contact: contact,
                                            body: sdp ?? [], contentType: sdp == nil ? nil : "application/sdp")
        if let userAgent { response.headers.add(.server, userAgent) }
        response.headers.add(.supported, supported.joined(separator: ", "))
        if var expires {
            let requesterSupportsTimer = request.supported.contains { $0.lowercased() == "timer" }
            if expires.refresher == nil { expires.refresher = requesterSupportsTimer ? .uac : .uas }
            response.headers.add(.sessionExpires, expires.description)
            if expires.refresher == .uac { response.headers.add(.require, "timer") }
        }
        return response
    }
}
