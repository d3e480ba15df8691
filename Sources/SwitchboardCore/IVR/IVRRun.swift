/// One caller's walk through an IVR flow, as a synchronous state machine: fed the prompt's
/// length once it starts playing, the caller's keys, timer expiries and the time, it answers with
/// what to do (play, stop playing, queue, hang up). It reads no clock and does no I/O; its owner
/// (the phone gateway) plays the audio and calls ``timerFired(at:)`` when ``deadline`` comes.
///
/// The flow was validated when it was saved, so every node it names exists and every loop goes
/// through a caller's choice; a run can still only take a bounded number of automatic steps.
public struct IVRRun: Sendable {
    /// What the owner must do.
    public enum Action: Equatable, Sendable {
        /// Play this prompt to the caller, then report its length with `promptStarted`.
        case play(IVRPrompt)
        /// Stop the prompt playing now (the caller pressed a key during a menu).
        case stopPlaying
        /// The flow is over: queue the call in this group, with `ivrPath` the choices made.
        case queue(skillGroupId: SkillGroupID, priority: Int, ivrPath: [IVRStep])
        /// The flow is over: hang up, recording this end status.
        case hangUp(endStatus: String, ivrPath: [IVRStep])
    }

    /// Where the run is within its node.
    public enum Phase: Equatable, Sendable {
        /// A prompt plays (of a `play`, `menu` or `hangUp` node); `deadline` is its end once known.
        case playing
        /// A menu waits for keys; `collected` are those of the entry so far.
        case listening(collected: String)
        /// The run has ended (queued or hung up); it takes nothing more.
        case finished
    }

    /// The flow being run.
    public let flow: IVRFlow
    /// The node the caller is at.
    public private(set) var node: String
    /// What is happening at that node.
    public private(set) var phase: Phase = .playing
    /// When `timerFired` is due: the end of a prompt, or the end of the wait for a key.
    public private(set) var deadline: Timestamp?
    /// The choices made so far (TCCC's `ivrPath`).
    public private(set) var path: [IVRStep] = []
    /// Every key the caller pressed in the flow, in order (the record's digits).
    public private(set) var keys = ""
    /// Retries used at the current menu.
    public private(set) var attempt = 0

    /// The most choices kept in `path`, and keys in `keys`: a caller looping through a menu
    /// should not grow a record without end.
    public static let maximumPath = 32
    public static let maximumKeys = 64

    /// Creates a run at the flow's start; nothing happens until `start(at:)`.
    public init(flow: IVRFlow) {
        self.flow = flow
        node = flow.start
    }

    /// Enters the start node.
    public mutating func start(at now: Timestamp) -> [Action] {
        enter(flow.start, at: now)
    }

    /// The prompt asked for by the last `play` started; it lasts `milliseconds` (0 when it could
    /// not be played: the flow goes on as if it had been heard).
    public mutating func promptStarted(lasting milliseconds: Int64, at now: Timestamp) -> [Action] {
        guard phase == .playing else { return [] }
        deadline = Timestamp(milliseconds: now.milliseconds + max(0, milliseconds))
        return deadline! <= now ? timerFired(at: now) : []
    }

    /// The caller pressed `key` (0-9, *, #, A-D).
    public mutating func pressed(_ key: Character, at now: Timestamp) -> [Action] {
        guard phase != .finished, "0123456789*#ABCD".contains(key) else { return [] }
        if keys.count < Self.maximumKeys { keys.append(key) }
        guard case .menu(let menu) = flow.node(node)?.action else { return [] }  // keys outside menus are only recorded
        switch phase {
        case .playing:
            // Barge-in: a caller who knows the menu need not hear it out.
            return [.stopPlaying] + entered(key, into: "", of: menu, at: now)
        case .listening(let collected):
            return entered(key, into: collected, of: menu, at: now)
        case .finished:
            return []
        }
    }

