import Foundation
import Testing
@testable import SwitchboardCore

/// The settings added for issue 13 keep today's behaviour by default and load from journals and
/// snapshots written before them.
@Suite("Skill group settings")
struct SkillGroupSettingsTests {
    @Test func theDefaultsKeepTodaysBehaviour() {
        let group = SkillGroup(id: "g")
        #expect(!group.ringAll && !group.usingLastSeat && group.maxConcurrency == 0 && group.timeoutTransfer)
        #expect(group.maxSessionSeconds == 0 && !group.endWhenNoSeatOnline && group.workingHours == nil)
    }

    @Test func groupsWrittenBeforeTheSettingsExistedDecodeWithTheDefaults() throws {
        let old = #"{"id":"sales","name":"Sales","strategy":"longestIdle","offerTimeoutSeconds":20,"queueTimeoutSeconds":0,"wrapUpSeconds":0,"missedOfferStatus":"notReady","imInactivityTimeoutSeconds":0,"maxQueueLength":3}"#
        let group = try JSONDecoder().decode(SkillGroup.self, from: Data(old.utf8))
        #expect(group == SkillGroup(id: "sales", name: "Sales", maxQueueLength: 3))
    }

    @Test func everySettingSurvivesTheJournalsEncoding() throws {
        let group = SkillGroup(
            id: "g", ringAll: true, usingLastSeat: true, maxConcurrency: 3, timeoutTransfer: false, maxSessionSeconds: 900,
            endWhenNoSeatOnline: true,
            workingHours: WorkingHours(timeZone: "Europe/Berlin", weekly: [.monday: [.init(from: 540, to: 1020)], .saturday: []]))
        let command = RoutingCommand.upsertSkillGroup(group)
        #expect(try JSONDecoder().decode(RoutingCommand.self, from: JSONEncoder().encode(command)) == command)
        let json = String(decoding: try JSONEncoder().encode(group.workingHours), as: UTF8.self)
        #expect(json.contains(#""monday":[{"#), "weekdays are keys, as people read them: \(json)")
    }

    @Test func aRefusedChangeLeavesTheGroupAsItWas() {
        var h = Harness()
        h.ok(.upsertSkillGroup(SkillGroup(id: "g", ringAll: true, maxConcurrency: 2)))
        h.refuse(.upsertSkillGroup(SkillGroup(id: "g", usingLastSeat: true, maxConcurrency: -1)), .invalidConfiguration)
        h.refuse(.upsertSkillGroup(SkillGroup(id: "g", workingHours: WorkingHours(timeZone: "Nowhere/City", weekly: [:]))), .invalidConfiguration)
        #expect(h.machine.skillGroups["g"] == SkillGroup(id: "g", ringAll: true, maxConcurrency: 2))
    }
}
