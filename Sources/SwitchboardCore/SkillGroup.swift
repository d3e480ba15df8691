/// How a skill group picks among its eligible agents.
public enum RoutingStrategy: String, Codable, Sendable, CaseIterable {
    /// The agent idle the longest (since its last offer, session end or becoming free). The default.
    case longestIdle
    /// Agents in turn: the one offered a session of this group longest ago goes next.
    case roundRobin
    /// The agent with the fewest sessions (held and ringing), then longest idle.
    case leastActive
    /// The best skill level (1 first), then longest idle.
    case skillLevel
}

/// A queue of waiting sessions plus the agents who serve it, with its routing settings.
public struct SkillGroup: Codable, Equatable, Sendable {
    /// The group's id.
    public var id: SkillGroupID
    /// A name for people.
    public var name: String
    /// How the next agent is chosen.
    public var strategy: RoutingStrategy
    /// Seconds an offer rings before it moves on; 0 rings until accepted.
    public var offerTimeoutSeconds: Int
    /// Seconds a session may wait in this queue before it ends or overflows; 0 waits forever.
    public var queueTimeoutSeconds: Int
    /// Where a session goes when its queue timeout runs out; nil ends it with `closeBy: 'timer'`.
    public var overflowGroupId: SkillGroupID?
    /// Seconds of automatic after-contact work (`arrange`) when an agent's last session ends; 0 skips it.
    public var wrapUpSeconds: Int
    /// The status an agent is put in after letting an offer ring out: `notReady`, `rest` or `free`.
    public var missedOfferStatus: AgentStatus
    /// Seconds an accepted `im` session may go without a message before it ends; 0 never.
    public var imInactivityTimeoutSeconds: Int
    /// Sessions that may wait in this queue at once; a session arriving when it is full is turned
    /// away at once (end status `queueFull`). 0: no limit.
    public var maxQueueLength: Int
    /// TCCC's `RingAll`: a waiting session rings at every eligible agent at once and the first to
    /// accept takes it. False rings one agent at a time, chosen by `strategy`.
    public var ringAll: Bool
    /// TCCC's `UsingLastSeat`: a returning customer is offered first to the agent who last served
    /// them, when that agent is eligible now.
    public var usingLastSeat: Bool
    /// TCCC's `MaxConcurrency`: the `im` sessions (ringing or held) an agent may have from this
    /// group at once; the agent's own capacity still bounds its total. 0: only that capacity.
    public var maxConcurrency: Int
    /// TCCC's "timeout transfer": when an offer rings out, the session moves on to the next agent
    /// (true) or keeps ringing at the same agent until it answers (false).
    public var timeoutTransfer: Bool
    /// Seconds an accepted session may last (from its first acceptance) before it ends with
    /// `closeBy: 'timer'`; 0: no limit.
    public var maxSessionSeconds: Int
    /// Whether a new session that finds no member online is ended at once (end status
    /// `noSeatOnline`) instead of queueing.
    public var endWhenNoSeatOnline: Bool
    /// When the group works; a new session outside these hours is ended at once (end status
    /// `notWorkTime`). Nil: always.
    public var workingHours: WorkingHours?
    /// The disposition codes an agent picks from when it wraps up a session of this group
    /// ("resolved", "callback"); empty: the wrap-up is a note alone.
    public var dispositionCodes: [String]
    /// Whether its phone calls are recorded (from the agent's answer to the end, paused on hold).
    /// A phone number's own `record` setting, when given, wins over this. Routing never reads it.
    public var recordCalls: Bool

    /// The longest queue a group may be given.
    public static let maximumQueueLengthLimit = 1_000_000
    /// The highest `maxConcurrency`: the highest im capacity an agent may have.
    public static let maximumConcurrencyLimit = 100
    /// The most disposition codes a group may have.
    public static let maximumDispositionCodes = 50
    /// The longest disposition code, in characters.
    public static let maximumDispositionCodeLength = 64

    /// Creates a skill group with the documented defaults.
    public init(
        id: SkillGroupID, name: String? = nil, strategy: RoutingStrategy = .longestIdle,
        offerTimeoutSeconds: Int = 20, queueTimeoutSeconds: Int = 0, overflowGroupId: SkillGroupID? = nil,
        wrapUpSeconds: Int = 0, missedOfferStatus: AgentStatus = .notReady, imInactivityTimeoutSeconds: Int = 0,
        maxQueueLength: Int = 0, ringAll: Bool = false, usingLastSeat: Bool = false, maxConcurrency: Int = 0,
        timeoutTransfer: Bool = true, maxSessionSeconds: Int = 0, endWhenNoSeatOnline: Bool = false,
        workingHours: WorkingHours? = nil, dispositionCodes: [String] = [], recordCalls: Bool = false
    ) {
        self.id = id
        self.name = name ?? id.rawValue
        self.strategy = strategy
        self.offerTimeoutSeconds = offerTimeoutSeconds
        self.queueTimeoutSeconds = queueTimeoutSeconds
        self.overflowGroupId = overflowGroupId
        self.wrapUpSeconds = wrapUpSeconds
        self.missedOfferStatus = missedOfferStatus
        self.imInactivityTimeoutSeconds = imInactivityTimeoutSeconds
        self.maxQueueLength = maxQueueLength
        self.ringAll = ringAll
        self.usingLastSeat = usingLastSeat
        self.maxConcurrency = maxConcurrency
        self.timeoutTransfer = timeoutTransfer
        self.maxSessionSeconds = maxSessionSeconds
        self.endWhenNoSeatOnline = endWhenNoSeatOnline
        self.workingHours = workingHours
        self.dispositionCodes = dispositionCodes
        self.recordCalls = recordCalls
    }

