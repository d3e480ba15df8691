import Foundation
import Logging
import Synchronization
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardProtocol
import SwitchboardStore
import Testing

/// A store that starts failing (a full disk, a database turned read-only): the routing service
/// must answer "nothing changed, try again", keep serving reads, write nothing half, and carry on
/// once the store works again.
@Suite("Store faults")
struct StoreFaultTests {
    /// Wraps a real store; while `failing`, every write throws as a full disk would.
    final class FaultyStore: RoutingStore, Sendable {
        let inner: SQLiteRoutingStore
        let failing = Mutex(false)
        /// Runs before each commit (to hold a commit in flight, or fail just one).
        let beforeCommit = Mutex<(@Sendable () async throws -> Void)?>(nil)
        struct DiskFull: Error, CustomStringConvertible { var description: String { "database or disk is full" } }

        init(path: String) throws { inner = try SQLiteRoutingStore(path: path) }
        private func check() throws { if failing.withLock({ $0 }) { throw DiskFull() } }

        func loadRoutingState() async throws -> StoredRoutingState { try await inner.loadRoutingState() }
        func append(_ entries: [JournalEntry]) async throws { try check(); try await inner.append(entries) }
        func commit(_ entries: [JournalEntry], messages: [NewMessage]) async throws -> [StoredMessage] {
            if let hook = beforeCommit.withLock({ $0 }) { try await hook() }
            try check()
            return try await inner.commit(entries, messages: messages)
        }
        func saveSnapshot(_ snapshot: RoutingSnapshot, throughSequence sequence: Int64) async throws {
            try check()
            try await inner.saveSnapshot(snapshot, throughSequence: sequence)
        }
        func appendMessage(_ message: NewMessage) async throws -> StoredMessage { try check(); return try await inner.appendMessage(message) }
        func saveAttachment(_ attachment: StoredAttachment) async throws { try check(); try await inner.saveAttachment(attachment) }
        func attachment(_ id: String, of session: SessionID) async throws -> StoredAttachment? { try await inner.attachment(id, of: session) }
        func messages(of session: SessionID, query: MessagePageQuery) async throws -> [StoredMessage] { try await inner.messages(of: session, query: query) }
        func messages(committedWith sequences: ClosedRange<Int64>) async throws -> [Int64: [StoredMessage]] { try await inner.messages(committedWith: sequences) }
        func journal(after sequence: Int64) async throws -> [JournalEntry]? { try await inner.journal(after: sequence) }
        func session(_ id: SessionID) async throws -> SessionRecord? { try await inner.session(id) }
        func sessions(_ query: SessionListQuery) async throws -> [SessionRecord] { try await inner.sessions(query) }
        func history(of session: SessionID) async throws -> [HistoryRecord] { try await inner.history(of: session) }
        func statusHistory(of agent: AgentID, limit: Int) async throws -> [StatusRecord] { try await inner.statusHistory(of: agent, limit: limit) }
        func setPasswordHash(_ hash: String, for agent: AgentID) async throws { try check(); try await inner.setPasswordHash(hash, for: agent) }
        func passwordHash(for agent: AgentID) async throws -> String? { try await inner.passwordHash(for: agent) }
        func revokeTokens(of agent: AgentID, issuedBefore time: Timestamp) async throws {
            try check()
            try await inner.revokeTokens(of: agent, issuedBefore: time)
        }
        func tokensRevokedBefore(of agent: AgentID) async throws -> Timestamp? { try await inner.tokensRevokedBefore(of: agent) }
        func lockLogins(of agent: AgentID, at time: Timestamp, failures: Int) async throws {
            try check()
            try await inner.lockLogins(of: agent, at: time, failures: failures)
        }
        func loginLock(of agent: AgentID) async throws -> LoginLock? { try await inner.loginLock(of: agent) }
        func unlockLogins(of agent: AgentID) async throws -> Bool { try check(); return try await inner.unlockLogins(of: agent) }
        func reportCounts(_ dimension: ReportDimension, from: Timestamp, to: Timestamp, slots: ReportSlots) async throws -> [ReportSlotCounts] {
            try await inner.reportCounts(dimension, from: from, to: to, slots: slots)
        }
        func reportStatusTime(from: Timestamp, to: Timestamp, slots: ReportSlots) async throws -> [ReportStatusTime] {
            try await inner.reportStatusTime(from: from, to: to, slots: slots)
        }
        func openStatusPeriods() async throws -> [AgentStatusClock] { try await inner.openStatusPeriods() }
        func recordHold(_ session: SessionID, agent: AgentID, at time: Timestamp, on: Bool) async throws {
            try check()
            try await inner.recordHold(session, agent: agent, at: time, on: on)
        }
        func rebuildReports() async throws -> ReportRebuild { try check(); return try await inner.rebuildReports() }
        func recordServerStart(at time: Timestamp) async throws -> Int64 {
            try check()
            return try await inner.recordServerStart(at: time)
        }
        func saveSupervisor(
            _ id: SupervisorID, name: String, role: SupervisorRole, passwordHash: String?, at time: Timestamp
        ) async throws -> SavedSupervisor {
            try check()
            return try await inner.saveSupervisor(id, name: name, role: role, passwordHash: passwordHash, at: time)
        }
        func supervisor(_ id: SupervisorID) async throws -> SupervisorAccount? { try await inner.supervisor(id) }
        func supervisors() async throws -> [SupervisorAccount] { try await inner.supervisors() }
        func deleteSupervisor(_ id: SupervisorID) async throws -> Bool { try check(); return try await inner.deleteSupervisor(id) }
        func setSupervisorPasswordHash(_ hash: String, for id: SupervisorID) async throws -> Bool {
            try check()
            return try await inner.setSupervisorPasswordHash(hash, for: id)
        }
        func supervisorPasswordHash(for id: SupervisorID) async throws -> String? { try await inner.supervisorPasswordHash(for: id) }
        func createSupervisorSession(_ session: NewSupervisorSession, verifiedHash: String) async throws -> Bool {
            try check()
            return try await inner.createSupervisorSession(session, verifiedHash: verifiedHash)
        }
        func supervisorSession(tokenHash: String) async throws -> StoredSupervisorSession? { try await inner.supervisorSession(tokenHash: tokenHash) }
        func touchSupervisorSession(tokenHash: String, at time: Timestamp) async throws {
            try check()
            try await inner.touchSupervisorSession(tokenHash: tokenHash, at: time)
        }
        func deleteSupervisorSession(tokenHash: String) async throws -> Bool { try check(); return try await inner.deleteSupervisorSession(tokenHash: tokenHash) }
        func deleteSupervisorSessions(lastUsedBefore: Timestamp, createdBefore: Timestamp) async throws -> Int {
            try check()
            return try await inner.deleteSupervisorSessions(lastUsedBefore: lastUsedBefore, createdBefore: createdBefore)
        }
        func lockSupervisorLogins(of id: SupervisorID, at time: Timestamp, failures: Int) async throws {
            try check()
            try await inner.lockSupervisorLogins(of: id, at: time, failures: failures)
        }
        func supervisorLoginLock(of id: SupervisorID) async throws -> LoginLock? { try await inner.supervisorLoginLock(of: id) }
        func unlockSupervisorLogins(of id: SupervisorID) async throws -> Bool { try check(); return try await inner.unlockSupervisorLogins(of: id) }
        func createAPIKey(_ key: StoredAPIKey) async throws -> Bool { try check(); return try await inner.createAPIKey(key) }
        func apiKey(secretId: String) async throws -> StoredAPIKey? { try await inner.apiKey(secretId: secretId) }
        func apiKeys(sdkAppId: Int64) async throws -> [StoredAPIKey] { try await inner.apiKeys(sdkAppId: sdkAppId) }
        func deleteAPIKey(secretId: String, sdkAppId: Int64) async throws -> Bool {
            try check()
            return try await inner.deleteAPIKey(secretId: secretId, sdkAppId: sdkAppId)
        }
        func spendToken(id: String, expiresAt: Timestamp, now: Timestamp) async throws -> Bool {
            try check()
            return try await inner.spendToken(id: id, expiresAt: expiresAt, now: now)
        }
        func createCannedReply(_ reply: CannedReply, limit: Int) async throws -> CannedReplyWrite {
            try check()
            return try await inner.createCannedReply(reply, limit: limit)
        }
        func updateCannedReply(_ reply: CannedReply) async throws -> CannedReplyWrite { try check(); return try await inner.updateCannedReply(reply) }
        func cannedReply(id: String) async throws -> CannedReply? { try await inner.cannedReply(id: id) }
        func cannedReplies(of owners: [CannedReplyOwner]?) async throws -> [CannedReply] { try await inner.cannedReplies(of: owners) }
        func deleteCannedReply(id: String) async throws -> Bool { try check(); return try await inner.deleteCannedReply(id: id) }
        func deleteCannedReplies(of owner: CannedReplyOwner) async throws -> Int { try check(); return try await inner.deleteCannedReplies(of: owner) }
        func saveWrapUp(_ wrapUp: SessionWrapUp, of session: SessionID) async throws -> Bool {
            try check()
            return try await inner.saveWrapUp(wrapUp, of: session)
        }
        func close() async throws { try await inner.close() }
    }

