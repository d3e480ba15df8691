// How fast a month's report answers over a million sessions, in release mode:
//   swift run -c release report-benchmark [sessions] [--postgres postgres://...]
//   swift run -c release report-benchmark --reuse path/to/switchboard.sqlite   (time the reports
//   and the rebuild of a store an earlier run loaded, without loading it again)
//   swift run -c release report-benchmark [sessions] --keep path/to/switchboard.sqlite   (load into
//   that file and keep it, for later runs with --reuse)
// Loads `sessions` (default 1,000,000) through the real store path, as the server commits them
// (journal entries with their events, 2,000 to a transaction, a snapshot every 100,000 entries,
// the report aggregates kept as they land): one month of traffic in 10 skill groups with 100
// agents, chats and calls, some abandoned in queue or while ringing, some transferred, some with
// holds. Then times the month's reports as the admin API builds them (per skill group daily and
// hourly, per agent daily, in a zone with a :30 offset), and the rebuild from the records.
// Prints figures; docs/benchmarks.md keeps them.
import Foundation
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardServer
import SwitchboardStore

let arguments = Array(CommandLine.arguments.dropFirst())
let sessionCount = arguments.compactMap { Int($0) }.first ?? 1_000_000
let postgresURL = arguments.firstIndex(of: "--postgres").map { arguments[$0 + 1] }
let reusedPath = arguments.firstIndex(of: "--reuse").map { arguments[$0 + 1] }
let keptPath = arguments.firstIndex(of: "--keep").map { arguments[$0 + 1] }

