import Foundation
import HTTPTypes
import SwitchboardCore
@testable import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// Anonymous customers cannot flood the server: starts per address and overall, queue caps,
/// message rates per session, and secrets that stop working after the session (docs/security.md).
@Suite("Customer limits")
struct CustomerLimitsTests {
    static let start = #"{"skillGroupId":"sales","nickname":"Ann"}"#
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// Session records in the store, newest first.
    static func recordCount(_ server: TestServer) async throws -> Int {
        try await server.api(.get, "/api/v1/sessions?limit=200").json["items"].array.count
    }

    @Test func startsPerAddressAreLimitedOnRESTAndSocketAndARefusalChangesNothing() async throws {
        try await TestServer.run(configure: { $0.customers.startsPerAddressPerMinute = 3 }) { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            _ = try await server.startChat(group: "sales")
            _ = try await server.startChat(group: "sales")
            _ = try await server.customer(group: "sales")
            let records = try await Self.recordCount(server)

            let refused = try await server.chat(.post, "/sessions", secret: nil, Self.start)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json.errorCode == "rateLimited")
            #expect(refused.json.errorMessage.contains("at most 3 a minute"), "\(refused.json)")
            let retryAfter = try #require(refused.json["error"]["retryAfter"].int)
            #expect((1...20).contains(retryAfter), "one start comes back every 20 s")
            #expect(refused.headers[.retryAfter] == String(retryAfter))

            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Bo"}"#)
            let error = try await customer.next("error")
            #expect(error["code"]?.string == "rateLimited")
            #expect(error["retryAfter"]?.int != nil)
            #expect(try await Self.recordCount(server) == records, "refused starts created no session")
        }
    }

    @Test func theOverallLimitRefusesStartsFromEveryAddress() async throws {
        try await TestServer.run(configure: {
            $0.customers.startsPerSecond = 2
            $0.trustedProxies = ["127.0.0.1"]
        }) { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            // Twenty clients at once, each from its own address: the overall limit takes two at
            // once and two a second after that, whoever asks.
            let began = ContinuousClock.now
            let answers = try await withThrowingTaskGroup(of: Answer.self) { group in
                for client in 1...20 {
                    group.addTask {
                        try await server.http(.post, "/api/v1/chat/sessions", headers: [Self.forwardedFor: "198.51.100.\(client)"], body: Self.start)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = Double((ContinuousClock.now - began).components.seconds) + 1
            let created = answers.filter { $0.status == .created }.count
            let refused = answers.filter { $0.status == .tooManyRequests }
            #expect(created + refused.count == 20)
            #expect(created >= 2 && Double(created) <= 2 + 2 * elapsed, "\(created) created in under \(elapsed) s")
            #expect(!refused.isEmpty)
            #expect(refused.allSatisfy { $0.json.errorMessage.contains("busy") && $0.headers[.retryAfter] != nil })
        }
    }

    @Test func forwardedAddressesCountOnlyFromTrustedProxies() async throws {
        let forwardedFor = Self.forwardedFor
        // Not trusted: whatever the client claims, its starts count against its own address.
        try await TestServer.run(configure: { $0.customers.startsPerAddressPerMinute = 2 }) { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            var statuses: [HTTPResponse.Status] = []
            for client in 1...3 {
                statuses.append(try await server.http(.post, "/api/v1/chat/sessions", headers: [forwardedFor: "203.0.113.\(client)"], body: Self.start).status)
            }
            #expect(statuses == [.created, .created, .tooManyRequests])
        }
        // Trusted: each forwarded client has its own allowance, and a client cannot pick its
        // address by sending the header itself (the proxy's appended entry is the one read).
        try await TestServer.run(configure: {
            $0.customers.startsPerAddressPerMinute = 2
            $0.trustedProxies = ["127.0.0.0/8"]
        }) { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            func start(_ header: String, _ name: HTTPField.Name = Self.forwardedFor) async throws -> HTTPResponse.Status {
                try await server.http(.post, "/api/v1/chat/sessions", headers: [name: header], body: Self.start).status
            }
            #expect(try await start("203.0.113.1") == .created)
            #expect(try await start("203.0.113.1") == .created)
            #expect(try await start("203.0.113.1") == .tooManyRequests)
            #expect(try await start("9.9.9.9, 203.0.113.1") == .tooManyRequests, "the spoofed left entry is ignored")
            #expect(try await start("203.0.113.2") == .created, "another client has its own allowance")
            #expect(try await start(#"for="[2001:db8::7]:4711";proto=https"#, HTTPField.Name("Forwarded")!) == .created)
        }
    }

    @Test func aFullQueueTurnsCustomersAwayWithAQueueFullRecord() async throws {
        try await TestServer.run { server in
            try await server.createGroup(#"{"id":"sales","maxQueueLength":1}"#)
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["maxQueueLength"].int == 1)
            _ = try await server.startChat(group: "sales")

            let refused = try await server.chat(.post, "/sessions", secret: nil, Self.start)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.json.errorCode == "queueFull")
            #expect(refused.json.errorMessage.contains("queue of skill group sales is full"), "\(refused.json)")
            #expect(refused.headers[.retryAfter] != nil)

            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"start","skillGroupId":"sales","nickname":"Bo"}"#)
            let error = try await customer.next("error")
            #expect(error["code"]?.string == "queueFull")

            // Both turned-away customers are on record, as TCCC would report them.
            let records = try await server.api(.get, "/api/v1/sessions?limit=10").json["items"].array
            let turnedAway = records.filter { $0["endStatus"].string == "queueFull" }
            #expect(turnedAway.count == 2, "\(records)")
            #expect(turnedAway.allSatisfy { $0["closeBy"].string == "admin" && $0["mainReason"].string == "queueFull" })
            #expect(try await server.api(.get, "/api/v1/skill-groups/sales").json["waiting"].int == 1)
        }
    }

    @Test func aSessionsCustomerMayNotSendFasterThanItsMessageRate() async throws {
        try await TestServer.run(configure: {
            $0.customers.messagesPerMinute = 6
            $0.customers.messageBurst = 3
        }) { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let chat = try await server.startChat(group: "sales")
            for n in 1...3 {
                let sent = try await server.chat(.post, "/sessions/\(chat.id)/messages", secret: chat.secret, #"{"text":"hello \#(n)"}"#)
                #expect(sent.status == .created)
            }
            let refused = try await server.chat(.post, "/sessions/\(chat.id)/messages", secret: chat.secret, #"{"text":"too fast"}"#)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json.errorCode == "rateLimited")
            #expect(refused.json.errorMessage.contains("too many messages"), "\(refused.json)")
            // One message every 10 s at 6 a minute: at most 10 s from now.
            #expect((1...10).contains(Int(refused.headers[.retryAfter] ?? "") ?? 0), "\(refused.headers)")
            let transcript = try await server.chat(.get, "/sessions/\(chat.id)", secret: chat.secret)
            #expect(transcript.json["messages"].array.map { $0["text"].string } == ["hello 1", "hello 2", "hello 3"])

            // The limit is the session's, not the connection's: a socket on it shares it.
            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"resume","sessionId":"\#(chat.id)","secret":"\#(chat.secret)"}"#)
            _ = try await customer.next("started")
            customer.say("from the socket")
            let error = try await customer.next("error")
            #expect(error["code"]?.string == "rateLimited")
            #expect((1...10).contains(error["retryAfter"]?.int ?? 0))
        }
    }

    @Test func aSecretStopsWorkingItsLifetimeAfterTheSessionEnded() async throws {
        try await TestServer.run(configure: { $0.customers.secretLifetimeSeconds = 4 }) { server in
            try await server.createGroup(#"{"id":"sales"}"#)
            let chat = try await server.startChat(group: "sales")
            _ = try await server.chat(.post, "/sessions/\(chat.id)/messages", secret: chat.secret, #"{"text":"hello"}"#)
            #expect(try await server.chat(.post, "/sessions/\(chat.id)/leave", secret: chat.secret).status == .ok)
            // Just after the end the transcript can still be read (a reloaded page shows it)...
            #expect(try await server.chat(.get, "/sessions/\(chat.id)", secret: chat.secret).status == .ok)
            // ...then, once the lifetime has passed, the session is as unknown as one that never
            // existed, on every path.
            var expired = try await server.chat(.get, "/sessions/\(chat.id)", secret: chat.secret)
            let deadline = ContinuousClock.now + .seconds(20)
            while expired.status == .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                expired = try await server.chat(.get, "/sessions/\(chat.id)", secret: chat.secret)
            }
            #expect(expired.status == .notFound)
            #expect(expired.json.errorCode == "sessionNotFound")
            let customer = try await TestCustomer.connect(port: server.port)
            customer.socket.send(#"{"v":1,"type":"resume","sessionId":"\#(chat.id)","secret":"\#(chat.secret)"}"#)
            #expect(try await customer.next("error")["code"]?.string == "sessionNotFound")
            // The record stays for the admin.
            #expect(try await server.api(.get, "/api/v1/sessions/\(chat.id)").status == .ok)
        }
    }
}

@Suite("Client addresses behind proxies")
struct ClientAddressTests {
    let resolver = ClientAddressResolverProbe(trusted: ["10.0.0.0/8", "192.0.2.1"])

    @Test func untrustedPeersAreTheClientWhateverTheySend() {
        #expect(resolver.address(peer: "203.0.113.9", xff: "1.2.3.4") == "203.0.113.9")
    }

    @Test func theRightmostUntrustedHopIsTheClient() {
        #expect(resolver.address(peer: "10.1.1.1", xff: "203.0.113.5") == "203.0.113.5")
        #expect(resolver.address(peer: "10.1.1.1", xff: "6.6.6.6, 203.0.113.5, 192.0.2.1") == "203.0.113.5")
        #expect(resolver.address(peer: "10.1.1.1", xff: "10.2.2.2, 192.0.2.1") == "10.2.2.2", "all trusted: the leftmost")
        #expect(resolver.address(peer: "10.1.1.1", xff: nil) == "10.1.1.1")
    }

    @Test func forwardedWinsOverXForwardedForAndIsParsedAsRFC7239Says() {
        #expect(resolver.address(peer: "10.1.1.1", xff: "1.1.1.1", forwarded: #"for=192.0.2.60;proto=http;by=203.0.113.43"#) == "192.0.2.60")
        #expect(resolver.address(peer: "10.1.1.1", forwarded: #"for="[2001:db8:cafe::17]:4711""#) == "2001:db8:cafe::17")
        #expect(resolver.address(peer: "10.1.1.1", forwarded: #"for=198.51.100.17:8080, for=10.0.0.2"#) == "198.51.100.17")
        #expect(resolver.address(peer: "10.1.1.1", xff: String(repeating: "a", count: 500)).count == 64, "bounded for logs")
    }
}

/// The resolver fed header values as a proxy would send them.
struct ClientAddressResolverProbe {
    let resolver: ClientAddressResolver

    init(trusted: [String]) { resolver = ClientAddressResolver(trustedProxies: trusted) }

    func address(peer: String, xff: String? = nil, forwarded: String? = nil) -> String {
        var headers = HTTPFields()
        if let xff { headers[HTTPField.Name("X-Forwarded-For")!] = xff }
        if let forwarded { headers[HTTPField.Name("Forwarded")!] = forwarded }
        return resolver.clientAddress(peer: peer, headers: headers)
    }
}
