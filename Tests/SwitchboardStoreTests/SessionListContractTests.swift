import SwitchboardCore
import SwitchboardStore
import Testing

/// The admin API's session list: newest first, filtered, paged.
@Suite struct SessionListContractTests {
    /// s-1 (sales, held by alice, ended), s-2 (sales, missed by alice, then rang at bob, who went
    /// offline: queued, live), s-3 (support, queued, live), s-4 (sales, queued, live); created in
    /// that order, at different times.
    @discardableResult
    private func fill(_ store: any RoutingStore) async throws -> JournalRecorder {
        var recorder = JournalRecorder()
        try recorder.group("sales", offerTimeout: 5)
        try recorder.group("support")
        try recorder.agent("alice", in: ["sales"])
        try recorder.agent("bob", in: ["sales"], online: false)
        let first = try recorder.create(in: "sales")
        try recorder.run(.accept("alice", first))
        try recorder.run(.end("alice", first))
        try recorder.advance(seconds: 1)
        let second = try recorder.create(in: "sales")
        #expect(recorder.ringing(second) == "alice")
        try recorder.advance(seconds: 6)  // missed by alice
        try recorder.run(.online("bob"))
        #expect(recorder.ringing(second) == "bob")
        recorder.now = recorder.now.adding(seconds: 1)
        _ = try recorder.create(in: "support")
        recorder.now = recorder.now.adding(seconds: 1)
        try recorder.run(.offline("bob"))
        _ = try recorder.create(in: "sales")
        try await store.append(recorder.take())
        return recorder
    }

    private func ids(_ store: any RoutingStore, _ query: SessionListQuery) async throws -> [String] {
        try await store.sessions(query).map(\.id.rawValue)
    }

