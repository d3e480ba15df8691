import Foundation
import Testing
@testable import SwitchboardCore

/// Rules version 5 adds IVR flows; what was written before them replays as it was.
@Suite("Routing rules version 5")
struct RulesVersion5Tests {
    @Test func aNumberBindingWrittenBeforeFlowsReadsAsBoundToItsGroup() throws {
        let old = #"{"upsertPhoneNumber":{"_0":{"number":"+4930100","skillGroupId":"desk","priority":2}}}"#
        let command = try JSONDecoder().decode(RoutingCommand.self, from: Data(old.utf8))
        #expect(command == .upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "desk", priority: 2)))
    }

    @Test func aSnapshotWrittenBeforeFlowsLoadsWithItsNumbersAndSessions() throws {
        var h = Harness()
        h.machine.rules = 4
        h.group("desk")
        h.ok(.upsertPhoneNumber(PhoneNumberBinding(number: "+4930100", skillGroupId: "desk")))
        h.agent("a1", in: ["desk"])
        _ = h.create(.phone, in: "desk", customer: CustomerDetails(calleePhoneNumber: "+4930100", ivrPath: []))
        var json = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(h.machine.snapshot)) as? [String: Any])
        json["ivrFlows"] = nil
        json["rulesVersion"] = 4
        let old = try JSONDecoder().decode(RoutingSnapshot.self, from: JSONSerialization.data(withJSONObject: json))
        let restored = RoutingStateMachine(snapshot: old)
        #expect(restored.ivrFlows.isEmpty)
        #expect(restored.phoneNumbers == h.machine.phoneNumbers)
        #expect(restored.sessions == h.machine.sessions)
    }
}
