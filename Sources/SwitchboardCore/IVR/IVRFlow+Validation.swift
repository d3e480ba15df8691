import Foundation

/// Checking a flow before it is saved. Every problem is named with the node and field at fault,
/// so whoever wrote the flow can fix it without guessing; nothing a caller could meet later (a
/// missing node, a queue that does not exist, a loop with no way out) gets past this.
extension IVRFlow {
    /// The most nodes one flow may have.
    public static let maximumNodes = 100
    /// The most choices one menu may have.
    public static let maximumChoices = 20
    /// The longest prompt text, in characters.
    public static let maximumPromptLength = 1000
    /// The longest choice: more keys than this is an account number, not a menu.
    public static let maximumDigits = 16

    /// Checks the flow whole; `knownGroups` are the skill groups a `queue` node may name.
    public func validate(knownGroups: Set<SkillGroupID>) throws(RoutingError) {
        try checkNames()
        var ids: Set<String> = []
        for node in nodes {
            if !ids.insert(node.id).inserted { throw invalid("two nodes have the id '\(node.id)'; node ids must be unique") }
        }
        if !ids.contains(start) { throw invalid("start names node '\(start.prefix(64))', which the flow does not have") }
        for node in nodes {
            try check(node, knownGroups: knownGroups)
            for (field, next) in node.successors where !ids.contains(next) {
                throw invalid("node \(node.id): \(field) names node '\(next.prefix(64))', which the flow does not have")
            }
        }
        try checkReachability()
        try checkLoops()
    }

    private func checkNames() throws(RoutingError) {
        if !Self.isName(id.rawValue) {
            throw RoutingError(.invalidConfiguration, "flow id '\(id.rawValue.prefix(70))' must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")
        }
        if let name, name.count > 200 { throw invalid("name is \(name.count) characters; at most 200 are allowed") }
        if nodes.isEmpty { throw invalid("a flow needs at least one node") }
        if nodes.count > Self.maximumNodes { throw invalid("it has \(nodes.count) nodes; at most \(Self.maximumNodes) are allowed") }
        for node in nodes where !Self.isName(node.id) {
            throw invalid("node id '\(node.id.prefix(70))' must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")
        }
    }

    private func check(_ node: IVRNode, knownGroups: Set<SkillGroupID>) throws(RoutingError) {
        let at = "node \(node.id)"
        switch node.action {
        case .play(let prompt, _):
            try check(prompt, at: "\(at): prompt")
        case .menu(let menu):
            try check(menu.prompt, at: "\(at): prompt")
            if menu.choices.isEmpty { throw invalid("\(at): a menu needs at least one choice") }
            if menu.choices.count > Self.maximumChoices {
                throw invalid("\(at): it has \(menu.choices.count) choices; at most \(Self.maximumChoices) are allowed")
            }
            var seen: Set<String> = []
            for (index, choice) in menu.choices.enumerated() {
                let field = "\(at): choices[\(index)]"
                if choice.digits.isEmpty || choice.digits.count > Self.maximumDigits || !choice.digits.allSatisfy({ "0123456789*ABCD".contains($0) }) {
                    throw invalid("\(field).digits '\(choice.digits.prefix(20))' must be 1 to \(Self.maximumDigits) of 0-9, *, A-D ('#' ends an entry)")
                }
                if !seen.insert(choice.digits).inserted { throw invalid("\(field).digits '\(choice.digits)' is already another choice") }
                if choice.label.isEmpty || choice.label.count > 64 { throw invalid("\(field).label must be 1 to 64 characters") }
            }
            if !(1...60).contains(menu.timeoutSeconds) { throw invalid("\(at): timeoutSeconds must be 1 to 60, not \(menu.timeoutSeconds)") }
            if !(1...30).contains(menu.interDigitSeconds) {
                throw invalid("\(at): interDigitSeconds must be 1 to 30, not \(menu.interDigitSeconds)")
            }
            if !(0...9).contains(menu.retries) { throw invalid("\(at): retries must be 0 to 9, not \(menu.retries)") }
        case .workingHours(let hours, let holidays, _, _):
            do { try hours.validate() } catch { throw invalid("\(at): \(error.message)") }
            if holidays.count > 366 { throw invalid("\(at): it has \(holidays.count) holidays; at most 366 are allowed") }
            for holiday in holidays where !WorkingHours.isDate(holiday) {
                throw invalid("\(at): holiday '\(holiday.prefix(20))' is not a date like 2025-12-25")
            }
        case .queue(let group, let priority):
            if !knownGroups.contains(group) {
                throw RoutingError(.unknownSkillGroup, "flow \(id): \(at): skillGroupId names skill group \(group), which does not exist")
            }
            if abs(priority) > RoutingStateMachine.maximumPriority {
                throw invalid("\(at): priority must be between -\(RoutingStateMachine.maximumPriority) and \(RoutingStateMachine.maximumPriority), not \(priority)")
            }
        case .hangUp(let prompt, let endStatus):
            if let prompt { try check(prompt, at: "\(at): prompt") }
            if !IVRNode.hangUpStatuses.contains(endStatus) {
                throw invalid("\(at): endStatus must be one of \(IVRNode.hangUpStatuses.joined(separator: ", ")), not '\(endStatus.prefix(40))'")
            }
        }
    }

