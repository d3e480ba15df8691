import Testing
@testable import SwitchboardCore

/// What routing rules version 3 changed besides the new skill-group settings, and the version 2
/// behaviour kept for replaying journals written under it.
@Suite("Routing rules version 3")
struct RulesVersion3Tests {
    /// A chat quiet for 30 s when its group's inactivity timeout is lowered to 10 s.
    func loweredBelowTheSilence(rules: Int) -> (Harness, SessionID, [RoutingEvent]) {
        var h = Harness()
        h.machine.rules = rules
        h.group("support", imInactivity: 60)
        h.agent("a1", in: ["support"])
        let s = h.create(in: "support")
        h.ok(.accept("a1", s))
        h.advance(seconds: 30)
        _ = h.take()
        h.group("support", imInactivity: 10)
        return (h, s, h.take())
    }

    @Test func aTimerACommandMakesDueFiresWithinThatCommand() {
        let (h, s, events) = loweredBelowTheSilence(rules: 3)
        #expect(h.machine.sessions[s] == nil)
        #expect(events.contains { $0.effect == .customer(s, .ended(closeBy: .timer)) }, "the change itself ends it")
    }

    @Test func underRules2ItFiredWithTheNextCommand() {
        var (h, s, events) = loweredBelowTheSilence(rules: 2)
        #expect(h.machine.sessions[s] != nil && !events.contains { $0.effect == .customer(s, .ended(closeBy: .timer)) })
        h.advance(seconds: 0)
        #expect(h.machine.sessions[s] == nil)
    }
}
