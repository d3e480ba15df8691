/// One factory per session type, taking exactly the fields TCCC gives that type.
extension CallIn {
    /// An im offer.
    public static func im(
        sessionId: String, timeout: Int, nickname: String, avatar: String? = nil, remark: String? = nil,
        peerSource: String? = nil, channelName: String? = nil, clientData: String? = nil
    ) -> CallIn {
        var offer = CallIn(sessionId: sessionId, type: .im, timeout: timeout)
        offer.nickname = nickname
        offer.avatar = avatar
        offer.remark = remark
        offer.peerSource = peerSource
        offer.channelName = channelName
        offer.clientData = clientData
        return offer
    }

    /// A phone offer.
    public static func phone(
        sessionId: String, timeout: Int, calleePhoneNumber: String, callerPhoneNumber: String? = nil,
        callerLocation: String? = nil, remark: String? = nil, ivrPath: [IVRStep], serverType: String
    ) -> CallIn {
        var offer = CallIn(sessionId: sessionId, type: .phone, timeout: timeout)
        offer.calleePhoneNumber = calleePhoneNumber
        offer.callerPhoneNumber = callerPhoneNumber
        offer.callerLocation = callerLocation
        offer.remark = remark
        offer.ivrPath = ivrPath
        offer.serverType = serverType
        return offer
    }

    /// A voip offer.
    public static func voip(
        sessionId: String, timeout: Int, callee: String, calleeRemark: String? = nil, userId: String,
        nickname: String? = nil, avatar: String? = nil, remark: String? = nil, peerSource: String? = nil,
        ivrPath: [IVRStep]? = nil
    ) -> CallIn {
        var offer = CallIn(sessionId: sessionId, type: .voip, timeout: timeout)
        offer.callee = callee
        offer.calleeRemark = calleeRemark
        offer.userId = userId
        offer.nickname = nickname
        offer.avatar = avatar
        offer.remark = remark
        offer.peerSource = peerSource
        offer.ivrPath = ivrPath
        return offer
    }

    /// A video offer.
    public static func video(
        sessionId: String, timeout: Int, userId: String, nickname: String? = nil, avatar: String? = nil,
        remark: String? = nil
    ) -> CallIn {
        var offer = CallIn(sessionId: sessionId, type: .video, timeout: timeout)
        offer.userId = userId
        offer.nickname = nickname
        offer.avatar = avatar
        offer.remark = remark
        return offer
    }

    /// An internal offer: another agent calling.
    public static func `internal`(sessionId: String, timeout: Int, peerUserId: String) -> CallIn {
        var offer = CallIn(sessionId: sessionId, type: .internal, timeout: timeout)
        offer.peerUserId = peerUserId
        return offer
    }
}