    @Test func failedCommitsChangeNothingAndTheServiceRecovers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-fault-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try FaultyStore(path: directory + "/db.sqlite")
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        let components = try await ServerComponents.make(configuration: configuration, store: store, logger: Logger(label: "fault-test") { _ in SwiftLogNoOpLogHandler() })
        let routing = components.routing
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await routing.run() }
            try await routing.execute(.upsertSkillGroup(SkillGroup(id: "sales")))
            _ = try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Ann"))))

            store.failing.withLock { $0 = true }
            await #expect {
                try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Bo"))))
            } throws: { error in
                "\(error)".contains("nothing changed") && "\(error)".contains("disk is full")
            }
            await #expect(throws: (any Error).self) {
                try await routing.commitMessage(NewMessage(sessionId: "s-1", author: .customer, text: "lost?", sentAt: Timestamp.now()))
            }
            // The refused session was rolled back: still exactly one, and reads go on.
            #expect(await routing.read { $0.sessions.count } == 1)
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery()).isEmpty)

            // The disk has room again: commands go through, numbered on from the last commit.
            store.failing.withLock { $0 = false }
            let reply = try await routing.execute(.createSession(NewSession(type: .im, skillGroupId: "sales", customer: CustomerDetails(nickname: "Bo"))))
            #expect(reply == .sessionCreated("s-2"))
            let stored = try await routing.commitMessage(NewMessage(sessionId: "s-2", author: .customer, text: "hello", sentAt: Timestamp.now()))
            #expect(stored.text == "hello")
            #expect(try await store.loadRoutingState().journal.count == 4)
            group.cancelAll()
        }
    }

    /// TCCC's `DeleteStaff` deletes each listed agent as its own change: when one fails, the
    /// others still go, and the answer names exactly which did not (never an error for a call
    /// that did delete someone, never a success that hides a failure).
    @Test func deleteStaffSaysWhichAgentsWereNotDeletedWhenTheStoreFailsPartWay() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-fault-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try FaultyStore(path: directory + "/db.sqlite")
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        let server = try await ServerComponents.make(configuration: configuration, store: store, logger: Logger(label: "fault-test") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.routing.run() }
            for id in ["ann", "bob"] { try await server.routing.execute(.upsertAgent(AgentProfile(id: AgentID(id), name: id))) }
            // The second removal's commit fails as a full disk would.
            let commits = Mutex(0)
            store.beforeCommit.withLock { $0 = { @Sendable in
                if commits.withLock({ $0 += 1; return $0 }) == 2 { throw FaultyStore.DiskFull() }
            } }
            let parameters = try CloudAPIParameters(["SdkAppId": .integer(configuration.sdkAppId), "StaffList": ["ann", "bob"]])
            let answer = try await CloudAPIActions.deleteStaff(
                CloudAPICall(parameters: parameters, server: server, sdkAppId: configuration.sdkAppId, baseURL: ""))
            store.beforeCommit.withLock { $0 = nil }
            let info = answer["DeleteStatusInfo"]?.string ?? ""
            #expect(info.hasPrefix("1 deleted") && info.contains("bob not deleted") && info.contains("disk is full"), "\(info)")
            #expect(answer["OnlineStaffList"] == .array([]))
            #expect(await server.routing.read { Set($0.agents.keys) } == ["bob"])
            group.cancelAll()
        }
    }
}