func seconds(since start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-benchmark-\(UUID().uuidString)")
let store: any RoutingStore
if let postgresURL {
    store = try await PostgresRoutingStore.open(try PostgresLocation(url: postgresURL))
} else if let reusedPath {
    store = try SQLiteRoutingStore(path: reusedPath)
} else if let keptPath {
    store = try SQLiteRoutingStore(path: keptPath)
} else {
    store = try SQLiteRoutingStore(path: directory.appendingPathComponent("switchboard.sqlite").path)
}
defer { try? FileManager.default.removeItem(at: directory) }  // never a reused or kept store

// November 2026, UTC.
let monthStart = Timestamp(milliseconds: 1_793_491_200_000)
let monthMilliseconds: Int64 = 30 * 86_400_000

/// Drives the routing core and commits what it decides, as the server's writer does.
@MainActor final class Loader {
    let store: any RoutingStore
    var machine: RoutingStateMachine
    var now: Timestamp
    var sequence: Int64 = 0
    var pending: [JournalEntry] = []
    var sinceSnapshot = 0
    /// Time spent in the store (commits and snapshots), apart from the core's own.
    var storeSeconds = 0.0

    init(store: any RoutingStore, now: Timestamp) {
        self.store = store
        self.now = now
        machine = RoutingStateMachine(now: now)
    }

    func run(_ command: RoutingCommand) async throws -> RoutingReply? {
        let outcome = machine.handle(command, at: now)
        guard let reply = try? outcome.result.get() else { return nil }
        sequence += 1
        pending.append(JournalEntry(sequence: sequence, time: now, command: command, events: outcome.events))
        sinceSnapshot += 1
        if pending.count >= 2_000 { try await flush() }
        return reply
    }

    func flush() async throws {
        let start = ContinuousClock.now
        try await store.append(pending)
        pending = []
        if sinceSnapshot >= 100_000 {
            try await store.saveSnapshot(machine.snapshot, throughSequence: sequence)
            sinceSnapshot = 0
        }
        storeSeconds += seconds(since: start)
    }
}

let loader = Loader(store: store, now: monthStart)
func run(_ command: RoutingCommand) async throws -> RoutingReply? { try await loader.run(command) }
var random = SystemRandomNumberGenerator()

if reusedPath == nil {
let groups = (0..<10).map { SkillGroupID("group-\($0)") }
    for group in groups { _ = try await run(.upsertSkillGroup(SkillGroup(id: group, offerTimeoutSeconds: 20, wrapUpSeconds: 5))) }
    let agents = (0..<100).map { AgentID("agent-\($0)") }
    for (index, agent) in agents.enumerated() {
        let memberships = [groups[index % 10]: Membership(skillLevel: 1), groups[(index + 3) % 10]: Membership(skillLevel: 2)]
        _ = try await run(.upsertAgent(AgentProfile(id: agent, name: "Agent \(index)", memberships: memberships)))
        _ = try await run(.connect(agent, ConnectionID("c-\(index)")))
        _ = try await run(.online(agent))
    }

    print("report-benchmark: loading \(sessionCount) sessions over 30 days into \(postgresURL == nil ? "SQLite" : "PostgreSQL")")
    let spacing = monthMilliseconds / Int64(sessionCount)
    let loadStart = ContinuousClock.now
    for index in 0..<sessionCount {
        loader.now = Timestamp(milliseconds: monthStart.milliseconds + Int64(index) * spacing)
        _ = try await run(.tick)
        let type: SessionType = index % 3 == 0 ? .phone : .im
        let request = NewSession(type: type, skillGroupId: groups[Int.random(in: 0..<10, using: &random)], priority: 0,
                                 customer: CustomerDetails(nickname: "Customer \(index)"))
        guard case .sessionCreated(let session)? = try await run(.createSession(request)) else { continue }
        let roll = Int.random(in: 0..<100, using: &random)
        let step = max(1, spacing / 8)
        loader.now = Timestamp(milliseconds: loader.now.milliseconds + step)
        if roll < 4 {
            _ = try await run(.customerLeft(session))  // abandoned (ringing or in queue)
            continue
        }
        guard let live = loader.machine.sessions[session], let agent = live.ringingAgents.first else {
            _ = try await run(.customerLeft(session))
            continue
        }
        _ = try await run(.accept(agent, session))
        loader.now = Timestamp(milliseconds: loader.now.milliseconds + step * 3)
        if roll < 8, let target = agents.first(where: { loader.machine.agents[$0]?.status == .free && $0 != agent }) {
            _ = try await run(.transfer(agent, session, skillGroupId: nil, userId: target))
            _ = try await run(.accept(target, session))
            loader.now = Timestamp(milliseconds: loader.now.milliseconds + step)
            _ = try await run(.end(target, session))
        } else {
            _ = try await run(.end(agent, session))
        }
        if index % 100_000 == 0 && index > 0 {
            print(String(format: "  %8d sessions, %.0f sessions/s through the store", index, Double(index) / max(loader.storeSeconds, 0.001)))
        }
    }
    loader.now = Timestamp(milliseconds: monthStart.milliseconds + monthMilliseconds)
    _ = try await run(.tick)
    try await loader.flush()
    print(String(format: "loaded %d sessions (%d journal entries) in %.1f s; the store took %.1f s: %.0f sessions/s with their records and aggregates",
                 sessionCount, loader.sequence, seconds(since: loadStart), loader.storeSeconds, Double(sessionCount) / loader.storeSeconds))
}

let from = monthStart.milliseconds
let to = from + monthMilliseconds
for (label, path, query) in [
    ("skill groups, daily, UTC", ReportDimension.skillGroup, "interval=day&timeZone=UTC"),
    ("skill groups, hourly, Asia/Kolkata", .skillGroup, "interval=hour&timeZone=Asia/Kolkata"),
    ("skill groups, 15 min, UTC", .skillGroup, "interval=15m&timeZone=UTC"),
    ("agents, daily, America/New_York", .agent, "interval=day&timeZone=America/New_York"),
    ("agents, hourly, UTC", .agent, "interval=hour&timeZone=UTC"),
    ("session types, daily, UTC", .sessionType, "interval=day&timeZone=UTC"),
] {
    var best = (total: Double.infinity, build: 0.0, encode: 0.0)
    var rows = 0
    for _ in 0..<3 {
        let start = ContinuousClock.now
        let report = try await HistoricalReports.json(path, query: "\(query)&from=\(from)&to=\(to)", store: store, now: to)
        let total = seconds(since: start)
        if total < best.total { best = (total, report.buildSeconds, report.encodeSeconds) }
        rows = report.rows
    }
    print(String(format: "month report, %-36@ %6d rows  %7.3f s (best of 3: %.3f s reading and building, %.3f s encoding)",
                 label as NSString, rows, best.total, best.build, best.encode))
}
let rebuildStart = ContinuousClock.now
let rebuilt = try await store.rebuildReports()
print(String(format: "rebuild from the records: %d sessions, %d history lines, %d status changes in %.1f s",
             rebuilt.sessions, rebuilt.historyLines, rebuilt.statusChanges, seconds(since: rebuildStart)))
try await store.close()