    /// Settings added after the first release are optional in journals and snapshots written
    /// before them, and take their defaults there (which keep the old behaviour).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(SkillGroupID.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        strategy = try container.decode(RoutingStrategy.self, forKey: .strategy)
        offerTimeoutSeconds = try container.decode(Int.self, forKey: .offerTimeoutSeconds)
        queueTimeoutSeconds = try container.decode(Int.self, forKey: .queueTimeoutSeconds)
        overflowGroupId = try container.decodeIfPresent(SkillGroupID.self, forKey: .overflowGroupId)
        wrapUpSeconds = try container.decode(Int.self, forKey: .wrapUpSeconds)
        missedOfferStatus = try container.decode(AgentStatus.self, forKey: .missedOfferStatus)
        imInactivityTimeoutSeconds = try container.decode(Int.self, forKey: .imInactivityTimeoutSeconds)
        maxQueueLength = try container.decodeIfPresent(Int.self, forKey: .maxQueueLength) ?? 0
        ringAll = try container.decodeIfPresent(Bool.self, forKey: .ringAll) ?? false
        usingLastSeat = try container.decodeIfPresent(Bool.self, forKey: .usingLastSeat) ?? false
        maxConcurrency = try container.decodeIfPresent(Int.self, forKey: .maxConcurrency) ?? 0
        timeoutTransfer = try container.decodeIfPresent(Bool.self, forKey: .timeoutTransfer) ?? true
        maxSessionSeconds = try container.decodeIfPresent(Int.self, forKey: .maxSessionSeconds) ?? 0
        endWhenNoSeatOnline = try container.decodeIfPresent(Bool.self, forKey: .endWhenNoSeatOnline) ?? false
        workingHours = try container.decodeIfPresent(WorkingHours.self, forKey: .workingHours)
        dispositionCodes = try container.decodeIfPresent([String].self, forKey: .dispositionCodes) ?? []
        recordCalls = try container.decodeIfPresent(Bool.self, forKey: .recordCalls) ?? false
    }

    /// Checks the settings on their own; the state machine checks references to other groups.
    func validate() throws(RoutingError) {
        if id.rawValue.isEmpty { throw RoutingError(.invalidConfiguration, "a skill group needs a non-empty id") }
        for (name, value) in [
            ("offerTimeoutSeconds", offerTimeoutSeconds), ("queueTimeoutSeconds", queueTimeoutSeconds),
            ("wrapUpSeconds", wrapUpSeconds), ("imInactivityTimeoutSeconds", imInactivityTimeoutSeconds),
            ("maxSessionSeconds", maxSessionSeconds),
        ] where value < 0 || value > 7 * 24 * 3600 {
            throw RoutingError(.invalidConfiguration, "skill group \(id): \(name) must be 0 to 604800 seconds, not \(value)")
        }
        if ![.notReady, .rest, .free].contains(missedOfferStatus) {
            throw RoutingError(.invalidConfiguration, "skill group \(id): missedOfferStatus must be notReady, rest or free, not \(missedOfferStatus.rawValue)")
        }
        if !(0...Self.maximumQueueLengthLimit).contains(maxQueueLength) {
            throw RoutingError(.invalidConfiguration, "skill group \(id): maxQueueLength must be 0 (no limit) to \(Self.maximumQueueLengthLimit), not \(maxQueueLength)")
        }
        if !(0...Self.maximumConcurrencyLimit).contains(maxConcurrency) {
            throw RoutingError(.invalidConfiguration, "skill group \(id): maxConcurrency must be 0 (the agent's own im capacity) to \(Self.maximumConcurrencyLimit), not \(maxConcurrency)")
        }
        if let workingHours {
            do { try workingHours.validate() } catch {
                throw RoutingError(.invalidConfiguration, "skill group \(id): workingHours: \(error.message)")
            }
        }
        if dispositionCodes.count > Self.maximumDispositionCodes {
            throw RoutingError(.invalidConfiguration, "skill group \(id): at most \(Self.maximumDispositionCodes) dispositionCodes, not \(dispositionCodes.count)")
        }
        var seen: Set<String> = []
        for (index, code) in dispositionCodes.enumerated() {
            let field = "skill group \(id): dispositionCodes[\(index)]"
            if code.isEmpty || code.first?.isWhitespace == true || code.last?.isWhitespace == true {
                throw RoutingError(.invalidConfiguration, "\(field) must not be empty or start or end with a space: \(String(reflecting: code))")
            }
            if code.count > Self.maximumDispositionCodeLength {
                throw RoutingError(.invalidConfiguration, "\(field) is \(code.count) characters; the limit is \(Self.maximumDispositionCodeLength)")
            }
            if code.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw RoutingError(.invalidConfiguration, "\(field) contains a control character (a line break or tab)")
            }
            if !seen.insert(code.lowercased()).inserted {
                throw RoutingError(.invalidConfiguration, "\(field): '\(code)' is listed twice")
            }
        }
        if overflowGroupId == id {
            throw RoutingError(.invalidConfiguration, "skill group \(id) cannot overflow to itself")
        }
    }
}