/// Webhook subscriptions and the outbox, writes failing with the rest.
extension StoreFaultTests.FaultyStore {
    private func checkWrite() throws { if failing.withLock({ $0 }) { throw DiskFull() } }

    func createWebhook(_ webhook: StoredWebhook) async throws -> Bool { try checkWrite(); return try await inner.createWebhook(webhook) }
    func webhook(id: String) async throws -> StoredWebhook? { try await inner.webhook(id: id) }
    func webhooks() async throws -> [StoredWebhook] { try await inner.webhooks() }
    func updateWebhook(_ webhook: StoredWebhook) async throws -> Bool { try checkWrite(); return try await inner.updateWebhook(webhook) }
    func deleteWebhook(id: String) async throws -> Bool { try checkWrite(); return try await inner.deleteWebhook(id: id) }
    func webhookDeliveries(of subscription: String, status: WebhookDeliveryStatus?, limit: Int, offset: Int) async throws -> [WebhookDelivery] {
        try await inner.webhookDeliveries(of: subscription, status: status, limit: limit, offset: offset)
    }
    func webhookDelivery(_ id: Int64, of subscription: String) async throws -> WebhookDelivery? { try await inner.webhookDelivery(id, of: subscription) }
    func dueWebhookDeliveries(at now: Timestamp, excluding: Set<Int64>, skippingSubscriptions: Set<String>, limit: Int) async throws -> [DueWebhookDelivery] {
        try await inner.dueWebhookDeliveries(at: now, excluding: excluding, skippingSubscriptions: skippingSubscriptions, limit: limit)
    }
    func recordWebhookAttempt(_ id: Int64, _ attempt: WebhookAttempt) async throws -> Bool {
        try checkWrite()
        return try await inner.recordWebhookAttempt(id, attempt)
    }
    func redeliverWebhook(_ id: Int64, of subscription: String, at now: Timestamp) async throws -> WebhookDelivery? {
        try checkWrite()
        return try await inner.redeliverWebhook(id, of: subscription, at: now)
    }
    func pruneWebhookDeliveries(finishedBefore time: Timestamp) async throws -> Int {
        try checkWrite()
        return try await inner.pruneWebhookDeliveries(finishedBefore: time)
    }
}
