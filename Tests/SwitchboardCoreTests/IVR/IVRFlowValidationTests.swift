import Foundation
import Testing
@testable import SwitchboardCore

@Suite("IVR flow validation")
struct IVRFlowValidationTests {
    func message(_ flow: IVRFlow, groups: Set<SkillGroupID> = IVRFixtures.groups) -> (RoutingError.Code, String)? {
        do {
            try flow.validate(knownGroups: groups)
            return nil
        } catch {
            return (error.code, error.message)
        }
    }

    func replacing(_ id: String, with action: IVRNode.Action, in flow: IVRFlow = IVRFixtures.mainFlow()) -> IVRFlow {
        var changed = flow
        changed.nodes = flow.nodes.map { $0.id == id ? IVRNode(id: id, action) : $0 }
        return changed
    }

    @Test func theMainFlowIsValid() {
        #expect(message(IVRFixtures.mainFlow()) == nil)
    }

    @Test func aQueueToAGroupThatDoesNotExistIsNamed() throws {
        let found = try #require(message(IVRFixtures.mainFlow(), groups: ["sales", "billing"]))
        #expect(found.0 == .unknownSkillGroup)
        #expect(found.1 == "flow main: node tech: skillGroupId names skill group tech, which does not exist")
    }

    @Test func aMissingNodeIsNamedWithTheFieldThatNamesIt() throws {
        let flow = replacing("welcome", with: .play(prompt: IVRPrompt(text: "Hi"), next: "mian"))
        let found = try #require(message(flow))
        #expect(found.0 == .invalidConfiguration)
        #expect(found.1 == "flow main: node welcome: next names node 'mian', which the flow does not have")
        var badStart = IVRFixtures.mainFlow()
        badStart.start = "begin"
        #expect(message(badStart)?.1 == "flow main: start names node 'begin', which the flow does not have")
        let badChoice = replacing("support", with: .menu(.init(
            prompt: IVRPrompt(text: "x"), choices: [IVRChoice(digits: "1", label: "billing", next: "nowhere")], onFailure: "goodbye")))
        #expect(message(badChoice)?.1 == "flow main: node support: choices[0].next names node 'nowhere', which the flow does not have")
    }

    @Test func anUnreachableNodeIsNamed() {
        var flow = IVRFixtures.mainFlow()
        flow.nodes.append(IVRNode(id: "spare", .queue(skillGroupId: "sales", priority: 0)))
        #expect(message(flow)?.1 == "flow main: node spare cannot be reached from the start node hours")
    }

    @Test func aLoopNoCallerChoiceLeavesIsRefusedButAMenuRepeatIsNot() {
        // "9: hear this again" loops back through a caller's choice: allowed (the main flow has it).
        #expect(message(IVRFixtures.mainFlow()) == nil)
        // A menu whose failure goes back to the welcome loops for a caller who presses nothing.
        let flow = replacing("main", with: .menu(.init(
            prompt: IVRPrompt(text: "Press 1"), choices: [IVRChoice(digits: "1", label: "sales", next: "sales"),
                                                         IVRChoice(digits: "2", label: "support", next: "support")],
            onFailure: "welcome")))
        var withOperator = flow
        withOperator.nodes.removeAll { $0.id == "operator" }
        #expect(message(withOperator)?.1 == "flow main: nodes welcome → main → welcome form a loop that no caller's choice leaves; end it with a menu choice, a queue or a hang-up")
        let selfLoop = IVRFlow(id: "echo", start: "a", nodes: [IVRNode(id: "a", .play(prompt: IVRPrompt(text: "Hi"), next: "a"))])
        #expect(message(selfLoop)?.1.hasPrefix("flow echo: nodes a → a form a loop") == true)
    }

