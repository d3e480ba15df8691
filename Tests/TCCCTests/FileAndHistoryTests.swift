import Foundation
import SwitchboardCore
import Testing
import TCCC
import SwitchboardTestSupport

/// The SDK's HTTP calls with the login token: files both ways (`Chat.sendFile`, `getFile`,
/// `getFileLimits`), the agent's own history (`Chat.getHistory`) and recordings
/// (`Call.getRecording`), as the browser SDK has them.
@Suite("Files, history and recordings through the SDK", .serialized)
struct FileAndHistoryTests {
    static let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)

    @Test func anAgentSendsAndFetchesAFileThenFindsTheChatInItsHistory() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 30), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let customer = try await server.customer(group: "sales", nickname: "Ann Parcel")
            _ = try await alice.events.next(.callIn)
            #expect(await alice.Chat.accept(sessionId: customer.sessionId).status == .success)

            let limits = try await alice.Chat.getFileLimits().get()
            #expect(limits.maximumBytes > 0 && limits.contentTypes.contains("application/pdf"))
            let sent = try await alice.Chat.sendFile(sessionId: customer.sessionId, name: "invoice.pdf", contentType: "application/pdf", bytes: Self.pdf).get()
            let attachment = try #require(sent.attachment)
            #expect(attachment.name == "invoice.pdf" && attachment.size == Self.pdf.count)
            let toCustomer = try await customer.socket.next("the file") { $0["type"]?.string == "message" && $0["attachment"] != nil }
            #expect(toCustomer["attachment"]?["attachmentId"]?.string == attachment.attachmentId)
            #expect(try await alice.Chat.getFile(sessionId: customer.sessionId, attachmentId: attachment.attachmentId).get() == Self.pdf)

            // Refusals carry the server's words.
            let wrongType = await alice.Chat.sendFile(sessionId: customer.sessionId, name: "x.exe", contentType: "application/x-msdownload", bytes: [1, 2, 3])
            #expect(wrongType.status == .error && wrongType.errorMsg?.contains("application/x-msdownload") == true, "\(String(describing: wrongType.errorMsg))")
            let unknown = await alice.Chat.getFile(sessionId: customer.sessionId, attachmentId: "a-nope")
            #expect(unknown.status == .error && unknown.error?.code == .refused)

            #expect(await alice.Chat.end(sessionId: customer.sessionId).status == .success)
            let history = try await alice.Chat.getHistory(query: "PARCEL").get()
            #expect(history.items.map(\.id) == [customer.sessionId] && history.items.first?.type == "im" && history.items.first?.endedAt != nil)
            #expect(try await alice.Chat.getHistory(query: "nothing like it").get().items.isEmpty)
            let tooLong = await alice.Chat.getHistory(query: String(repeating: "x", count: 101))
            #expect(tooLong.errorMsg?.contains("'q'") == true)

            // A chat has no recording, and the SDK says why.
            let recording = await alice.Call.getRecording(sessionId: customer.sessionId)
            #expect(recording.status == .error && recording.errorMsg?.contains("was not recorded") == true, "\(String(describing: recording.errorMsg))")
            await alice.tccc.close()
            // Closed: nothing to carry a token with.
            #expect(await alice.Chat.getHistory().error?.code == .closed)
        }
    }

    @Test func anAgentReadsTheEarlierSessionsOfTheCustomerItServes() async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales", offerTimeoutSeconds: 30), agents: ["alice"])
            let alice = try await server.onlineSDK("alice")
            let first = try await server.customer(group: "sales", nickname: "Ann", extra: #","userId":"u-ann""#)
            _ = try await alice.events.next(.callIn)
            #expect(await alice.Chat.accept(sessionId: first.sessionId).status == .success)
            try await first.sayAndWait("where is my parcel")
            #expect(await alice.Chat.end(sessionId: first.sessionId).status == .success)
            let again = try await server.customer(group: "sales", nickname: "Ann", extra: #","userId":"u-ann""#)
            _ = try await alice.events.next(.callIn)

            let earlier = try await alice.Chat.getCustomerSessions(sessionId: again.sessionId).get()
            #expect(earlier.items.map(\.id) == [first.sessionId] && earlier.items.first?.agentId == "alice" && earlier.total == 1)
            let transcript = try await alice.Chat.getCustomerMessages(sessionId: again.sessionId, earlierSessionId: first.sessionId).get()
            #expect(transcript.messages.map(\.text) == ["where is my parcel"])
            let notEarlier = await alice.Chat.getCustomerMessages(sessionId: again.sessionId, earlierSessionId: again.sessionId)
            #expect(notEarlier.status == .error && notEarlier.errorMsg?.contains("not an earlier session") == true, "\(String(describing: notEarlier.errorMsg))")
            let notHers = await alice.Chat.getCustomerSessions(sessionId: "s-999")
            #expect(notHers.status == .error && notHers.errorMsg?.contains("s-999") == true)
        }
    }
}
