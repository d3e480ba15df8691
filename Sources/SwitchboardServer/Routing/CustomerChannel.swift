import SwitchboardCore
import SwitchboardProtocol

/// Starting an im session and describing it to its customer; shared by the customer socket and
/// the REST fallback.
struct CustomerChannel: Sendable {
    let server: ServerComponents

    /// Field limits, so one customer cannot store megabytes in a `callIn`.
    static let maximumFieldLength = 256
    static let maximumClientDataLength = 4096

    /// Queues a new im session in the requested skill group.
    func start(_ start: ChatStart) async -> Result<SessionID, ProtocolError> {
        let fields: [(String, String?, Int)] = [
            ("skillGroupId", start.skillGroupId, Self.maximumFieldLength),
            ("nickname", start.nickname, Self.maximumFieldLength),
            ("avatar", start.avatar, 2048),
            ("remark", start.remark, Self.maximumFieldLength),
            ("peerSource", start.peerSource, Self.maximumFieldLength),
            ("channelName", start.channelName, Self.maximumFieldLength),
            ("clientData", start.clientData, Self.maximumClientDataLength),
        ]
        for (name, value, limit) in fields {
            if let value, value.count > limit {
                return .failure(ProtocolError(.invalidValue, "field '\(name)' is \(value.count) characters; the limit is \(limit)"))
            }
        }
        let customer = CustomerDetails(
            nickname: start.nickname, avatar: start.avatar, remark: start.remark, peerSource: start.peerSource,
            channelName: start.channelName, clientData: start.clientData)
        do {
            let reply = try await server.routing.execute(
                .createSession(NewSession(type: .im, skillGroupId: SkillGroupID(start.skillGroupId), customer: customer)))
            guard case .sessionCreated(let session) = reply else {
                return .failure(ProtocolError(.internalError, "the session was not created; try again"))
            }
            return .success(session)
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

    /// What a live session looks like to its customer: its queue position, or who joined.
    /// Nil while an offer rings (the widget keeps showing "waiting") or once it is over.
    static func stateFrame(of session: SessionID, machine: RoutingStateMachine) -> CustomerServerFrame? {
        guard let live = machine.sessions[session] else { return nil }
        switch live.state {
        case .queued:
            return machine.queuePosition(of: session).map { .queued(position: $0) }
        case .ringing:
            return nil
        case .accepted(let agent):
            return .agentJoined(nickname: machine.agents[agent]?.profile.name ?? agent.rawValue)
        }
    }
}
