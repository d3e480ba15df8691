import Testing
@testable import SwitchboardCore

/// The flow run as a state machine: each transition, fed by hand with keys, prompt lengths and
/// the time.
@Suite("IVR flow execution")
struct IVRRunTests {
    typealias Action = IVRRun.Action
    static let welcome = IVRPrompt(text: "Welcome to Acme.")
    static let mainMenu = IVRPrompt(text: "Press 1 for sales, 2 for support, 9 to hear this again.")
    static let supportMenu = IVRPrompt(text: "Press 1 for billing, 2 for technical help.")

    /// A run of the main flow, started on a Monday morning, with the welcome heard to its end
    /// (2 s) and the main menu's prompt started (4 s long).
    struct Caller {
        var run = IVRRun(flow: IVRFixtures.mainFlow())
        var now = IVRFixtures.mondayMorning

        mutating func at(_ seconds: Double) -> Timestamp {
            now = Timestamp(milliseconds: IVRFixtures.mondayMorning.milliseconds + Int64(seconds * 1000))
            return now
        }
        mutating func press(_ keys: String, at seconds: Double) -> [Action] {
            let time = at(seconds)
            return keys.flatMap { run.pressed($0, at: time) }
        }
        mutating func fire(at seconds: Double) -> [Action] { run.timerFired(at: at(seconds)) }
        mutating func prompt(_ milliseconds: Int64, at seconds: Double) -> [Action] { run.promptStarted(lasting: milliseconds, at: at(seconds)) }
    }

    func atMainMenu() -> Caller {
        var caller = Caller()
        #expect(caller.run.start(at: caller.now) == [.play(Self.welcome)])
        #expect(caller.prompt(2000, at: 0) == [])
        #expect(caller.run.deadline == caller.at(2))
        #expect(caller.fire(at: 2) == [.play(Self.mainMenu)])
        #expect(caller.run.node == "main")
        #expect(caller.prompt(4000, at: 2) == [])
        return caller
    }

    @Test func workingHoursLeadToTheWelcomeAndTheMenu() {
        var caller = atMainMenu()
        #expect(caller.run.phase == .playing)
        #expect(caller.fire(at: 5.9) == [], "the prompt has not ended yet")
        #expect(caller.fire(at: 6) == [])
        #expect(caller.run.phase == .listening(collected: ""))
        #expect(caller.run.deadline == caller.at(11), "the wait for a key starts when the prompt ends")
    }

    @Test func aKeyChoosesAndQueuesWithThePath() {
        var caller = atMainMenu()
        _ = caller.fire(at: 6)
        #expect(caller.press("1", at: 7) == [.queue(skillGroupId: "sales", priority: 5, ivrPath: [IVRStep(key: "1", label: "sales")])])
        #expect(caller.run.phase == .finished)
        #expect(caller.press("2", at: 8) == [], "a finished run takes nothing more")
        #expect(caller.run.keys == "1")
    }

