import SwitchboardCore
import SwitchboardProtocol
import SwitchboardStore

/// Carries out one SDK request for an authenticated agent. The agent id always comes from the
/// login, never from the request, which is what keeps an agent to its own sessions: the core
/// refuses to accept, end or transfer a session not ringing at or held by that agent.
struct AgentRequests: Sendable {
    let server: ServerComponents
    let agent: AgentID

    func perform(_ request: AgentRequest) async -> AgentResponse {
        do {
            return try await perform(request.call, id: request.id)
        } catch let failure as RoutingService.Failure {
            return .failure(id: request.id, errorMsg: failure.description)
        } catch let refusal as ChatMessaging.Refusal {
            return .failure(id: request.id, errorMsg: refusal.description)
        } catch let refusal as CallSignaling.Refusal {
            return .failure(id: request.id, errorMsg: refusal.description)
        } catch let refusal as SessionWrapUps.Refusal {
            return .failure(id: request.id, errorMsg: refusal.description)
        } catch let refusal as CannedReplyBook.Refusal {
            return .failure(id: request.id, errorMsg: refusal.description)
        } catch {
            return .failure(id: request.id, errorMsg: "the server failed (\(error)); try again")
        }
    }

    private func perform(_ call: AgentCall, id: String) async throws -> AgentResponse {
        let routing = server.routing
        switch call {
        case .ping:
            return .success(id: id)
        case .agentOnline:
            try await routing.execute(.online(agent))
        case .agentOffline:
            try await routing.execute(.offline(agent))
        case .agentSetStatus(let status, let restReason):
            try await routing.execute(.setStatus(agent, status: status, restReason: restReason))
        case .agentGetStatus:
            let agent = self.agent
            let result = await routing.read { machine in
                machine.agents[agent].map {
                    AgentStatusResult(
                        status: WireTranslation.status($0.status), restReason: $0.restReason,
                        pendingStatus: $0.pendingStatus.map(WireTranslation.status), pendingRestReason: $0.pendingRestReason)
                }
            }
            guard let result else { return .failure(id: id, errorMsg: "agent \(agent) no longer exists") }
            return try .success(id: id, result: result)
        case .agentGetTransferTargets(let sessionId):
            let agent = self.agent
            let found = await routing.read { machine in
                Result { () throws(RoutingError) in try machine.transferDirectory(for: agent, session: sessionId.map(SessionID.init)) }
            }
            switch found {
            case .success(let directory): return try .success(id: id, result: WireTranslation.transferTargets(directory))
            case .failure(let refusal): return .failure(id: id, errorMsg: refusal.message)
            }
        case .chatAccept(let sessionId):
            try await routing.execute(.accept(agent, SessionID(sessionId)))
        case .chatEnd(let sessionId):
            try await routing.execute(.end(agent, SessionID(sessionId)))
        case .chatTransfer(let sessionId, let skillGroupId, let userId):
            try await routing.execute(.transfer(
                agent, SessionID(sessionId),
                skillGroupId: skillGroupId.flatMap { $0.isEmpty ? nil : SkillGroupID($0) },
                userId: userId.flatMap { $0.isEmpty ? nil : AgentID($0) }))
        case .chatSendMessage(let sessionId, let text):
            let stored = try await server.messaging.sendFromAgent(agent, session: SessionID(sessionId), text: text)
            return try .success(id: id, result: SentMessage(messageId: ChatMessaging.wireId(stored.id), sentAt: stored.sentAt.milliseconds))
        case .chatTyping(let sessionId):
            try await server.messaging.agentTyping(agent, session: SessionID(sessionId))
        case .chatGetMessages(let query):
            return try .success(id: id, result: try await server.messaging.page(query, forAgent: agent))
        case .callAccept(let sessionId, let video):
            let session = SessionID(sessionId)
            try await requireCall(session, method: call.method, video: video)
            try await routing.execute(.accept(agent, session))
        case .callHangUp(let sessionId, let video):
            let session = SessionID(sessionId)
            try await requireCall(session, method: call.method, video: video)
            let agent = self.agent
            let placedIt = await routing.read { $0.sessions[session]?.caller == agent }
            try await routing.execute(placedIt ? .callerHungUp(agent, session) : .end(agent, session))
        case .callTransfer(let sessionId, let skillGroupId, let userId, let video):
            let session = SessionID(sessionId)
            try await requireCall(session, method: call.method, video: video)
            try await routing.execute(.transfer(
                agent, session, skillGroupId: skillGroupId.map(SkillGroupID.init), userId: userId.map(AgentID.init)))
        case .callHold(let sessionId):
            try await server.calls.hold(SessionID(sessionId), by: agent)
        case .callUnHold(let sessionId):
            try await server.calls.unhold(SessionID(sessionId), by: agent)
        case .callSendDigits(let sessionId, let dtmfText):
            try await server.calls.sendDigits(dtmfText, in: SessionID(sessionId), by: agent)
        case .callStartInternalCall(let calleeUserId, let skillGroupId):
            let reply = try await routing.execute(.startInternalCall(
                agent, calleeUserId: calleeUserId.map(AgentID.init), skillGroupId: skillGroupId.map(SkillGroupID.init)))
            guard case .sessionCreated(let session) = reply else { return .failure(id: id, errorMsg: "the call was not placed; try again") }
            return try .success(id: id, result: StartedCall(sessionId: session.rawValue))
        case .chatGetWrapUp(let sessionId):
            return try .success(id: id, result: try await server.wrapUps.form(for: SessionID(sessionId), agent: agent))
        case .chatWrapUp(let sessionId, let dispositionCode, let note):
            return try .success(id: id, result: try await server.wrapUps.save(
                SessionID(sessionId), agent: agent, dispositionCode: dispositionCode, note: note))
        case .cannedRepliesList:
            let replies = try await server.cannedReplies.replies(forAgent: agent)
            return try .success(id: id, result: CannedReplyList(replies: replies.map(Self.item)))
        case .cannedRepliesSave(let replyId, let shortcut, let title, let text):
            // An agent saves only its own replies; shared ones are the admin API's.
            let draft = try CannedReplyBook.draft(shortcut: shortcut, title: title, text: text)
            let saved = if let replyId {
                try await server.cannedReplies.update(id: replyId, with: draft, requiredOwner: .agent(agent))
            } else {
                try await server.cannedReplies.create(draft, for: .agent(agent))
            }
            return try .success(id: id, result: Self.item(saved))
        case .cannedRepliesDelete(let replyId):
            try await server.cannedReplies.delete(id: replyId, requiredOwner: .agent(agent))
        case .callStartOutboundCall(let phoneNumber, let callerPhoneNumber, let skillGroupId, let phoneDesc, let uui):
            guard let phone = server.phone else {
                return .failure(id: id, errorMsg: "cannot call \(phoneNumber): no phone trunk is configured on this server (start it with --sip-listen and --trunk), so Call.startOutboundCall is not available; voip, video and internal calls work")
            }
            for (name, value) in [("phoneDesc", phoneDesc), ("uui", uui)] where value?.unicodeScalars.contains("\u{0}") == true {
                return .failure(id: id, errorMsg: "\(name) contains a NUL character")
            }
            let started = try await phone.placeCall(by: agent, OutboundCall(
                phoneNumber: phoneNumber, callerPhoneNumber: callerPhoneNumber, skillGroupId: skillGroupId.map(SkillGroupID.init),
                phoneDesc: phoneDesc, uui: uui))
            return try .success(id: id, result: started)
        }
        return .success(id: id)
    }

    /// A canned reply as the agent socket carries it.
    static func item(_ reply: CannedReply) -> CannedReplyItem {
        var skillGroupId: String?
        if case .skillGroup(let group) = reply.owner { skillGroupId = group.rawValue }
        return CannedReplyItem(
            id: reply.id, scope: reply.owner.scope, skillGroupId: skillGroupId, shortcut: reply.shortcut, title: reply.title, text: reply.text)
    }

    /// Refuses a `Call.*` / `Video.*` method on a session that is not a call of its kind, so that
    /// `Call.accept` on a chat says which method to use rather than taking the chat.
    private func requireCall(_ session: SessionID, method: AgentCall.Method, video: Bool) async throws(CallSignaling.Refusal) {
        let type = await server.routing.read { $0.sessions[session]?.type }
        guard let type else { return }  // the routing core names an unknown or ended session
        if type == .im {
            throw CallSignaling.Refusal("session \(session) is an im session: use the Chat methods, not \(method.rawValue)")
        }
        if video && type != .video {
            throw CallSignaling.Refusal("session \(session) is a \(type.rawValue) call, not a video call: use the Call methods, not \(method.rawValue)")
        }
    }
}
