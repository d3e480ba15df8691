import Hummingbird
import SwitchboardCore
import SwitchboardStore

/// An optional that is written as `null` rather than left out.
///
/// Every REST representation lists all of its properties on every response, so a client (and
/// the OpenAPI schema, whose `required` lists them all) can rely on the shape; "not set" is null.
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// Comparable where the value is, so a representation can tell whether it changed.
extension Nullable: Equatable where Value: Equatable {}

/// A skill group's settings with live figures: how many wait, how many agents serve it.
struct SkillGroupRepresentation: ResponseEncodable, Sendable {
    var id: String
    var name: String
    var strategy: String
    var offerTimeoutSeconds: Int
    var queueTimeoutSeconds: Int
    @Nullable var overflowGroupId: String?
    var wrapUpSeconds: Int
    var missedOfferStatus: String
    var imInactivityTimeoutSeconds: Int
    var maxQueueLength: Int
    var ringAll: Bool
    var usingLastSeat: Bool
    var maxConcurrency: Int
    var timeoutTransfer: Bool
    var maxSessionSeconds: Int
    var endWhenNoSeatOnline: Bool
    @Nullable var workingHours: WorkingHoursRepresentation?
    /// What agents pick from when they wrap up a session of this group.
    var dispositionCodes: [String]
    /// Whether its phone calls are recorded (a number's own `record` wins).
    var recordCalls: Bool
    /// Whether new sessions are let in by its working hours now (true without working hours).
    var withinWorkingHours: Bool
    /// Sessions waiting in its queue now.
    var waiting: Int
    /// Agents who are members.
    var members: Int
    /// Members who are online (any status but offline).
    var membersOnline: Int

    init(_ group: SkillGroup, machine: RoutingStateMachine) {
        let memberStates = machine.agents.values.filter { $0.profile.memberships[group.id] != nil }
        id = group.id.rawValue
        name = group.name
        strategy = group.strategy.rawValue
        offerTimeoutSeconds = group.offerTimeoutSeconds
        queueTimeoutSeconds = group.queueTimeoutSeconds
        overflowGroupId = group.overflowGroupId?.rawValue
        wrapUpSeconds = group.wrapUpSeconds
        missedOfferStatus = group.missedOfferStatus.rawValue
        imInactivityTimeoutSeconds = group.imInactivityTimeoutSeconds
        maxQueueLength = group.maxQueueLength
        ringAll = group.ringAll
        usingLastSeat = group.usingLastSeat
        maxConcurrency = group.maxConcurrency
        timeoutTransfer = group.timeoutTransfer
        maxSessionSeconds = group.maxSessionSeconds
        endWhenNoSeatOnline = group.endWhenNoSeatOnline
        workingHours = group.workingHours.map(WorkingHoursRepresentation.init)
        dispositionCodes = group.dispositionCodes
        recordCalls = group.recordCalls
        withinWorkingHours = group.workingHours?.isOpen(at: .now()) ?? true
        waiting = machine.waitingCount(of: group.id)
        members = memberStates.count
        membersOnline = memberStates.filter { $0.status != .offline }.count
    }
}

/// A group's working hours as the API writes them: every day, each with its ranges ("09:00-17:30").
struct WorkingHoursRepresentation: Encodable, Sendable {
    var timeZone: String
    var weekly: [String: [String]]

    init(_ hours: WorkingHours) {
        timeZone = hours.timeZone
        weekly = Dictionary(uniqueKeysWithValues: WorkingHours.Weekday.allCases.map { day in
            (day.rawValue, (hours.weekly[day] ?? []).sorted { $0.from < $1.from }.map(\.description))
        })
    }
}

/// One skill group an agent serves.
struct MembershipRepresentation: Codable, Sendable {
    var skillGroupId: String
    var skillLevel: Int
}

/// An agent's profile with its live state.
struct AgentRepresentation: ResponseEncodable, Sendable {
    var id: String
    var name: String
    /// Nil: the tenant's `defaultImCapacity` applies.
    @Nullable var imCapacity: Int?
    var memberships: [MembershipRepresentation]
    var status: String
    @Nullable var restReason: String?
    /// A status asked for while busy, applied when the last session ends.
    @Nullable var pendingStatus: String?
    @Nullable var pendingRestReason: String?
    /// Whether at least one SDK connection is open.
    var connected: Bool
    var ringing: [String]
    var held: [String]

    init(_ agent: AgentState) {
        id = agent.id.rawValue
        name = agent.profile.name
        imCapacity = agent.profile.imCapacity
        memberships = agent.profile.memberships.sorted { $0.key < $1.key }
            .map { MembershipRepresentation(skillGroupId: $0.key.rawValue, skillLevel: $0.value.skillLevel) }
        status = agent.status.rawValue
        restReason = agent.restReason
        pendingStatus = agent.pendingStatus?.rawValue
        pendingRestReason = agent.pendingRestReason
        connected = !agent.connections.isEmpty
        ringing = agent.ringing.map(\.rawValue).sorted()
        held = agent.held.map(\.rawValue).sorted()
    }
}

/// One line of an agent's status history.
struct StatusRecordRepresentation: Encodable, Sendable {
    var at: Int64
    var status: String
    @Nullable var restReason: String?
    var cause: String

    init(_ record: StatusRecord) {
        at = record.at.milliseconds
        status = record.status.rawValue
        restReason = record.restReason
        cause = record.cause.rawValue
    }
}

/// An agent login token (TCCC's `CreateSDKLoginToken`).
struct TokenRepresentation: ResponseEncodable, Sendable {
    var token: String
    var userId: String
    /// Milliseconds since 1970.
    var expiresAt: Int64
}

/// The tenant-wide routing settings.
struct ConfigurationRepresentation: ResponseEncodable, Sendable {
    var statusAfterOnline: String
    var defaultImCapacity: Int
    var allowVoiceWithIm: Bool
    var reconnectGraceSeconds: Int
    var imHoldSeconds: Int
    var onlineAtLogin: Bool

    init(_ configuration: RoutingConfiguration) {
        onlineAtLogin = configuration.onlineAtLogin
        statusAfterOnline = configuration.statusAfterOnline.rawValue
        defaultImCapacity = configuration.defaultImCapacity
        allowVoiceWithIm = configuration.allowVoiceWithIm
        reconnectGraceSeconds = configuration.reconnectGraceSeconds
        imHoldSeconds = configuration.imHoldSeconds
    }
}