    /// The time came for `deadline`. Called early (before `deadline`) it does nothing.
    public mutating func timerFired(at now: Timestamp) -> [Action] {
        guard let due = deadline, due <= now else { return [] }
        deadline = nil
        guard let current = flow.node(node) else { return finish(.hangUp(endStatus: IVRNode.ivrEnd, ivrPath: path)) }
        switch (current.action, phase) {
        case (.play(_, let next), .playing):
            return enter(next, at: now)
        case (.menu, .playing):
            phase = .listening(collected: "")
            if case .menu(let menu) = current.action { deadline = now.adding(seconds: menu.timeoutSeconds) }
            return []
        case (.menu(let menu), .listening(let collected)):
            // The wait ran out: a complete entry counts, anything else is a failed attempt.
            if let choice = menu.choices.first(where: { $0.digits == collected }) { return choose(choice, at: now) }
            return failed(menu, at: now)
        case (.hangUp(_, let endStatus), .playing):
            return finish(.hangUp(endStatus: endStatus, ivrPath: path))
        default:
            return []
        }
    }

    // MARK: Steps

    private mutating func enter(_ id: String, at now: Timestamp) -> [Action] {
        var current = id
        // Automatic steps (working-hours checks) follow at once; validation rules out loops of
        // them, and this bound keeps even a flow that was never validated from spinning.
        for _ in 0...flow.nodes.count {
            node = current
            deadline = nil
            guard let next = flow.node(current) else { return finish(.hangUp(endStatus: IVRNode.ivrEnd, ivrPath: path)) }
            switch next.action {
            case .play(let prompt, _):
                phase = .playing
                return [.play(prompt)]
            case .menu(let menu):
                attempt = 0
                phase = .playing
                return [.play(menu.prompt)]
            case .workingHours(let hours, let holidays, let open, let closed):
                current = hours.isOpen(at: now, holidays: holidays) ? open : closed
            case .queue(let group, let priority):
                return finish(.queue(skillGroupId: group, priority: priority, ivrPath: path))
            case .hangUp(let prompt, let endStatus):
                guard let prompt else { return finish(.hangUp(endStatus: endStatus, ivrPath: path)) }
                phase = .playing
                return [.play(prompt)]
            }
        }
        return finish(.hangUp(endStatus: IVRNode.ivrEnd, ivrPath: path))
    }

    /// A key of a menu entry: `#` ends the entry; a complete choice no longer choice starts with
    /// is taken at once; keys that no choice starts with fail at once.
    private mutating func entered(_ key: Character, into collected: String, of menu: IVRNode.Menu, at now: Timestamp) -> [Action] {
        if key == "#" {
            if let choice = menu.choices.first(where: { $0.digits == collected }) { return choose(choice, at: now) }
            return failed(menu, at: now)
        }
        let entry = collected + String(key)
        let possible = menu.choices.filter { $0.digits.hasPrefix(entry) }
        if possible.isEmpty { return failed(menu, at: now) }
        if possible.count == 1, let choice = possible.first, choice.digits == entry { return choose(choice, at: now) }
        phase = .listening(collected: entry)
        deadline = now.adding(seconds: menu.interDigitSeconds)
        return []
    }

    private mutating func choose(_ choice: IVRChoice, at now: Timestamp) -> [Action] {
        if path.count < Self.maximumPath { path.append(IVRStep(key: choice.digits, label: choice.label)) }
        return enter(choice.next, at: now)
    }

    /// No keys, or keys that are no choice: the menu again, or `onFailure` once the retries are used.
    private mutating func failed(_ menu: IVRNode.Menu, at now: Timestamp) -> [Action] {
        guard attempt < menu.retries else { return enter(menu.onFailure, at: now) }
        attempt += 1
        phase = .playing
        deadline = nil
        return [.play(menu.prompt)]
    }

    private mutating func finish(_ action: Action) -> [Action] {
        phase = .finished
        deadline = nil
        return [action]
    }
}
