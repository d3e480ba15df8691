import Foundation
import Testing
@testable import SwitchboardCore

/// Disposition codes on a skill group (for wrap-up): none by default, kept by the journal and
/// snapshots, absent from ones written before them, and checked.
@Suite("Disposition codes")
struct DispositionCodeTests {
    @Test func groupsWrittenBeforeDispositionCodesDecodeWithNone() throws {
        let old = #"{"id":"sales","name":"Sales","strategy":"longestIdle","offerTimeoutSeconds":20,"queueTimeoutSeconds":0,"wrapUpSeconds":30,"missedOfferStatus":"notReady","imInactivityTimeoutSeconds":0,"ringAll":true}"#
        let group = try JSONDecoder().decode(SkillGroup.self, from: Data(old.utf8))
        #expect(group == SkillGroup(id: "sales", name: "Sales", wrapUpSeconds: 30, ringAll: true))
        #expect(group.dispositionCodes.isEmpty)
    }

    @Test func theCodesSurviveTheJournalAndASnapshot() throws {
        var h = Harness()
        let group = SkillGroup(id: "g", wrapUpSeconds: 20, dispositionCodes: ["Resolved", "Callback needed", "已解决"])
        let command = RoutingCommand.upsertSkillGroup(group)
        #expect(try JSONDecoder().decode(RoutingCommand.self, from: JSONEncoder().encode(command)) == command)
        _ = h.ok(command)
        let snapshot = try JSONDecoder().decode(RoutingSnapshot.self, from: JSONEncoder().encode(h.machine.snapshot))
        let restored = RoutingStateMachine(snapshot: snapshot)
        #expect(restored.skillGroups["g"]?.dispositionCodes == ["Resolved", "Callback needed", "已解决"])
    }

    @Test func badCodesAreRefusedAndChangeNothing() {
        var h = Harness()
        _ = h.ok(.upsertSkillGroup(SkillGroup(id: "g", dispositionCodes: ["Resolved"])))
        for codes in [["Resolved", "RESOLVED"], [""], ["Resolved "], [String(repeating: "x", count: 65)], ["a\tb"], (0...50).map { "c\($0)" }] {
            _ = h.refuse(.upsertSkillGroup(SkillGroup(id: "g", dispositionCodes: codes)), .invalidConfiguration)
        }
        #expect(h.machine.skillGroups["g"]?.dispositionCodes == ["Resolved"])
    }
}