    @Test(arguments: StoreBackend.all)
    func sessionsAreListedNewestFirstWithFilters(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await fill(store)
            #expect(try await ids(store, SessionListQuery()) == ["s-4", "s-3", "s-2", "s-1"])
            #expect(try await ids(store, SessionListQuery(liveOnly: true)) == ["s-4", "s-3", "s-2"])
            #expect(try await ids(store, SessionListQuery(skillGroupId: "sales")) == ["s-4", "s-2", "s-1"])
            #expect(try await ids(store, SessionListQuery(liveOnly: true, skillGroupId: "sales")) == ["s-4", "s-2"])
            // alice held s-1 and missed s-2 (which now rings elsewhere); bob was offered s-2.
            #expect(try await ids(store, SessionListQuery(agentId: "alice")) == ["s-2", "s-1"])
            #expect(try await ids(store, SessionListQuery(agentId: "bob")) == ["s-2"])
            #expect(try await ids(store, SessionListQuery(liveOnly: true, agentId: "alice")) == ["s-2"])
            #expect(try await ids(store, SessionListQuery(agentId: "nobody")).isEmpty)
            #expect(try await ids(store, SessionListQuery(skillGroupId: "support")) == ["s-3"])
        }
    }

    @Test(arguments: StoreBackend.all)
    func sessionsArePagedWithLimitAndOffset(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await fill(store)
            #expect(try await ids(store, SessionListQuery(limit: 2)) == ["s-4", "s-3"])
            #expect(try await ids(store, SessionListQuery(limit: 2, offset: 2)) == ["s-2", "s-1"])
            #expect(try await ids(store, SessionListQuery(limit: 2, offset: 4)).isEmpty)
            #expect(try await ids(store, SessionListQuery(skillGroupId: "sales", limit: 1, offset: 1)) == ["s-2"])
            for query in [SessionListQuery(limit: 0), SessionListQuery(limit: 501), SessionListQuery(offset: -1)] {
                let error = await #expect(throws: StoreError.self) { try await store.sessions(query) }
                #expect(error?.code == .invalidQuery)
            }
        }
    }

    /// Oldest first, a page already read never changes when sessions are created meanwhile (an
    /// export paging through a range sees each session once); newest first, it would shift.
    @Test(arguments: StoreBackend.all)
    func oldestFirstPagesStayPutWhileSessionsAreCreated(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = try await fill(store)
            #expect(try await ids(store, SessionListQuery(limit: 2, oldestFirst: true)) == ["s-1", "s-2"])
            recorder.now = recorder.now.adding(seconds: 1)
            _ = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            #expect(try await ids(store, SessionListQuery(limit: 2, offset: 2, oldestFirst: true)) == ["s-3", "s-4"])
            #expect(try await ids(store, SessionListQuery(limit: 2, offset: 4, oldestFirst: true)) == ["s-5"])
            #expect(try await ids(store, SessionListQuery(skillGroupId: "sales", oldestFirst: true)) == ["s-1", "s-2", "s-4", "s-5"])
        }
    }

    /// An agent's own history: the sessions it accepted (not those that only rang at it),
    /// searched by the customer's values and the messages, ignoring case, wildcards literal.
    @Test(arguments: StoreBackend.all)
    func anAgentsAcceptedSessionsAreSearchedByCustomerAndMessages(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await fill(store)
            _ = try await store.appendMessage(NewMessage(sessionId: "s-1", author: .customer, text: "My ORDER 1207 is 50% late", sentAt: Timestamp(seconds: 1)))
            _ = try await store.appendMessage(NewMessage(sessionId: "s-3", author: .customer, text: "order_x", sentAt: Timestamp(seconds: 2)))
            #expect(try await ids(store, SessionListQuery(acceptedBy: "alice")) == ["s-1"])
            #expect(try await ids(store, SessionListQuery(acceptedBy: "bob")).isEmpty, "s-2 only rang at bob")
            #expect(try await ids(store, SessionListQuery(containing: "Order")) == ["s-3", "s-1"])
            #expect(try await ids(store, SessionListQuery(containing: "50%")) == ["s-1"])
            #expect(try await ids(store, SessionListQuery(containing: "5_")).isEmpty, "_ is a character, not a wildcard")
            #expect(try await ids(store, SessionListQuery(containing: "r_x")) == ["s-3"])
            #expect(try await ids(store, SessionListQuery(containing: "VISITOR")) == ["s-4", "s-3", "s-2", "s-1"])
            #expect(try await ids(store, SessionListQuery(containing: "nickname")).isEmpty, "keys of the customer's details are not searched")
            #expect(try await ids(store, SessionListQuery(acceptedBy: "alice", containing: "order")) == ["s-1"])
            #expect(try await ids(store, SessionListQuery(acceptedBy: "alice", containing: "nothing like it")).isEmpty)
            for text in ["", String(repeating: "x", count: SessionListQuery.maximumSearchLength + 1)] {
                let error = await #expect(throws: StoreError.self) { try await store.sessions(SessionListQuery(containing: text)) }
                #expect(error?.code == .invalidQuery)
            }
        }
    }

    /// A customer's sessions by the identity `usingLastSeat` uses: the site's user id (any
    /// web type), else the page's clientData, and a phone number whichever way the call went.
    @Test(arguments: StoreBackend.all)
    func aCustomersSessionsAreFoundByTheirIdentity(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.group("calls")
            try recorder.agent("dora", in: ["calls"])  // dials; nothing rings at her
            let webFirst = try recorder.create(in: "sales", customer: CustomerDetails(nickname: "Ann", clientData: "cart=3", userId: "u-7"))
            _ = try recorder.create(in: "sales", customer: CustomerDetails(nickname: "Ben", userId: "u-8"))
            recorder.now = recorder.now.adding(seconds: 1)
            let webCall = try recorder.create(.voip, in: "sales", customer: CustomerDetails(nickname: "Ann", userId: "u-7"))
            let byData = try recorder.create(in: "sales", customer: CustomerDetails(nickname: "Cy", clientData: "cart=3"))
            _ = try recorder.create(in: "sales", customer: CustomerDetails(nickname: "Di", clientData: "cart=3", userId: "u-9"))
            recorder.now = recorder.now.adding(seconds: 1)
            let called = try recorder.create(.phone, in: "sales", customer: CustomerDetails(calleePhoneNumber: "+4930100", callerPhoneNumber: "+4930111"))
            recorder.now = recorder.now.adding(seconds: 1)
            guard case .sessionCreated(let dialled) = try recorder.run(.startOutboundCall("dora", OutboundCall(phoneNumber: "+4930111"))) else {
                Issue.record("no outbound session"); return
            }
            try recorder.run(.outboundCallFailed(dialled, .busy, detail: "486 Busy Here"))
            guard case .sessionCreated = try recorder.run(.startOutboundCall("dora", OutboundCall(phoneNumber: "+4930222"))) else {
                Issue.record("no outbound session"); return
            }
            try await store.append(recorder.take())

            #expect(try await ids(store, SessionListQuery(customer: .userId("u-7"))) == [webCall.rawValue, webFirst.rawValue])
            #expect(try await ids(store, SessionListQuery(customer: .clientData("cart=3"))) == [byData.rawValue], "a user id, when given, is who they are")
            #expect(try await ids(store, SessionListQuery(customer: .phoneNumber("+4930111"))) == [dialled.rawValue, called.rawValue])
            #expect(try await ids(store, SessionListQuery(customer: .phoneNumber("+4930100"))).isEmpty, "the number called is ours, not the customer's")
            #expect(try await ids(store, SessionListQuery(customer: .userId("u-nobody"))).isEmpty)
            #expect(try await ids(store, SessionListQuery(customer: .userId("u-7"), excluding: webCall)) == [webFirst.rawValue])
            #expect(try await ids(store, SessionListQuery(customer: .phoneNumber("+4930111"), skillGroupIds: ["sales"])) == [called.rawValue])
            #expect(try await ids(store, SessionListQuery(customer: .userId("u-7"), skillGroupIds: [])).isEmpty)
            #expect(try await ids(store, SessionListQuery(limit: 1, offset: 1, customer: .userId("u-7"))) == [webFirst.rawValue])
        }
    }
}