    private func check(_ prompt: IVRPrompt, at place: String) throws(RoutingError) {
        let text = prompt.text ?? ""
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && prompt.audio == nil {
            throw invalid("\(place) needs text to speak or the name of an uploaded audio file")
        }
        if text.count > Self.maximumPromptLength {
            throw invalid("\(place): text is \(text.count) characters; at most \(Self.maximumPromptLength) are allowed")
        }
        if let audio = prompt.audio, !Self.isName(audio) {
            throw invalid("\(place): audio '\(audio.prefix(70))' must be the name of an uploaded audio file (letters, digits, '-', '_', '.')")
        }
    }

    /// Every node must be reachable from `start`: a node nobody reaches is a mistake in the flow
    /// (a misspelt `next`), not a spare.
    private func checkReachability() throws(RoutingError) {
        var reached: Set<String> = [start]
        var frontier = [start]
        while let current = frontier.popLast() {
            for (_, next) in node(current)?.successors ?? [] where reached.insert(next).inserted { frontier.append(next) }
        }
        if let stray = nodes.first(where: { !reached.contains($0.id) }) {
            throw invalid("node \(stray.id) cannot be reached from the start node \(start)")
        }
    }

    /// A loop is allowed only through a caller's choice (a menu's "9: hear this again"): one made
    /// of steps that follow on their own (`next`, `onFailure`, `open` / `closed`) would keep a
    /// caller who presses nothing in the flow forever.
    private func checkLoops() throws(RoutingError) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ id: String) throws(RoutingError) {
            if marks[id] == .done { return }
            if marks[id] == .visiting {
                let loop = path[path.lastIndex(of: id)!...] + [id]
                throw invalid("nodes \(loop.joined(separator: " → ")) form a loop that no caller's choice leaves; end it with a menu choice, a queue or a hang-up")
            }
            marks[id] = .visiting
            path.append(id)
            for next in node(id)?.automaticSuccessors ?? [] { try visit(next) }
            path.removeLast()
            marks[id] = .done
        }
        for node in nodes { try visit(node.id) }
    }

    private func invalid(_ message: String) -> RoutingError {
        RoutingError(.invalidConfiguration, "flow \(id): \(message)")
    }

    /// Whether `text` is a valid flow, node or uploaded-audio name.
    public static func isName(_ text: String) -> Bool {
        // Names become file names (uploaded audio): no leading dot, so never '..' or a hidden file.
        !text.isEmpty && text.count <= 64 && text.first != "."
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_.".contains($0) }
    }
}