    @Test func aKeyDuringTheMenuPromptBargesIn() {
        var caller = atMainMenu()
        #expect(caller.press("2", at: 3) == [.stopPlaying, .play(Self.supportMenu)])
        #expect(caller.run.node == "support")
        _ = caller.prompt(3000, at: 3)
        #expect(caller.press("2", at: 4) == [.stopPlaying, .queue(skillGroupId: "tech", priority: 0, ivrPath: [
            IVRStep(key: "2", label: "support"), IVRStep(key: "2", label: "tech"),
        ])])
    }

    @Test func keysDuringAPlainPromptAreRecordedButIgnored() {
        var caller = Caller()
        _ = caller.run.start(at: caller.now)
        _ = caller.prompt(2000, at: 0)
        #expect(caller.press("5", at: 1) == [])
        #expect(caller.run.node == "welcome")
        #expect(caller.fire(at: 2) == [.play(Self.mainMenu)])
        #expect(caller.run.keys == "5")
    }

    @Test func noKeyRepeatsTheMenuThenFollowsOnFailure() {
        var caller = atMainMenu()
        _ = caller.fire(at: 6)
        // Two retries: the menu plays twice more, then the call goes to the operator queue.
        #expect(caller.fire(at: 11) == [.play(Self.mainMenu)])
        #expect(caller.run.attempt == 1)
        _ = caller.prompt(4000, at: 11)
        _ = caller.fire(at: 15)
        #expect(caller.fire(at: 20) == [.play(Self.mainMenu)])
        #expect(caller.run.attempt == 2)
        _ = caller.prompt(4000, at: 20)
        _ = caller.fire(at: 24)
        #expect(caller.fire(at: 29) == [.queue(skillGroupId: "sales", priority: 0, ivrPath: [])])
    }

    @Test func aKeyNoChoiceStartsWithFailsAtOnce() {
        var caller = atMainMenu()
        _ = caller.fire(at: 6)
        #expect(caller.press("7", at: 7) == [.play(Self.mainMenu)])
        #expect(caller.run.attempt == 1)
        #expect(caller.run.keys == "7")
    }

    @Test func aMenuWithoutRetriesGoesToItsFailureNodeAndHangsUpAfterTheMessage() {
        var caller = atMainMenu()
        _ = caller.press("2", at: 3)
        _ = caller.prompt(3000, at: 3)
        _ = caller.fire(at: 6)
        #expect(caller.fire(at: 11) == [.play(IVRPrompt(text: "Goodbye."))])
        #expect(caller.run.node == "goodbye")
        _ = caller.prompt(1000, at: 11)
        #expect(caller.fire(at: 12) == [.hangUp(endStatus: "ivrEnd", ivrPath: [IVRStep(key: "2", label: "support")])])
        #expect(caller.run.phase == .finished)
    }

    @Test func aChoiceLeadingBackRepeatsTheMenuAndIsInThePath() {
        var caller = atMainMenu()
        #expect(caller.press("9", at: 3) == [.stopPlaying, .play(Self.mainMenu)])
        _ = caller.prompt(4000, at: 3)
        #expect(caller.press("1", at: 4) == [.stopPlaying, .queue(skillGroupId: "sales", priority: 5, ivrPath: [
            IVRStep(key: "9", label: "repeat"), IVRStep(key: "1", label: "sales"),
        ])])
    }

    @Test func outsideWorkingHoursAndOnHolidaysTheClosedBranchPlays() {
        var evening = IVRRun(flow: IVRFixtures.mainFlow())
        #expect(evening.start(at: IVRFixtures.mondayEvening) == [.play(IVRPrompt(text: "We are closed."))])
        _ = evening.promptStarted(lasting: 1500, at: IVRFixtures.mondayEvening)
        #expect(evening.timerFired(at: IVRFixtures.mondayEvening.adding(seconds: 2)) == [.hangUp(endStatus: "notWorkTime", ivrPath: [])])

        var holiday = IVRRun(flow: IVRFixtures.mainFlow(holidays: ["2025-03-10"]))
        #expect(holiday.start(at: IVRFixtures.mondayMorning) == [.play(IVRPrompt(text: "We are closed."))])
    }

    @Test func aPromptThatCouldNotPlayGoesOnAtOnce() {
        var caller = Caller()
        _ = caller.run.start(at: caller.now)
        #expect(caller.prompt(0, at: 0) == [.play(Self.mainMenu)])
    }

    @Test func multiDigitChoicesWaitForTheNextKeyOrHash() {
        let flow = IVRFlow(id: "codes", start: "menu", nodes: [
            IVRNode(id: "menu", .menu(.init(
                prompt: IVRPrompt(text: "Enter your code."),
                choices: [IVRChoice(digits: "1", label: "one", next: "a"), IVRChoice(digits: "12", label: "twelve", next: "b")],
                timeoutSeconds: 5, interDigitSeconds: 2, retries: 0, onFailure: "bye"))),
            IVRNode(id: "a", .queue(skillGroupId: "sales", priority: 0)),
            IVRNode(id: "b", .queue(skillGroupId: "tech", priority: 0)),
            IVRNode(id: "bye", .hangUp(prompt: nil, endStatus: "ivrEnd")),
        ])
        let t0 = Timestamp(seconds: 100)
        var run = IVRRun(flow: flow)
        _ = run.start(at: t0)
        _ = run.promptStarted(lasting: 1000, at: t0)
        _ = run.timerFired(at: t0.adding(seconds: 1))
        #expect(run.pressed("1", at: t0.adding(seconds: 2)) == [], "1 could still become 12")
        #expect(run.phase == .listening(collected: "1"))
        #expect(run.deadline == t0.adding(seconds: 4), "the inter-digit wait")
        #expect(run.pressed("2", at: t0.adding(seconds: 3)) == [.queue(skillGroupId: "tech", priority: 0, ivrPath: [IVRStep(key: "12", label: "twelve")])])

        var waited = IVRRun(flow: flow)
        _ = waited.start(at: t0)
        _ = waited.promptStarted(lasting: 1000, at: t0)
        _ = waited.timerFired(at: t0.adding(seconds: 1))
        _ = waited.pressed("1", at: t0.adding(seconds: 2))
        #expect(waited.timerFired(at: t0.adding(seconds: 4)) == [.queue(skillGroupId: "sales", priority: 0, ivrPath: [IVRStep(key: "1", label: "one")])])

        var hashed = IVRRun(flow: flow)
        _ = hashed.start(at: t0)
        _ = hashed.pressed("1", at: t0)
        #expect(hashed.pressed("#", at: t0) == [.queue(skillGroupId: "sales", priority: 0, ivrPath: [IVRStep(key: "1", label: "one")])])

        var empty = IVRRun(flow: flow)
        _ = empty.start(at: t0)
        #expect(empty.pressed("#", at: t0) == [.stopPlaying, .hangUp(endStatus: "ivrEnd", ivrPath: [])], "# alone is no choice; no retries left")
    }

    @Test func thePathAndKeysAreBounded() {
        var caller = atMainMenu()
        for index in 0..<40 {
            _ = caller.press("9", at: 3 + Double(index))
        }
        #expect(caller.run.path.count == IVRRun.maximumPath)
        for index in 0..<40 { _ = caller.press("9", at: 50 + Double(index)) }
        #expect(caller.run.keys.count == IVRRun.maximumKeys)
        #expect(caller.run.node == "main")
    }
}
