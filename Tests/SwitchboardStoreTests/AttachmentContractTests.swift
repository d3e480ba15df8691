import SwitchboardCore
import SwitchboardStore
import Testing

/// Files sent in im sessions: their content kept byte for byte, found only under their own
/// session, and described on the message that carries them.
@Suite struct AttachmentContractTests {
    /// Every byte value, so nothing on the way (text encodings, NULs) can alter the content.
    static let content: [UInt8] = (0..<600).map { UInt8($0 % 256) }

    static func attachment(_ id: String, in session: SessionID, content: [UInt8] = content) -> StoredAttachment {
        StoredAttachment(
            info: AttachmentInfo(id: id, name: "scan 1 — Ünïcode.pdf", contentType: "application/pdf", size: content.count),
            sessionId: session, uploadedAt: Timestamp(seconds: 1_700_000_000), content: content)
    }

    @Test(arguments: StoreBackend.all)
    func contentReadsBackExactlyAndOnlyUnderItsSession(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let saved = Self.attachment("a-1", in: "s-1")
            try await store.saveAttachment(saved)
            try await store.saveAttachment(Self.attachment("a-2", in: "s-2", content: [0x89, 0x50, 0x4E, 0x47]))
            #expect(try await store.attachment("a-1", of: "s-1") == saved)
            #expect(try await store.attachment("a-2", of: "s-2")?.content == [0x89, 0x50, 0x4E, 0x47])
            // Another session's file is not found through this session, nor an unknown id.
            #expect(try await store.attachment("a-1", of: "s-2") == nil)
            #expect(try await store.attachment("a-9", of: "s-1") == nil)
        }
    }

    @Test(arguments: StoreBackend.all)
    func anIdIsStoredOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await store.saveAttachment(Self.attachment("a-1", in: "s-1"))
            await #expect(throws: (any Error).self) { try await store.saveAttachment(Self.attachment("a-1", in: "s-1", content: [1, 2, 3])) }
            #expect(try await store.attachment("a-1", of: "s-1")?.content == Self.content)
        }
    }

    @Test(arguments: StoreBackend.all)
    func theMessageCarriesTheFilesDescription(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let saved = Self.attachment("a-1", in: "s-1")
            try await store.saveAttachment(saved)
            let text = try await store.appendMessage(NewMessage(sessionId: "s-1", author: .customer, text: "here it is", sentAt: Timestamp(seconds: 1)))
            let file = try await store.appendMessage(NewMessage(
                sessionId: "s-1", author: .agent, agentId: "alice", text: saved.info.name, sentAt: Timestamp(seconds: 2), clientMessageId: "f-1",
                attachment: saved.info))
            #expect(file.attachment == saved.info && text.attachment == nil)
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery()) == [text, file])
            #expect(try await store.messages(of: "s-1", query: MessagePageQuery(oldestFirst: false, limit: 1)).first?.attachment == saved.info)
            // A retried send finds the first message, with its file.
            let retried = try await store.appendMessage(NewMessage(
                sessionId: "s-1", author: .agent, agentId: "alice", text: saved.info.name, sentAt: Timestamp(seconds: 3), clientMessageId: "f-1",
                attachment: saved.info))
            #expect(retried.storedBefore && retried.id == file.id && retried.attachment == saved.info)
        }
    }

    @Test(arguments: StoreBackend.all)
    func theWebhookEventOfAFileMessageDescribesTheFile(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.createWebhook(WebhookOutboxContractTests.subscription("wh_files", [.sessionMessage])))
            let saved = Self.attachment("a-1", in: "s-1")
            try await store.saveAttachment(saved)
            _ = try await store.appendMessage(NewMessage(
                sessionId: "s-1", author: .customer, text: saved.info.name, sentAt: Timestamp(seconds: 2), attachment: saved.info))
            let deliveries = try await WebhookOutboxContractTests.log(store, "wh_files")
            let data = try WebhookOutboxContractTests.json(try #require(deliveries.first).data)
            let file = try #require(data["attachment"] as? [String: Any])
            #expect(file["id"] as? String == "a-1" && file["name"] as? String == saved.info.name)
            #expect(file["contentType"] as? String == "application/pdf" && file["size"] as? Int == Self.content.count)
        }
    }
}
