import SwitchboardCore
import SwitchboardProtocol

/// Starting an im session or a browser call and describing it to its customer; shared by the
/// customer socket and the REST fallback (which starts im sessions only: calls need the socket
/// for their signalling).
struct CustomerChannel: Sendable {
    let server: ServerComponents

    /// Field limits, so one customer cannot store megabytes in a `callIn`.
    static let maximumFieldLength = 256
    static let maximumClientDataLength = 4096
    /// How long a customer turned away by a full queue is asked to wait before trying again.
    static let queueFullRetrySeconds = 30

    /// Queues a new session of the requested type in the requested skill group, for a customer
    /// at `address` (rate-limited per address and overall).
    func start(_ start: ChatStart, from address: String) async -> Result<SessionID, ProtocolError> {
        if let refusal = admit(start, from: address) { return .failure(refusal) }
        guard let group = start.skillGroupId else {
            return .failure(ProtocolError(.invalidValue, "a call through IVR flow '\(start.ivrFlowId ?? "")' starts on the customer socket (/ws/customer), which plays its menu"))
        }
        return await queue(start, in: group)
    }

    /// Whether a start may go ahead: the rate limits for `address`, then the fields' lengths.
    func admit(_ start: ChatStart, from address: String) -> ProtocolError? {
        // First: a shed start must cost as little as possible, and counts against no limit.
        if let refusal = server.overload.refusal() { return Self.serverBusy(refusal) }
        if let refusal = server.customerAdmission.admitStart(from: address) {
            return ProtocolError(.rateLimited, refusal.message, retryAfter: refusal.retryAfter)
        }
        let fields: [(String, String?, Int)] = [
            ("skillGroupId", start.skillGroupId, Self.maximumFieldLength),
            ("ivrFlowId", start.ivrFlowId, Self.maximumFieldLength),
            ("nickname", start.nickname, Self.maximumFieldLength),
            ("avatar", start.avatar, 2048),
            ("remark", start.remark, Self.maximumFieldLength),
            ("peerSource", start.peerSource, Self.maximumFieldLength),
            ("channelName", start.channelName, Self.maximumFieldLength),
            ("clientData", start.clientData, Self.maximumClientDataLength),
            ("userId", start.userId, Self.maximumFieldLength),
            ("callee", start.callee, Self.maximumFieldLength),
        ]
        for (name, value, limit) in fields {
            if let value, value.count > limit {
                return ProtocolError(.invalidValue, "field '\(name)' is \(value.count) characters; the limit is \(limit)")
            }
            // A NUL would be kept in the record, where PostgreSQL's JSON cannot read it (searches fail).
            if let value, value.unicodeScalars.contains("\u{0}") {
                return ProtocolError(.invalidValue, "field '\(name)' contains a NUL character")
            }
        }
        return nil
    }

    /// What a customer turned away by the overload guard is told.
    static func serverBusy(_ refusal: ProtocolRefusal) -> ProtocolError {
        ProtocolError(.serverBusy, refusal.message, retryAfter: refusal.retryAfter)
    }

    /// Whether `secret` is `session`'s and still works: the session is live, or ended less than
    /// the secret lifetime ago. Otherwise the session is as unknown as one that never existed.
    /// Throws when the store cannot be read (the customer should retry, not give up).
    func isAuthorized(_ session: SessionID, secret: String) async throws -> Bool {
        guard server.authenticator.isCustomerSecret(secret, for: session) else { return false }
        if await server.routing.read({ $0.sessions[session] != nil }) { return true }
        guard let record = try await server.store.session(session) else { return false }
        guard let endedAt = record.endedAt else { return true }
        let lifetime = Int64(server.configuration.customers.secretLifetimeSeconds) * 1000
        return Timestamp.now().milliseconds - endedAt.milliseconds < lifetime
    }

    /// Queues the session of an admitted start in `group`; a start that went through an IVR
    /// flow comes with the flow's priority, the choices made (`ivrPath`) and the flow's name as
    /// what was called.
    func queue(
        _ start: ChatStart, in group: String, priority: Int = 0, ivrPath: [IVRStep]? = nil, calledFlow: String? = nil,
        arrivedAt: Timestamp? = nil
    ) async -> Result<SessionID, ProtocolError> {
        // The site's own user id identifies a returning customer (a group's usingLastSeat); a page
        // that does not know its visitor sends none, and the call's callIn makes one up.
        var customer = CustomerDetails(
            nickname: start.nickname, avatar: start.avatar, remark: start.remark, peerSource: start.peerSource,
            channelName: start.channelName, clientData: start.clientData, userId: start.userId)
        let type = SwitchboardCore.SessionType(rawValue: start.type.rawValue)!
        if type != .im {
            // A voip callIn names what was called (`callee`): the group's name unless the page says.
            if type == .voip {
                let groupName = await server.routing.read { $0.skillGroups[SkillGroupID(group)]?.name }
                customer.callee = start.callee ?? calledFlow ?? groupName ?? group
                customer.ivrPath = ivrPath
            }
        }
        do {
            let reply = try await server.routing.execute(
                .createSession(NewSession(type: type, skillGroupId: SkillGroupID(group), priority: priority, customer: customer, arrivedAt: arrivedAt)))
            switch reply {
            case .sessionCreated(let session):
                return .success(session)
            case .sessionTurnedAway(_, let endStatus, let reason):
                return .failure(Self.turnedAway(endStatus: endStatus, reason: reason))
            case .done, .sessionRecorded:
                return .failure(ProtocolError(.internalError, "the session was not created; try again"))
            }
        } catch {
            switch error {
            case .refused(let refusal) where refusal.code == .unknownSkillGroup:
                return .failure(ProtocolError(.invalidValue, "field 'skillGroupId': \(refusal.message)"))
            case .refused(let refusal):
                return .failure(ProtocolError(.invalidValue, refusal.message))
            case .unavailable(let why):
                return .failure(ProtocolError(.internalError, why))
            }
        }
    }

    /// The error a customer turned away at once is told, by the record's end status: a full
    /// queue may be tried again soon; nobody online or outside working hours, not.
    static func turnedAway(endStatus: String, reason: String) -> ProtocolError {
        switch endStatus {
        case ProtocolError.Code.noSeatOnline.rawValue: ProtocolError(.noSeatOnline, reason)
        case ProtocolError.Code.notWorkTime.rawValue: ProtocolError(.notWorkTime, reason)
        default: ProtocolError(.queueFull, reason, retryAfter: queueFullRetrySeconds)
        }
    }

    /// What a live session looks like to its customer: its queue position, ringing, or who
    /// joined. Nil once it is over.
    static func stateFrame(of session: SessionID, machine: RoutingStateMachine) -> CustomerServerFrame? {
        guard let live = machine.sessions[session] else { return nil }
        switch live.state {
        case .queued:
            return machine.queuePosition(of: session).map { .queued(position: $0) }
        case .ringing:
            return .ringing
        case .accepted(let agent):
            return .agentJoined(nickname: machine.agents[agent]?.profile.name ?? agent.rawValue)
        }
    }
}
