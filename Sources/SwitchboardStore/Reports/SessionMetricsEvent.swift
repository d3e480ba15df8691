import SwitchboardCore

/// One line of a session's history as the metrics read it: the same whether it comes from a
/// journal entry being projected (``init(_:)``) or from a stored `session_history` row when the
/// reports are rebuilt (``init(kind:agent:skillGroup:detail:)``), so both paths count alike.
enum SessionMetricsEvent: Equatable, Sendable {
    case created(type: String, skillGroup: String)
    case queued(skillGroup: String)
    case offered(agent: String)
    case missed(agent: String)
    case withdrawn(agent: String)
    case accepted(agent: String)
    case transferred(from: String, toSkillGroup: String?)
    case overflowed(from: String, to: String)
    case returnedToQueue(agent: String)
    case ended(closeBy: CloseBy)
    case dialled(agent: String)
    /// The agent put the call on hold (`Call.hold`), or took it off (`Call.unHold`).
    case hold(agent: String, on: Bool)
    /// A line that starts or stops no clock (digits, an overdue offer).
    case none

    init(_ entry: SessionHistoryEntry) {
        switch entry {
        case .created(let type, let group, _, _): self = .created(type: type.rawValue, skillGroup: group.rawValue)
        case .queued(let group): self = .queued(skillGroup: group.rawValue)
        case .offered(let agent, _): self = .offered(agent: agent.rawValue)
        case .missed(let agent): self = .missed(agent: agent.rawValue)
        case .withdrawn(let agent, _): self = .withdrawn(agent: agent.rawValue)
        case .accepted(let agent): self = .accepted(agent: agent.rawValue)
        case .transferred(let from, let group, _): self = .transferred(from: from.rawValue, toSkillGroup: group?.rawValue)
        case .overflowed(let from, let to): self = .overflowed(from: from.rawValue, to: to.rawValue)
        case .returnedToQueue(let agent, _): self = .returnedToQueue(agent: agent.rawValue)
        case .ended(let closeBy, _, _, _, _, _): self = .ended(closeBy: closeBy)
        case .dialled(let agent, _): self = .dialled(agent: agent.rawValue)
        case .overdue, .digits: self = .none
        }
    }

    /// From a `session_history` row: the kind, its agent and skill group columns, and the JSON
    /// detail where a field lives only there (the session type, who ended it, an overflow's origin).
    init(kind: String, agent: String?, skillGroup: String?, detail: String) throws(StoreError) {
        func require(_ value: String?, _ what: String) throws(StoreError) -> String {
            guard let value else { throw StoreError(.corruptData, "a '\(kind)' history line has no \(what)") }
            return value
        }
        switch kind {
        case "created":
            let fields = try StoreJSON.decode(CreatedFields.self, from: detail, "a 'created' history line")
            self = .created(type: fields.type, skillGroup: fields.skillGroupId)
        case "queued": self = .queued(skillGroup: try require(skillGroup, "skill group"))
        case "offered": self = .offered(agent: try require(agent, "agent"))
        case "missed": self = .missed(agent: try require(agent, "agent"))
        case "withdrawn": self = .withdrawn(agent: try require(agent, "agent"))
        case "accepted": self = .accepted(agent: try require(agent, "agent"))
        case "transferred": self = .transferred(from: try require(agent, "agent"), toSkillGroup: skillGroup)
        case "overflowed":
            let fields = try StoreJSON.decode(OverflowFields.self, from: detail, "an 'overflowed' history line")
            self = .overflowed(from: fields.from, to: fields.to)
        case "returnedToQueue": self = .returnedToQueue(agent: try require(agent, "agent"))
        case "ended":
            let fields = try StoreJSON.decode(EndedFields.self, from: detail, "an 'ended' history line")
            self = .ended(closeBy: fields.closeBy)
        case "dialled": self = .dialled(agent: try require(agent, "agent"))
        case HoldLine.held: self = .hold(agent: try require(agent, "agent"), on: true)
        case HoldLine.resumed: self = .hold(agent: try require(agent, "agent"), on: false)
        default: self = .none
        }
    }

    private struct CreatedFields: Decodable { var type: String, skillGroupId: String }
    private struct OverflowFields: Decodable { var from: String, to: String }
    private struct EndedFields: Decodable { var closeBy: CloseBy }
}

/// The history lines a call's hold adds (they come from the media side, not the routing core).
enum HoldLine {
    static let held = "held"
    static let resumed = "resumed"
}
