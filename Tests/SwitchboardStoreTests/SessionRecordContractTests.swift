import SwitchboardCore
import SwitchboardStore
import Testing

/// Session rows and their history, projected from the events of appended entries.
@Suite struct SessionRecordContractTests {
    @Test(arguments: StoreBackend.all)
    func aSessionEndedByTheAgentKeepsItsTimesAndEndsOk(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            let createdAt = recorder.now
            let session = try recorder.create(.phone, in: "sales", priority: 7, nickname: "Bob")
            try await store.append(recorder.take())

            let live = try #require(try await store.session(session))
            #expect(live == SessionRecord(
                id: session, type: .phone, skillGroupId: "sales", customer: CustomerDetails(nickname: "Bob", peerSource: "web"),
                createdAt: createdAt, queuedAt: createdAt, firstRingAt: createdAt, agentId: "alice", priority: 7, direction: .inbound))

            recorder.now = recorder.now.adding(seconds: 4)
            try recorder.run(.accept("alice", session))
            let acceptedAt = recorder.now
            recorder.now = recorder.now.adding(seconds: 60)
            try recorder.run(.end("alice", session))
            try await store.append(recorder.take())

            let ended = try #require(try await store.session(session))
            #expect(ended.acceptedAt == acceptedAt)
            #expect(ended.endedAt == recorder.now)
            #expect(ended.closeBy == .seat)
            #expect(ended.agentId == "alice")
            #expect(ended.endStatus == "ok")
            #expect(ended.mainReason == nil && ended.subReason == nil)
            #expect(try await store.session("s-unknown") == nil)
        }
    }

    /// A call that walked an IVR flow first: its record starts when it arrived, its queue later.
    @Test(arguments: StoreBackend.all)
    func aSessionThatArrivedBeforeItQueuedKeepsBothTimes(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            let arrived = recorder.now
            recorder.now = recorder.now.adding(seconds: 12)
            guard case .sessionCreated(let session) = try recorder.run(.createSession(NewSession(type: .phone, skillGroupId: "sales", arrivedAt: arrived))) else {
                Issue.record("no session was created")
                return
            }
            try await store.append(recorder.take())
            let record = try #require(try await store.session(session))
            #expect(record.createdAt == arrived && record.queuedAt == recorder.now, "\(record)")
            // An agent comes online and is offered it: the ring is later, the queue time stays.
            recorder.now = recorder.now.adding(seconds: 30)
            try recorder.agent("alice", in: ["sales"])
            try await store.append(recorder.take())
            let offered = try #require(try await store.session(session))
            #expect(offered.queuedAt == arrived.adding(seconds: 12) && offered.firstRingAt == recorder.now, "\(offered)")
        }
    }

    @Test(arguments: StoreBackend.all)
    func everyWayASessionEndsGivesItsEndStatus(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.group("slow", queueTimeout: 30)
            try recorder.group("chat", imInactivity: 60)
            try recorder.agent("alice", in: ["sales"])
            try recorder.agent("carol", in: ["chat"])

            let ringingGiveUp = try recorder.create(in: "sales")  // rings at alice
            try recorder.run(.customerLeft(ringingGiveUp))
            try recorder.run(.setStatus("alice", status: "notReady", restReason: nil))
            let waitingGiveUp = try recorder.create(in: "sales")  // nobody free: queued
            try recorder.run(.customerLeft(waitingGiveUp))
            let adminQueued = try recorder.create(in: "sales")
            try recorder.run(.adminEnd(adminQueued, mainReason: "spam", subReason: "repeated"))
            let timedOut = try recorder.create(in: "slow")
            let inactive = try recorder.create(in: "chat")
            try recorder.run(.accept("carol", inactive))
            try recorder.advance(seconds: 61)
            try recorder.run(.setStatus("alice", status: "free", restReason: nil))
            let adminAccepted = try recorder.create(in: "sales")
            try recorder.run(.accept("alice", adminAccepted))
            try recorder.run(.adminEnd(adminAccepted, mainReason: nil, subReason: nil))
            try await store.append(recorder.take())

            let expected: [(SessionID, CloseBy, String, AgentID?, String?)] = [
                (ringingGiveUp, .client, "ringingGiveUp", "alice", nil),
                (waitingGiveUp, .client, "waitingGiveUp", nil, nil),
                (adminQueued, .admin, "adminEnded", nil, "spam"),
                (timedOut, .timer, "queueTimeout", nil, "queue timeout"),
                (inactive, .timer, "ok", "carol", "no message for 60 s"),
                (adminAccepted, .admin, "ok", "alice", nil),
            ]
            for (session, closeBy, endStatus, agent, mainReason) in expected {
                let record = try #require(try await store.session(session))
                #expect(record.closeBy == closeBy, "\(session)")
                #expect(record.endStatus == endStatus, "\(session)")
                #expect(record.agentId == agent, "\(session)")
                #expect(record.mainReason == mainReason, "\(session)")
                #expect(record.endedAt != nil, "\(session)")
            }
            #expect(try await store.session(adminQueued)?.subReason == "repeated")
            #expect(try await store.session(timedOut)?.endedAt == JournalRecorder.start.adding(seconds: 30))
        }
    }

    @Test(arguments: StoreBackend.all)
    func historyKeepsEveryStepInOrderWithItsDetails(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales", offerTimeout: 10)
            try recorder.group("billing")
            try recorder.agent("alice", in: ["sales"])
            try recorder.agent("bob", in: ["sales"], online: false)
            try recorder.agent("carol", in: ["billing"])
            let session = try recorder.create(in: "sales")
            try await store.append(recorder.take())
            try recorder.advance(seconds: 11)  // alice lets it ring out
            try recorder.run(.online("bob"))
            try recorder.run(.accept("bob", session))
            try recorder.run(.transfer("bob", session, skillGroupId: "billing", userId: nil))
            try recorder.run(.accept("carol", session))
            try recorder.run(.end("carol", session))
            try await store.append(recorder.take())

            let history = try await store.history(of: session)
            #expect(history.map(\.kind) == [
                "created", "queued", "offered", "missed", "queued", "offered", "accepted",
                "transferred", "queued", "offered", "accepted", "ended",
            ])
            let recorded = recorder.history(of: session)
            #expect(history.map(\.at) == recorded.map(\.0))
            #expect(history.map(\.agentId) == [nil, nil, "alice", "alice", nil, "bob", "bob", "bob", nil, "carol", "carol", "carol"])
            #expect(history.map(\.skillGroupId) == ["sales", "sales", nil, nil, "sales", nil, nil, "billing", "billing", nil, nil, nil])
            #expect(history[2].detail.contains(#""strategy":"longestIdle""#))
            #expect(history[2].detail.contains(#""skillLevel":2"#))
            #expect(history[7].detail.contains(#""toSkillGroup":"billing""#))
            #expect(history[11].detail.contains(#""closeBy":"seat""#))

            let record = try #require(try await store.session(session))
            #expect(record.skillGroupId == "billing")
            #expect(record.agentId == "carol")
            #expect(record.firstRingAt == JournalRecorder.start)
            #expect(record.acceptedAt == JournalRecorder.start.adding(seconds: 11))
            #expect(record.endStatus == "ok")
            #expect(try await store.history(of: "s-unknown").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all)
    func statusChangesAreKeptNewestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales", offerTimeout: 10)
            try recorder.agent("alice", in: ["sales"])
            _ = try recorder.create(in: "sales")
            try recorder.advance(seconds: 11)
            try recorder.run(.setStatus("alice", status: "rest", restReason: "lunch"))
            try recorder.run(.adminSetStatus("alice", status: "free", restReason: nil))
            try await store.append(recorder.take())

            let history = try await store.statusHistory(of: "alice", limit: 10)
            let online = JournalRecorder.start
            let missed = online.adding(seconds: 10)
            let later = online.adding(seconds: 11)
            #expect(history == [
                StatusRecord(at: later, status: .free, restReason: nil, cause: .admin),
                StatusRecord(at: later, status: .rest, restReason: "lunch", cause: .agent),
                StatusRecord(at: missed, status: .notReady, restReason: nil, cause: .missedOffer),
                StatusRecord(at: online, status: .free, restReason: nil, cause: .agent),
            ])
            #expect(try await store.statusHistory(of: "alice", limit: 2) == Array(history.prefix(2)))
            #expect(try await store.statusHistory(of: "nobody", limit: 5).isEmpty)
            for limit in [0, 501] {
                let error = await #expect(throws: StoreError.self) { try await store.statusHistory(of: "alice", limit: limit) }
                #expect(error?.code == .invalidQuery)
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func phoneRecordsKeepTheDirectionTheDigitsAndAnOutboundEndStatus(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var recorder = JournalRecorder()
            try recorder.group("sales")
            try recorder.agent("alice", in: ["sales"])
            try recorder.agent("bob", in: ["sales"])
            guard case .sessionCreated(let busy) = try recorder.run(.startOutboundCall("alice", OutboundCall(phoneNumber: "+4930555"))) else {
                Issue.record("no session"); return
            }
            try recorder.run(.outboundCallFailed(busy, .busy, detail: "486 Busy Here"))
            guard case .sessionCreated(let answered) = try recorder.run(.startOutboundCall("alice", OutboundCall(phoneNumber: "+4930556"))) else {
                Issue.record("no session"); return
            }
            try recorder.advance(seconds: 5)
            try recorder.run(.calleeAnswered(answered))
            try recorder.run(.callerDigits(answered, "4"))
            try recorder.run(.callerDigits(answered, "2#"))
            try recorder.run(.end("alice", answered))
            let inbound = try recorder.create(.phone, in: "sales")
            try recorder.run(.customerLeft(inbound))
            try await store.append(recorder.take())

            let failed = try #require(try await store.session(busy))
            #expect(failed.direction == .outbound)
            #expect(failed.endStatus == "busy")
            #expect(failed.closeBy == .client)
            #expect(failed.agentId == "alice")
            #expect(failed.mainReason == "486 Busy Here")
            #expect(failed.customer.calleePhoneNumber == "+4930555")
            let talked = try #require(try await store.session(answered))
            #expect(talked.direction == .outbound)
            #expect(talked.endStatus == "ok")
            #expect(talked.digits == "42#")
            #expect(talked.acceptedAt != nil)
            let history = try await store.history(of: answered).map(\.kind)
            #expect(history == ["created", "dialled", "accepted", "digits", "digits", "ended"])
            let gaveUp = try #require(try await store.session(inbound))
            #expect(gaveUp.direction == .inbound)
            #expect(gaveUp.digits == nil)
        }
    }
}
