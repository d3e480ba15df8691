import Foundation
import Testing
@testable import SwitchboardCore

/// A small deterministic generator, so a failing seed reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random but plausible traffic: mostly sensible commands, some nonsense, time moving on.
struct TrafficGenerator {
    var random: SplitMix64
    let agentIds: [AgentID] = (1...8).map { AgentID("a\($0)") }
    let groupIds: [SkillGroupID] = ["sales", "support", "vip"]

    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int.random(in: 0..<items.count, using: &random)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    /// The next command and how far the clock moves before it.
    mutating func next(_ machine: RoutingStateMachine) -> (RoutingCommand, Int64) {
        let elapsed: Int64 = chance(30) ? Int64.random(in: 0...25_000, using: &random) : 0
        // Now and then an administrator changes someone's profile or the tenant's settings, or
        // the server restarts, in the middle of the traffic.
        if chance(3) { return (administration(machine), elapsed) }
        let agent = pick(agentIds)!
        let ringing = machine.sessions.values.compactMap { s -> (AgentID, SessionID)? in
            if case .ringing(let a, _) = s.state { (a, s.id) } else { nil }
        }.sorted { $0.1 < $1.1 }
        let held = machine.sessions.values.compactMap { s -> (AgentID, SessionID)? in
            if case .accepted(let a) = s.state { (a, s.id) } else { nil }
        }.sorted { $0.1 < $1.1 }
        let live = machine.sessions.keys.sorted()
        let anySession = pick(live) ?? SessionID("s-0")
        let command: RoutingCommand
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<5: command = .connect(agent, ConnectionID("\(agent)-\(Int.random(in: 0..<2, using: &random))"))
        case 5..<9: command = .disconnect(agent, ConnectionID("\(agent)-\(Int.random(in: 0..<2, using: &random))"))
        case 9..<15: command = .online(agent)
        case 15..<18: command = .offline(agent)
        case 18..<26:
            let status = pick(["free", "rest", "arrange", "notReady", "StopNotReady", "busy", "bogus"])!
            command = .setStatus(agent, status: status, restReason: chance(50) ? "break" : nil)
        case 26..<46:
            let type = pick(SessionType.allCases)!
            // A few returning customers, so groups using the last seat meet them again.
            let userId: String? = chance(60) ? "u\(Int.random(in: 0..<3, using: &random))" : nil
            let caller: String? = type == .phone && chance(60) ? "+4930\(Int.random(in: 0..<5, using: &random))" : nil
            command = .createSession(NewSession(type: type, skillGroupId: chance(95) ? pick(groupIds)! : "nope",
                                                priority: Int.random(in: 0...2, using: &random),
                                                customer: CustomerDetails(nickname: "c", userId: userId, callerPhoneNumber: caller)))
        case 46..<62:
            if chance(80), let (a, s) = pick(ringing) { command = .accept(a, s) } else { command = .accept(agent, anySession) }
        case 62..<70:
            if let (a, s) = pick(held) {
                let toAgent: AgentID? = chance(50) ? pick(agentIds) : nil
                let toGroup: SkillGroupID? = toAgent == nil || chance(30) ? pick(groupIds) : nil
                command = .transfer(chance(90) ? a : agent, s, skillGroupId: chance(5) ? nil : toGroup, userId: toAgent)
            } else {
                command = .transfer(agent, anySession, skillGroupId: "sales", userId: nil)
            }
        case 70..<82:
            if chance(85), let (a, s) = pick(held) { command = .end(a, s) } else { command = .end(agent, anySession) }
        case 82..<88: command = .customerLeft(chance(90) ? anySession : "s-0")
        case 88..<89: command = .adminEnd(anySession, mainReason: "reason", subReason: nil)
        case 89..<90:
            // Mostly a waiting session, now and then one ringing or held (refused).
            let waiting = machine.sessions.values.filter { $0.state == .queued }.map(\.id).sorted()
            command = .adminAssign(chance(80) ? pick(waiting) ?? anySession : anySession, agent: agent)
        case 90..<92: command = .activity(anySession)
        case 92..<94:
            let toAgent: AgentID? = chance(60) ? pick(agentIds) : nil
            command = .startInternalCall(agent, calleeUserId: toAgent, skillGroupId: toAgent == nil || chance(20) ? pick(groupIds) : nil)
        case 94..<95:
            let placed = machine.sessions.values.filter { $0.caller != nil }.sorted { $0.id < $1.id }
            if let call = pick(placed) { command = .callerHungUp(chance(90) ? call.caller! : agent, call.id) } else { command = .callerHungUp(agent, anySession) }
        case 95..<96:
            command = .startOutboundCall(agent, OutboundCall(phoneNumber: chance(90) ? "+4930\(Int.random(in: 0...9, using: &random))" : "x"))
        case 96..<97:
            let dialling = machine.sessions.values.filter(\.isDialling).map(\.id).sorted()
            let session = pick(dialling) ?? anySession
            if chance(50) {
                command = .calleeAnswered(session)
            } else {
                command = .outboundCallFailed(session, pick(OutboundCallFailure.allCases)!, detail: nil)
            }
        case 97..<98: command = .callerDigits(anySession, chance(90) ? "5" : "")
        case 98..<99: command = .upsertSkillGroup(changedSetting(of: machine.skillGroups[pick(groupIds)!]!))
        default: command = .tick
        }
        return (command, elapsed)
    }

    /// A profile change (memberships, levels, im capacity), a tenant setting change (voice with
    /// im, default capacity, grace), a status set by a supervisor, or a restart; now and then a
    /// value the core must refuse.
    mutating func administration(_ machine: RoutingStateMachine) -> RoutingCommand {
        let agent = pick(agentIds)!
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            // One change at a time, so the groups keep most of their members.
            var profile = machine.agents[agent]!.profile
            let group = pick(groupIds)!
            switch Int.random(in: 0..<3, using: &random) {
            case 0: profile.memberships[group] = profile.memberships[group] == nil ? Membership(skillLevel: Int.random(in: 1...5, using: &random)) : nil
            case 1: profile.memberships[group]?.skillLevel = Int.random(in: 0...6, using: &random)
            default: profile.imCapacity = pick([nil, 1, 2, 3, 0])!
            }
            return .upsertAgent(profile)
        case 1:
            var configuration = machine.configuration
            switch Int.random(in: 0..<4, using: &random) {
            case 0: configuration.allowVoiceWithIm.toggle()
            case 1: configuration.defaultImCapacity = pick([1, 2, 5, 0])!
            case 2: configuration.reconnectGraceSeconds = pick([0, 10, 30, 30, 30])!
            default: configuration.statusAfterOnline = pick([.free, .notReady, .busy])!
            }
            return .configure(configuration)
        case 2:
            return .adminSetStatus(agent, status: pick(["free", "rest", "notReady", "offline", "busy"])!, restReason: chance(50) ? "meeting" : nil)
        default:
            return .serverRestarted
        }
    }

    /// The group with one of its routing settings changed mid-traffic (now and then to a value
    /// the core must refuse).
    mutating func changedSetting(of group: SkillGroup) -> SkillGroup {
        var group = group
        switch Int.random(in: 0..<8, using: &random) {
        case 0: group.ringAll.toggle()
        case 1: group.usingLastSeat.toggle()
        case 2: group.maxConcurrency = pick([0, 1, 2, 3, -1])!
        case 3: group.timeoutTransfer.toggle()
        case 4: group.maxSessionSeconds = pick([0, 30, 300, 3600])!
        case 5: group.endWhenNoSeatOnline.toggle()
        case 6:
            // The traffic starts on a Monday at 13:46 UTC and runs for about two hours.
            group.workingHours = pick([
                nil, WorkingHours(timeZone: "UTC", weekly: [.monday: [.init(from: 14 * 60, to: 15 * 60)]]),
                WorkingHours(timeZone: "Europe/Berlin", weekly: [.monday: [.init(from: 0, to: 24 * 60)]]),
                WorkingHours(timeZone: "Atlantis/Nowhere", weekly: [:]),
            ])!
        default: group.strategy = pick(RoutingStrategy.allCases)!
        }
        return group
    }
}