    @Test func menuSettingsAreChecked() {
        func menu(_ choices: [IVRChoice], timeout: Int = 5, inter: Int = 3, retries: Int = 2) -> String? {
            message(replacing("support", with: .menu(.init(
                prompt: IVRPrompt(text: "x"), choices: choices, timeoutSeconds: timeout, interDigitSeconds: inter, retries: retries,
                onFailure: "goodbye"))))?.1
        }
        let billing = IVRChoice(digits: "1", label: "billing", next: "billing")
        let tech = IVRChoice(digits: "2", label: "tech", next: "tech")
        #expect(menu([]) == "flow main: node support: a menu needs at least one choice")
        #expect(menu([billing, IVRChoice(digits: "1", label: "tech", next: "tech")]) == "flow main: node support: choices[1].digits '1' is already another choice")
        #expect(menu([billing, IVRChoice(digits: "2#", label: "tech", next: "tech")])?.contains("choices[1].digits '2#' must be 1 to 16 of 0-9, *, A-D") == true)
        #expect(menu([billing, IVRChoice(digits: "2", label: "", next: "tech")]) == "flow main: node support: choices[1].label must be 1 to 64 characters")
        #expect(menu([billing, tech], timeout: 0) == "flow main: node support: timeoutSeconds must be 1 to 60, not 0")
        #expect(menu([billing, tech], inter: 31) == "flow main: node support: interDigitSeconds must be 1 to 30, not 31")
        #expect(menu([billing, tech], retries: -1) == "flow main: node support: retries must be 0 to 9, not -1")
    }

    @Test func promptsHoursAndEndStatusesAreChecked() {
        let silent = replacing("welcome", with: .play(prompt: IVRPrompt(text: "  "), next: "main"))
        #expect(message(silent)?.1 == "flow main: node welcome: prompt needs text to speak or the name of an uploaded audio file")
        let sneaky = replacing("welcome", with: .play(prompt: IVRPrompt(audio: "../etc/passwd"), next: "main"))
        #expect(message(sneaky)?.1.hasPrefix("flow main: node welcome: prompt: audio '../etc/passwd' must be the name of an uploaded audio file") == true)
        let zone = replacing("hours", with: .workingHours(hours: WorkingHours(timeZone: "Mars/Olympus", weekly: [:]), holidays: [], open: "welcome", closed: "closed"))
        #expect(message(zone)?.1.hasPrefix("flow main: node hours: timeZone 'Mars/Olympus' is not a time zone name") == true)
        #expect(message(IVRFixtures.mainFlow(holidays: ["2025-02-30"]))?.1 == "flow main: node hours: holiday '2025-02-30' is not a date like 2025-12-25")
        let status = replacing("goodbye", with: .hangUp(prompt: nil, endStatus: "ok"))
        #expect(message(status)?.1 == "flow main: node goodbye: endStatus must be one of ivrEnd, notWorkTime, not 'ok'")
        let priority = replacing("sales", with: .queue(skillGroupId: "sales", priority: 101))
        #expect(message(priority)?.1 == "flow main: node sales: priority must be between -100 and 100, not 101")
    }

    @Test func idsAreChecked() {
        var flow = IVRFixtures.mainFlow()
        flow.nodes.append(IVRNode(id: "sales", .queue(skillGroupId: "sales", priority: 0)))
        #expect(message(flow)?.1 == "flow main: two nodes have the id 'sales'; node ids must be unique")
        var badId = IVRFixtures.mainFlow()
        badId.id = "../x"
        #expect(message(badId)?.1.hasPrefix("flow id '../x' must be 1 to 64 letters") == true)
        #expect(message(IVRFlow(id: "empty", start: "a", nodes: []))?.1 == "flow empty: a flow needs at least one node")
    }

    @Test func theJSONFormRoundTripsAndRefusesUnknownFields() throws {
        let flow = IVRFixtures.mainFlow(holidays: ["2025-12-25"])
        let data = try JSONEncoder().encode(flow)
        #expect(try JSONDecoder().decode(IVRFlow.self, from: data) == flow)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"type\":\"menu\"") && text.contains("\"09:00-17:00\""))

        let misspelt = #"{"id":"m","start":"a","nodes":[{"id":"a","type":"menu","prompt":{"text":"x"},"choices":[],"timeoutSecond":5,"onFailure":"a"}]}"#
        let error = try #require(throws: DecodingError.self) { try JSONDecoder().decode(IVRFlow.self, from: Data(misspelt.utf8)) }
        guard case .dataCorrupted(let context) = error else { Issue.record("\(error)"); return }
        #expect(context.debugDescription.hasPrefix("node a: field 'timeoutSecond' is not accepted in a menu node"))
        let badType = #"{"id":"m","start":"a","nodes":[{"id":"a","type":"dial"}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IVRFlow.self, from: Data(badType.utf8)) }
    }
}
