import Foundation
import SwitchboardCore
import SwitchboardStore

/// Canned replies for the admin API (every reply) and for agents (their own and their groups'):
/// one set of checks for both, so a reply an admin may not save an agent may not save either.
public struct CannedReplyBook: Sendable {
    let store: any RoutingStore
    let routing: RoutingService
    let clock: @Sendable () -> Timestamp

    /// The longest shortcut, in characters (without the `/`).
    static let maximumShortcutLength = 32
    /// The longest title, in characters.
    static let maximumTitleLength = 80
    /// The longest text: what one chat message may hold.
    static let maximumTextLength = ChatMessaging.maximumTextLength
    /// The most replies one skill group or one agent may have: enough for any team's list, and a
    /// bound on what a workbench loads.
    static let maximumPerOwner = 200

    /// Why a reply was not saved, read or deleted. Nothing was changed.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// What kind of refusal, for the HTTP status.
        public enum Kind: Sendable { case invalid, unknownOwner, notFound, conflict, unavailable }
        public var kind: Kind
        /// A code for programs (`invalidValue`, `shortcutExists`, ...).
        public var code: String
        /// What was wrong, for people.
        public var description: String

        init(_ kind: Kind, _ code: String, _ description: String) {
            (self.kind, self.code, self.description) = (kind, code, description)
        }
    }

    /// A reply's shortcut, title and text, checked.
    public struct Draft: Sendable, Equatable {
        /// Lower case, without the `/`.
        public var shortcut: String
        /// Trimmed, one line.
        public var title: String
        /// As given.
        public var text: String
    }

    /// Checks the three fields, naming the first that is wrong. The shortcut may be given with
    /// its `/`; it is kept without it, in lower case, so `/Refund` and `/refund` are one shortcut.
    public static func draft(shortcut: String?, title: String?, text: String?) throws(Refusal) -> Draft {
        guard let shortcut else { throw Refusal(.invalid, "missingField", "field 'shortcut' is required (e.g. \"/refund\")") }
        guard let title else { throw Refusal(.invalid, "missingField", "field 'title' is required: a few words saying what the reply is for") }
        guard let text else { throw Refusal(.invalid, "missingField", "field 'text' is required: what the reply inserts") }
        var key = shortcut.hasPrefix("/") ? String(shortcut.dropFirst()) : shortcut
        key = key.lowercased()
        if key.isEmpty { throw Refusal(.invalid, "invalidValue", "field 'shortcut' is empty; give a word such as \"/refund\"") }
        if key.count > maximumShortcutLength {
            throw Refusal(.invalid, "invalidValue", "field 'shortcut' is \(key.count) characters; the limit is \(maximumShortcutLength)")
        }
        if key.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) {
            throw Refusal(.invalid, "invalidValue", "field 'shortcut': \(String(reflecting: shortcut)) is not a shortcut; after the '/' a shortcut is letters, digits, '-', '_' or '.' (no spaces)")
        }
        let trimmedTitle = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedTitle.isEmpty { throw Refusal(.invalid, "invalidValue", "field 'title' is empty") }
        if trimmedTitle.count > maximumTitleLength {
            throw Refusal(.invalid, "invalidValue", "field 'title' is \(trimmedTitle.count) characters; the limit is \(maximumTitleLength)")
        }
        if trimmedTitle.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw Refusal(.invalid, "invalidValue", "field 'title' contains a control character (a line break or tab); a title is one line")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw Refusal(.invalid, "invalidValue", "field 'text' is empty") }
        if text.count > maximumTextLength {
            throw Refusal(.invalid, "invalidValue", "field 'text' is \(text.count) characters; the limit is \(maximumTextLength), what one chat message may hold")
        }
        // PostgreSQL cannot store a NUL, and no one types one.
        if text.unicodeScalars.contains("\u{0}") || title.unicodeScalars.contains("\u{0}") {
            throw Refusal(.invalid, "invalidValue", "the reply contains a NUL character (\\u0000)")
        }
        return Draft(shortcut: key, title: trimmedTitle, text: text)
    }

    /// Saves a new reply for `owner`, which must exist.
    public func create(_ draft: Draft, for owner: CannedReplyOwner) async throws(Refusal) -> CannedReply {
        try await checkExists(owner)
        let now = clock()
        let reply = CannedReply(
            id: "cr-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased(),
            owner: owner, shortcut: draft.shortcut, title: draft.title, text: draft.text, createdAt: now, updatedAt: now)
        return try await outcome(of: { try await store.createCannedReply(reply, limit: Self.maximumPerOwner) }, for: reply, owner: owner)
    }

    /// Replaces a reply's shortcut, title and text. With `requiredOwner`, only a reply of that
    /// owner may be changed (an agent changes only its own); another answers as unknown, so an
    /// agent learns nothing about replies that are not its own.
    public func update(id: String, with draft: Draft, requiredOwner: CannedReplyOwner? = nil) async throws(Refusal) -> CannedReply {
        let existing = try await reply(id: id, requiredOwner: requiredOwner)
        var changed = existing
        (changed.shortcut, changed.title, changed.text, changed.updatedAt) = (draft.shortcut, draft.title, draft.text, clock())
        return try await outcome(of: { try await store.updateCannedReply(changed) }, for: changed, owner: existing.owner)
    }

    /// Deletes a reply (with `requiredOwner`, only one of that owner's).
    public func delete(id: String, requiredOwner: CannedReplyOwner? = nil) async throws(Refusal) {
        _ = try await reply(id: id, requiredOwner: requiredOwner)
        do {
            guard try await store.deleteCannedReply(id: id) else { throw Refusal(.notFound, "unknownCannedReply", "canned reply \(id) does not exist") }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal(.unavailable, "unavailable", "could not delete canned reply \(id) (\(error)); nothing changed, try again")
        }
    }

    /// One reply (with `requiredOwner`, only one of that owner's).
    public func reply(id: String, requiredOwner: CannedReplyOwner? = nil) async throws(Refusal) -> CannedReply {
        let found: CannedReply?
        do { found = try await store.cannedReply(id: id) } catch {
            throw Refusal(.unavailable, "unavailable", "could not read canned reply \(id) (\(error)); try again")
        }
        guard let found, requiredOwner == nil || found.owner == requiredOwner else {
            if requiredOwner != nil {
                throw Refusal(.notFound, "unknownCannedReply", "canned reply \(id) is not one of your personal replies; shared replies are managed by an administrator")
            }
            throw Refusal(.notFound, "unknownCannedReply", "canned reply \(id) does not exist")
        }
        return found
    }

    /// The replies of these owners, or every reply.
    public func replies(of owners: [CannedReplyOwner]?) async throws(Refusal) -> [CannedReply] {
        do { return try await store.cannedReplies(of: owners) } catch {
            throw Refusal(.unavailable, "unavailable", "could not read the canned replies (\(error)); try again")
        }
    }

    /// What an agent may insert: its personal replies, then those of the groups it serves now.
    public func replies(forAgent agent: AgentID) async throws(Refusal) -> [CannedReply] {
        let groups = await routing.read { machine in machine.agents[agent].map { $0.profile.memberships.keys.sorted() } ?? [] }
        let all = try await replies(of: [.agent(agent)] + groups.map { .skillGroup($0) })
        return all.filter { $0.owner == .agent(agent) } + all.filter { $0.owner != .agent(agent) }
    }

    private func checkExists(_ owner: CannedReplyOwner) async throws(Refusal) {
        switch owner {
        case .skillGroup(let group):
            if await routing.read({ $0.skillGroups[group] == nil }) {
                throw Refusal(.unknownOwner, "unknownSkillGroup", "field 'skillGroupId': skill group \(group) does not exist")
            }
        case .agent(let agent):
            if await routing.read({ $0.agents[agent] == nil }) {
                throw Refusal(.unknownOwner, "unknownAgent", "field 'agentId': agent \(agent) does not exist")
            }
        }
    }

    private func outcome(
        of write: () async throws -> CannedReplyWrite, for reply: CannedReply, owner: CannedReplyOwner
    ) async throws(Refusal) -> CannedReply {
        let result: CannedReplyWrite
        do { result = try await write() } catch {
            throw Refusal(.unavailable, "unavailable", "could not save canned reply /\(reply.shortcut) (\(error)); nothing changed, try again")
        }
        let whose = switch owner {
        case .skillGroup(let group): "skill group \(group)"
        case .agent(let agent): "agent \(agent)"
        }
        switch result {
        case .saved(let saved): return saved
        case .shortcutTaken(let existing):
            throw Refusal(.conflict, "shortcutExists", "\(whose) already has a canned reply with the shortcut /\(reply.shortcut) (\(existing)); pick another shortcut or change that reply")
        case .full:
            throw Refusal(.conflict, "tooManyCannedReplies", "\(whose) already has \(Self.maximumPerOwner) canned replies, the most allowed; delete one first")
        case .notFound:
            throw Refusal(.notFound, "unknownCannedReply", "canned reply \(reply.id) does not exist")
        }
    }
}
