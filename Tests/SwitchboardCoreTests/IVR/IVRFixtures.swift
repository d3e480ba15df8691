import Foundation
@testable import SwitchboardCore

/// Flows the IVR tests share: a welcome, a two-level menu, working hours, queues and hang-ups.
enum IVRFixtures {
    static let weekdays: WorkingHours = {
        let day = [WorkingHours.DailyRange(from: 9 * 60, to: 17 * 60)]
        return WorkingHours(timeZone: "Europe/Berlin", weekly: [.monday: day, .tuesday: day, .wednesday: day, .thursday: day, .friday: day])
    }()

    /// hours → (open) welcome → main menu: 1 sales, 2 support menu (1 billing, 2 tech), 9 again; closed → message, hang up.
    static func mainFlow(holidays: [String] = []) -> IVRFlow {
        IVRFlow(id: "main", name: "Main line", start: "hours", nodes: [
            IVRNode(id: "hours", .workingHours(hours: weekdays, holidays: holidays, open: "welcome", closed: "closed")),
            IVRNode(id: "welcome", .play(prompt: IVRPrompt(text: "Welcome to Acme."), next: "main")),
            IVRNode(id: "main", .menu(.init(
                prompt: IVRPrompt(text: "Press 1 for sales, 2 for support, 9 to hear this again."),
                choices: [
                    IVRChoice(digits: "1", label: "sales", next: "sales"),
                    IVRChoice(digits: "2", label: "support", next: "support"),
                    IVRChoice(digits: "9", label: "repeat", next: "main"),
                ],
                timeoutSeconds: 5, interDigitSeconds: 3, retries: 2, onFailure: "operator"))),
            IVRNode(id: "support", .menu(.init(
                prompt: IVRPrompt(text: "Press 1 for billing, 2 for technical help."),
                choices: [IVRChoice(digits: "1", label: "billing", next: "billing"), IVRChoice(digits: "2", label: "tech", next: "tech")],
                retries: 0, onFailure: "goodbye"))),
            IVRNode(id: "sales", .queue(skillGroupId: "sales", priority: 5)),
            IVRNode(id: "billing", .queue(skillGroupId: "billing", priority: 0)),
            IVRNode(id: "tech", .queue(skillGroupId: "tech", priority: 0)),
            IVRNode(id: "operator", .queue(skillGroupId: "sales", priority: 0)),
            IVRNode(id: "goodbye", .hangUp(prompt: IVRPrompt(text: "Goodbye."), endStatus: IVRNode.ivrEnd)),
            IVRNode(id: "closed", .hangUp(prompt: IVRPrompt(text: "We are closed."), endStatus: "notWorkTime")),
        ])
    }

    static let groups: Set<SkillGroupID> = ["sales", "billing", "tech"]

    /// Monday 2025-03-10 10:00 in Berlin (09:00 UTC).
    static let mondayMorning = Timestamp(seconds: 1_741_597_200)
    /// Monday 2025-03-10 20:00 in Berlin.
    static let mondayEvening = Timestamp(seconds: 1_741_597_200 + 10 * 3600)
}
