import Foundation
import SwitchboardCore
import SwitchboardProtocol
@testable import SwitchboardServer
import Testing
import SwitchboardTestSupport

/// Web calls (`voip`) through an IVR flow, over a real customer socket: the server runs the menu,
/// the widget is told which prompt to play (spoken by the real espeak-ng, served over HTTP) and
/// sends its keypad's digits; the call queues with its `ivrPath`, or ends recorded as a voip
/// session no agent saw.
@Suite("Web calls through IVR flows", .serialized)
struct WebCallIVRTests {
    static let support = SkillGroup(id: "support", name: "Support", offerTimeoutSeconds: 30)

    /// Press 1 for sales, 2 for support; 1 s to answer, one retry, then goodbye.
    static let flow = IVRFlow(id: "web", name: "Web help line", start: "menu", nodes: [
        IVRNode(id: "menu", .menu(.init(
            prompt: IVRPrompt(text: "Press 1 for sales, 2 for support."),
            choices: [IVRChoice(digits: "1", label: "sales", next: "sales"), IVRChoice(digits: "2", label: "support", next: "support")],
            timeoutSeconds: 1, interDigitSeconds: 2, retries: 1, onFailure: "bye"))),
        IVRNode(id: "sales", .queue(skillGroupId: "sales", priority: 0)),
        IVRNode(id: "support", .queue(skillGroupId: "support", priority: 3)),
        IVRNode(id: "bye", .hangUp(prompt: IVRPrompt(text: "Goodbye."), endStatus: "ivrEnd")),
    ])

    static func withFlow(_ body: @Sendable (TestServer) async throws -> Void) async throws {
        try await TestServer.run { server in
            try await server.givenGroup(SkillGroup(id: "sales"), agents: [])
            try await server.givenGroup(support, agents: ["carol"])
            try await server.given(.upsertIVRFlow(flow))
            try await body(server)
        }
    }