@Suite("Invariants under thousands of random commands")
struct InvariantTests {
    static func setUp() -> RoutingStateMachine {
        var machine = RoutingStateMachine(now: Timestamp(seconds: 1_000_000))
        let now = machine.clock
        let groups = [
            SkillGroup(id: "vip", strategy: .skillLevel, offerTimeoutSeconds: 10, wrapUpSeconds: 5, ringAll: true, usingLastSeat: true),
            SkillGroup(id: "support", strategy: .leastActive, offerTimeoutSeconds: 15, queueTimeoutSeconds: 120,
                       overflowGroupId: "vip", missedOfferStatus: .rest, imInactivityTimeoutSeconds: 90,
                       usingLastSeat: true, maxConcurrency: 2, maxSessionSeconds: 600),
            // A short queue, so random traffic also turns sessions away.
            SkillGroup(id: "sales", strategy: .roundRobin, offerTimeoutSeconds: 20, queueTimeoutSeconds: 200, wrapUpSeconds: 10, missedOfferStatus: .free,
                       maxQueueLength: 6),
        ]
        for group in groups { _ = machine.handle(.upsertSkillGroup(group), at: now) }
        for i in 1...8 {
            var memberships: [SkillGroupID: Membership] = [:]
            if i % 2 == 1 { memberships["sales"] = Membership(skillLevel: 1 + i % 5) }
            if i % 3 != 0 { memberships["support"] = Membership(skillLevel: 1 + (i * 7) % 5) }
            if i <= 3 { memberships["vip"] = Membership(skillLevel: i) }
            _ = machine.handle(.upsertAgent(AgentProfile(id: AgentID("a\(i)"), memberships: memberships, imCapacity: i == 1 ? 2 : nil)), at: now)
        }
        return machine
    }

