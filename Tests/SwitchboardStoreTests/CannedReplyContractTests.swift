import SwitchboardCore
import SwitchboardStore
import Testing

/// Canned replies: one shortcut per owner, a bound per owner, owners kept apart, kept across a
/// reopen; the same statements in SQLite and PostgreSQL.
@Suite("Canned-reply contract")
struct CannedReplyContractTests {
    static func reply(_ id: String, _ owner: CannedReplyOwner, _ shortcut: String, at time: Timestamp = Timestamp(seconds: 1_000)) -> CannedReply {
        CannedReply(id: id, owner: owner, shortcut: shortcut, title: "Title \(id)", text: "Text of \(id)", createdAt: time, updatedAt: time)
    }

    @Test(arguments: StoreBackend.all)
    func aShortcutIsUniqueWithinItsOwnerAndRepliesSurviveAReopen(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            let store = try await location.open()
            let sales = CannedReplyOwner.skillGroup("sales"), alice = CannedReplyOwner.agent("alice")
            let refund = Self.reply("cr-1", sales, "refund")
            #expect(try await store.createCannedReply(refund, limit: 10) == .saved(refund))
            #expect(try await store.createCannedReply(Self.reply("cr-2", sales, "refund"), limit: 10) == .shortcutTaken(existingId: "cr-1"))
            // The same shortcut for another owner is another reply.
            #expect(try await store.createCannedReply(Self.reply("cr-3", alice, "refund"), limit: 10) == .saved(Self.reply("cr-3", alice, "refund")))
            #expect(try await store.createCannedReply(Self.reply("cr-4", .skillGroup("billing"), "refund"), limit: 10) != .full)

            var changed = Self.reply("cr-1", sales, "refund-eu", at: Timestamp(seconds: 2_000))
            changed.text = "New text"
            // Only shortcut, title, text and updatedAt change; owner and creation stay.
            changed.owner = alice
            let updated = try await store.updateCannedReply(changed)
            guard case .saved(let saved) = updated else { Issue.record("not saved: \(updated)"); return }
            #expect(saved.owner == sales && saved.createdAt == Timestamp(seconds: 1_000) && saved.updatedAt == Timestamp(seconds: 2_000))
            #expect(saved.shortcut == "refund-eu" && saved.text == "New text")
            #expect(try await store.createCannedReply(Self.reply("cr-5", sales, "thanks"), limit: 10) != .full)
            var clash = Self.reply("cr-5", sales, "refund-eu")
            clash.title = "clash"
            #expect(try await store.updateCannedReply(clash) == .shortcutTaken(existingId: "cr-1"))
            #expect(try await store.updateCannedReply(Self.reply("cr-9", sales, "x")) == .notFound)
            try await store.close()

            let reopened = try await location.open()
            #expect(try await reopened.cannedReplies(of: [sales]).map(\.id) == ["cr-1", "cr-5"])
            #expect(try await reopened.cannedReplies(of: [alice, sales]).map(\.shortcut).sorted() == ["refund", "refund-eu", "thanks"])
            #expect(try await reopened.cannedReplies(of: []).isEmpty)
            #expect(try await reopened.cannedReplies(of: nil).count == 4)
            #expect(try await reopened.cannedReply(id: "cr-5")?.title == "Title cr-5")
            #expect(try await reopened.deleteCannedReply(id: "cr-5"))
            #expect(try await !reopened.deleteCannedReply(id: "cr-5"))
            #expect(try await reopened.deleteCannedReplies(of: sales) == 1)
            #expect(try await reopened.cannedReplies(of: nil).map(\.id).sorted() == ["cr-3", "cr-4"])
            try await reopened.close()
        }
    }

    @Test(arguments: StoreBackend.all)
    func anOwnerHoldsAtMostTheLimit(_ backend: StoreBackend) async throws {
        try await backend.withLocation { location in
            let store = try await location.open()
            for index in 0..<3 {
                #expect(try await store.createCannedReply(Self.reply("cr-\(index)", .agent("bob"), "s\(index)"), limit: 3) != .full)
            }
            #expect(try await store.createCannedReply(Self.reply("cr-9", .agent("bob"), "s9"), limit: 3) == .full)
            #expect(try await store.createCannedReply(Self.reply("cr-8", .agent("carol"), "s9"), limit: 3) == .saved(Self.reply("cr-8", .agent("carol"), "s9")))
            #expect(try await store.cannedReplies(of: [.agent("bob")]).count == 3)
            try await store.close()
        }
    }
}