    static func startCall(_ server: TestServer, extra: String = "") async throws -> TestCustomer {
        let customer = try await TestCustomer.connect(port: server.port)
        customer.socket.send(#"{"v":1,"type":"start","sessionType":"voip","ivrFlowId":"web","nickname":"Ann"\#(extra)}"#)
        return customer
    }

    /// The record of the only session, once it has ended.
    static func onlyRecord(_ server: TestServer) async throws -> JSON {
        var record = JSON(nil)
        try await waitUntil("the call's record has ended") {
            let items = try await server.api(.get, "/api/v1/sessions").json["items"].array
            guard items.count == 1, let id = items[0]["id"].string else { return false }
            record = try await server.api(.get, "/api/v1/sessions/\(id)").json
            return record["endedAt"].int != nil
        }
        return record
    }

    @Test func theWidgetPlaysTheMenuAndAKeyQueuesTheCallWithItsPath() async throws {
        try await Self.withFlow { server in
            let carol = try await server.onlineAgent("carol", password: "pw-carol")
            let customer = try await Self.startCall(server)
            let prompt = try await customer.next("ivrPrompt", timeout: .seconds(15))
            #expect(prompt["text"]?.string == "Press 1 for sales, 2 for support.")
            #expect((prompt["milliseconds"]?.int ?? 0) > 500, "\(prompt)")
            let url = try #require(prompt["url"]?.string)
            #expect(url.hasPrefix("/api/v1/chat/ivr-prompts/generated/tts-"))
            // The widget fetches it without any credential, as audio.
            let audio = try await server.bytes(.get, url)
            #expect(audio.status == .ok && audio.headers[.contentType] == "audio/wav" && audio.bytes.starts(with: Array("RIFF".utf8)))
            #expect(audio.headers[.cacheControl]?.contains("immutable") == true)
            // Nobody hears of the call while it is in the menu.
            #expect(try await server.api(.get, "/api/v1/sessions").json["items"].array.isEmpty)
            // A chat frame in the menu is refused; the menu goes on.
            customer.say("hello?")
            #expect(try await customer.next("error")["message"]?.string?.contains("menu") == true)

            customer.socket.send(#"{"v":1,"type":"digit","digit":"2"}"#)
            _ = try await customer.next("ivrStop")
            let started = try await customer.next("started")
            let session = try #require(started["sessionId"]?.string)
            let callIn = try await carol.event("callIn", session: session)
            #expect(callIn["data"]?["type"]?.string == "voip" && callIn["data"]?["callee"]?.string == "Web help line")
            #expect(callIn["data"]?["ivrPath"] == [["key": "2", "label": "support"]], "\(callIn)")
            let record = try await server.api(.get, "/api/v1/sessions/\(session)").json
            #expect(record["skillGroupId"].string == "support" && record["priority"].int == 3 && record["digits"].string == "2", "\(record)")
            // A key after the menu has no menu to go to.
            customer.socket.send(#"{"v":1,"type":"digit","digit":"5"}"#)
            #expect(try await customer.next("error")["message"]?.string?.contains("no IVR menu") == true)
            customer.leave()
            _ = try await carol.event("sessionEnded", session: session)
        }
    }

    @Test func aCallerWhoLeavesTheMenuAndOneWhoPressesNothingAreRecordedAsVoip() async throws {
        try await Self.withFlow { server in
            let leaver = try await Self.startCall(server)
            _ = try await leaver.next("ivrPrompt", timeout: .seconds(15))
            leaver.socket.send(#"{"v":1,"type":"digit","digit":"7"}"#)  // no such choice: the menu again
            _ = try await leaver.next("ivrPrompt")
            leaver.leave()
            #expect(try await leaver.next("ended")["closeBy"]?.string == "client")
            try await leaver.socket.waitClosed()
            let gaveUp = try await Self.onlyRecord(server)
            #expect(gaveUp["type"].string == "voip" && gaveUp["endStatus"].string == "ivrGiveUp" && gaveUp["digits"].string == "7", "\(gaveUp)")

            // Silence: the menu twice (1 s each after the prompt), then goodbye and the line closes.
            let silent = try await Self.startCall(server)
            _ = try await silent.next("ivrPrompt", timeout: .seconds(15))
            _ = try await silent.next("ivrPrompt", timeout: .seconds(15))
            let goodbye = try await silent.next("ivrPrompt", timeout: .seconds(15))
            #expect(goodbye["text"]?.string == "Goodbye.")
            #expect(try await silent.next("ended", timeout: .seconds(15))["closeBy"]?.string == "admin")
            try await silent.socket.waitClosed()
            try await waitUntil("both calls are recorded") {
                try await server.api(.get, "/api/v1/sessions").json["items"].array.count == 2
            }
            let ended = try await server.api(.get, "/api/v1/sessions?limit=1").json["items"][0]
            #expect(ended["type"].string == "voip" && ended["endStatus"].string == "ivrEnd", "\(ended)")
        }
    }

    @Test func badStartsAndKeysAreRefusedNamingTheFieldAndChangeNothing() async throws {
        try await Self.withFlow { server in
            let customer = try await TestCustomer.connect(port: server.port)
            for (frame, words) in [
                (#"{"v":1,"type":"start","sessionType":"voip","ivrFlowId":"nope","nickname":"Ann"}"#, "IVR flow nope does not exist"),
                (#"{"v":1,"type":"start","ivrFlowId":"web","nickname":"Ann"}"#, "only a voip call"),
                (#"{"v":1,"type":"start","sessionType":"voip","ivrFlowId":"web","skillGroupId":"sales","nickname":"Ann"}"#, "exactly one of"),
                (#"{"v":1,"type":"start","sessionType":"voip","nickname":"Ann"}"#, "exactly one of"),
                (#"{"v":1,"type":"digit","digit":"1"}"#, "send start or resume first"),
            ] {
                customer.socket.send(frame)
                let error = try await customer.next("error")
                #expect(error["message"]?.string?.contains(words) == true, "\(frame): \(error)")
            }
            let call = try await Self.startCall(server)
            _ = try await call.next("ivrPrompt", timeout: .seconds(15))
            for digit in [#""x""#, #""12""#, #""""#, "1"] {
                call.socket.send(#"{"v":1,"type":"digit","digit":\#(digit)}"#)
                #expect(try await call.next("error")["message"]?.string?.contains("digit") == true, "digit \(digit)")
            }
            // The REST fallback starts chats only: a flow needs the socket.
            let rest = try await server.chat(.post, "/sessions", secret: nil, #"{"skillGroupId":"sales","nickname":"Ann","ivrFlowId":"web"}"#)
            #expect(rest.status == .badRequest, "\(rest.json)")
            // Prompt files are reached by their checked names only.
            for path in ["/api/v1/chat/ivr-prompts/generated/..%2Fswitchboard.sqlite", "/api/v1/chat/ivr-prompts/other/x.wav",
                         "/api/v1/chat/ivr-prompts/uploaded/.hidden.wav", "/api/v1/chat/ivr-prompts/generated/tts-0000.wav"] {
                #expect(try await server.bytes(.get, path).status == .notFound, "\(path)")
            }
            #expect(try await server.api(.get, "/api/v1/sessions").json["items"].array.isEmpty, "nothing was recorded")
        }
    }
}