    /// Checks every invariant of SEMANTICS.md that can be seen in one state.
    static func checkInvariants(_ machine: RoutingStateMachine, step: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        var ringingAt: [SessionID: Set<AgentID>] = [:]
        var heldBy: [SessionID: AgentID] = [:]
        for agent in machine.agents.values {
            for session in agent.ringing { ringingAt[session, default: []].insert(agent.id) }
            for session in agent.held {
                #expect(heldBy[session] == nil, "step \(step): \(session) is held by both \(heldBy[session]!) and \(agent.id)", sourceLocation: sourceLocation)
                heldBy[session] = agent.id
            }
            let types = agent.ringing.union(agent.held).compactMap { machine.sessions[$0]?.type }
            #expect(types.count == agent.ringing.count + agent.held.count, "step \(step): \(agent.id) points at ended sessions", sourceLocation: sourceLocation)
            let placed = machine.sessions.values.filter { $0.caller == agent.id }.count
            let voice = types.filter(\.isVoiceLike).count + placed
            let im = types.count - voice + placed
            #expect(agent.voiceLoad == voice && agent.imLoad == im, "step \(step): \(agent.id) load counters drifted", sourceLocation: sourceLocation)
            #expect(voice <= 1, "step \(step): \(agent.id) has \(voice) voice sessions", sourceLocation: sourceLocation)
            // Im capacity and mixing voice with im are checked when an offer is made (below):
            // a lowered capacity or a switched-off allowVoiceWithIm leaves sessions already held.
            #expect(agent.held.isEmpty == (agent.status != .busy), "step \(step): \(agent.id) is \(agent.status) holding \(agent.held.count)", sourceLocation: sourceLocation)
            if !agent.ringing.isEmpty {
                #expect(agent.status == .free || agent.status == .busy, "step \(step): \(agent.id) rings while \(agent.status)", sourceLocation: sourceLocation)
                #expect(agent.reachable && agent.pendingStatus == nil, "step \(step): \(agent.id) rings while unavailable", sourceLocation: sourceLocation)
            }
        }
        for session in machine.sessions.values {
            // Held by one agent, or ringing at one (or, ring all, several) and held by none.
            switch session.state {
            case .queued:
                #expect(ringingAt[session.id] == nil && heldBy[session.id] == nil, "step \(step): queued \(session.id) is at an agent", sourceLocation: sourceLocation)
            case .ringing:
                #expect(ringingAt[session.id] == Set(session.ringingAgents) && heldBy[session.id] == nil,
                        "step \(step): \(session.id) rings at \(session.ringingAgents), agents say \(ringingAt[session.id] ?? [])", sourceLocation: sourceLocation)
                #expect(session.alsoRinging?.isEmpty != true, sourceLocation: sourceLocation)
            case .accepted(let holder):
                #expect(heldBy[session.id] == holder && ringingAt[session.id] == nil && session.alsoRinging == nil,
                        "step \(step): \(session.id) state and agents disagree", sourceLocation: sourceLocation)
            }
            // No accepted session outlives its group's maximum duration.
            if let acceptedAt = session.acceptedAt, let limit = machine.skillGroups[session.skillGroupId]?.maxSessionSeconds, limit > 0 {
                #expect(acceptedAt.adding(seconds: limit) > machine.clock, "step \(step): \(session.id) is over its duration limit", sourceLocation: sourceLocation)
            }
            if session.state == .queued {
                for agent in machine.agents.keys.sorted() where machine.isEligible(agent, for: session.id) {
                    Issue.record("step \(step): \(session.id) waits while \(agent) is eligible", sourceLocation: sourceLocation)
                }
            }
        }
        for group in machine.skillGroups.keys {
            let queued = machine.sessions.values.filter { $0.state == .queued && $0.skillGroupId == group }.count
            #expect(machine.waitingCount(of: group) == queued, "step \(step): \(group) counts \(machine.waitingCount(of: group)) waiting, \(queued) are", sourceLocation: sourceLocation)
            #expect(machine.queue(of: group).count == queued, sourceLocation: sourceLocation)
            let oldest = machine.sessions.values.filter { $0.state == .queued && $0.skillGroupId == group }.map(\.createdAt).min()
            #expect(machine.oldestWaitingSince(in: group) == oldest, "step \(step): \(group)'s oldest wait", sourceLocation: sourceLocation)
        }
        // The tallies /metrics reads must agree with a full count.
        var tally = (queued: 0, ringing: 0, accepted: 0)
        for session in machine.sessions.values {
            switch session.state {
            case .queued: tally.queued += 1
            case .ringing: tally.ringing += 1
            case .accepted: tally.accepted += 1
            }
        }
        #expect(machine.tally.queued == tally.queued && machine.tally.ringing == tally.ringing && machine.tally.accepted == tally.accepted,
                "step \(step): session tally \(machine.tally) against \(tally)", sourceLocation: sourceLocation)
        for status in AgentStatus.allCases {
            let count = machine.agents.values.filter { $0.status == status }.count
            #expect((machine.tally.agentsByStatus[status] ?? 0) == count, "step \(step): \(count) agents are \(status)", sourceLocation: sourceLocation)
        }
    }

    /// An offer never takes an agent over its im capacity, nor mixes voice with im unless the
    /// tenant allows it. Checked right after the offers were made: settings changed later may
    /// leave agents with more than they would be offered now.
    static func checkOffers(_ events: [RoutingEvent], _ machine: RoutingStateMachine, step: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for event in events {
            guard case .agent(let agentId, .callIn(let offer)) = event.effect, let state = machine.agents[agentId] else { continue }
            let sessions = state.ringing.union(state.held).compactMap { machine.sessions[$0] }
            let voice = sessions.filter(\.type.isVoiceLike).count
            let im = sessions.count - voice
            if offer.type == .im {
                #expect(im <= (state.profile.imCapacity ?? machine.configuration.defaultImCapacity),
                        "step \(step): \(agentId) offered \(offer.sessionId) over its im capacity", sourceLocation: sourceLocation)
            }
            if !machine.configuration.allowVoiceWithIm {
                #expect(voice == 0 || im == 0, "step \(step): \(agentId) offered \(offer.sessionId) mixing voice and im", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func invariantsHoldAfterEveryCommand(seed: UInt64) {
        var machine = Self.setUp()
        var traffic = TrafficGenerator(random: SplitMix64(state: seed))
        var now = machine.clock
        var created: Set<SessionID> = []
        var ended: Set<SessionID> = []
        var refused = 0
        var turnedAway: [String: Int] = [:]
        var ringAllOffers = 0
        var lastSeatOffers = 0
        for step in 0..<2_000 {
            let (command, elapsed) = traffic.next(machine)
            now = Timestamp(milliseconds: now.milliseconds + elapsed)
            let timerEvents = machine.handle(.tick, at: now).events
            Self.checkOffers(timerEvents, machine, step: step)
            let afterTimers = machine.snapshot
            let outcome = machine.handle(command, at: now)
            switch outcome.result {
            case .success(.sessionCreated(let id)):
                #expect(!created.contains(id))
                created.insert(id)
            case .success(.sessionTurnedAway(let id, let endStatus, _)):
                #expect(!created.contains(id) && machine.sessions[id] == nil)
                guard case .createSession(let request) = command, let group = machine.skillGroups[request.skillGroupId] else {
                    Issue.record("step \(step): \(command) turned a session away")
                    break
                }
                switch endStatus {
                case "queueFull": #expect(group.maxQueueLength > 0 && machine.waitingCount(of: group.id) >= group.maxQueueLength)
                case "noSeatOnline":
                    #expect(group.endWhenNoSeatOnline)
                    #expect(!machine.agents.values.contains { $0.profile.memberships[group.id] != nil && $0.status != .offline })
                case "notWorkTime": #expect(group.workingHours?.isOpen(at: now) == false)
                default: Issue.record("step \(step): turned away as \(endStatus)")
                }
                turnedAway[endStatus, default: 0] += 1
                created.insert(id)
            case .success: break
            case .failure(let error):
                refused += 1
                #expect(machine.snapshot == afterTimers, "step \(step): refused \(command) (\(error.message)) changed the state")
                #expect(!error.message.isEmpty)
            }
            for event in timerEvents + outcome.events {
                if case .history(let id, .ended) = event.effect {
                    #expect(!ended.contains(id), "step \(step): \(id) ended twice")
                    ended.insert(id)
                }
            }
            Self.checkOffers(outcome.events, machine, step: step)
            // An agent offered an im session gets no more of its group than the group's maxConcurrency.
            for event in outcome.events {
                guard case .agent(let agent, .callIn(let offer)) = event.effect, offer.type == .im,
                      let limit = machine.skillGroups[offer.skillGroupId]?.maxConcurrency, limit > 0,
                      let state = machine.agents[agent] else { continue }
                let inGroup = state.ringing.union(state.held).filter {
                    machine.sessions[$0]?.type == .im && machine.sessions[$0]?.skillGroupId == offer.skillGroupId
                }
                #expect(inGroup.count <= limit, "step \(step): \(agent) has \(inGroup.count) im sessions of \(offer.skillGroupId), the limit is \(limit)")
            }
            for event in timerEvents + outcome.events {
                if case .agent(_, .callIn(let offer)) = event.effect, offer.reason.ringAll { ringAllOffers += 1 }
                if case .agent(_, .callIn(let offer)) = event.effect, offer.reason.lastSeat { lastSeatOffers += 1 }
            }
            Self.checkInvariants(machine, step: step)
            #expect(Set(machine.sessions.keys) == created.subtracting(ended), "step \(step): live sessions are not created minus ended")
        }
        // The traffic must exercise the machine, not just be refused.
        #expect(created.count > 200)
        #expect(ended.count > 100)
        #expect(refused < 1_500)
        // And the new settings must come into play.
        #expect(ringAllOffers > 0 && lastSeatOffers > 0, "ring all: \(ringAllOffers), last seat: \(lastSeatOffers)")
        #expect(turnedAway["queueFull", default: 0] + turnedAway["noSeatOnline", default: 0] + turnedAway["notWorkTime", default: 0] > 0)
    }

    @Test(arguments: [11, 12] as [UInt64])
    func aRestoredSnapshotDecidesExactlyAsTheOriginal(seed: UInt64) throws {
        var machine = Self.setUp()
        var traffic = TrafficGenerator(random: SplitMix64(state: seed))
        var now = machine.clock
        for _ in 0..<800 {
            let (command, elapsed) = traffic.next(machine)
            now = Timestamp(milliseconds: now.milliseconds + elapsed)
            _ = machine.handle(command, at: now)
        }
        // Through JSON, as the store will save it.
        let data = try JSONEncoder().encode(machine.snapshot)
        var restored = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
        #expect(restored.snapshot == machine.snapshot)
        #expect(restored.tally == machine.tally)
        for step in 0..<800 {
            let (command, elapsed) = traffic.next(machine)
            now = Timestamp(milliseconds: now.milliseconds + elapsed)
            let original = machine.handle(command, at: now)
            let copy = restored.handle(command, at: now)
            #expect(original.result == copy.result, "step \(step): \(command)")
            #expect(original.events == copy.events, "step \(step): \(command)")
            if original.events != copy.events { break }
        }
        #expect(restored.snapshot == machine.snapshot)
    }

    /// Restarts at random points: the running copy is replaced by one restored from its JSON
    /// snapshot (as a restarted server loads it) and must decide exactly as a copy that never
    /// restarted. The traffic itself includes `serverRestarted`, which both copies receive.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func restoringAtRandomPointsNeverChangesADecision(seed: UInt64) throws {
        var original = Self.setUp()
        var restarted = Self.setUp()
        var traffic = TrafficGenerator(random: SplitMix64(state: seed))
        var now = original.clock
        var restores = 0
        for step in 0..<2_000 {
            if traffic.chance(2) {
                let data = try JSONEncoder().encode(restarted.snapshot)
                restarted = RoutingStateMachine(snapshot: try JSONDecoder().decode(RoutingSnapshot.self, from: data))
                #expect(restarted.snapshot == original.snapshot && restarted.tally == original.tally, "step \(step): restored state differs")
                restores += 1
            }
            let (command, elapsed) = traffic.next(original)
            now = Timestamp(milliseconds: now.milliseconds + elapsed)
            let a = original.handle(command, at: now)
            let b = restarted.handle(command, at: now)
            #expect(a.result == b.result && a.events == b.events, "step \(step): \(command) decided differently after a restore")
            if a.events != b.events { break }
        }
        #expect(restores > 10)
        #expect(restarted.snapshot == original.snapshot)
    }

    @Test func aJournalOfCommandsReplaysToTheSameState() {
        var machine = Self.setUp()
        var replica = Self.setUp()
        var traffic = TrafficGenerator(random: SplitMix64(state: 99))
        var now = machine.clock
        var journal: [(RoutingCommand, Timestamp)] = []
        for _ in 0..<1_500 {
            let (command, elapsed) = traffic.next(machine)
            now = Timestamp(milliseconds: now.milliseconds + elapsed)
            let outcome = machine.handle(command, at: now)
            // Only commands that changed something need journaling; ticks never do, because a
            // timer fires at its own deadline whenever the next command comes.
            if case .success = outcome.result, command != .tick { journal.append((command, now)) }
        }
        for (command, time) in journal { _ = replica.handle(command, at: time) }
        _ = machine.handle(.tick, at: now)
        _ = replica.handle(.tick, at: now)
        #expect(replica.snapshot == machine.snapshot)
    }
}
