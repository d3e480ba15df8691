/// Identifies an IVR flow (a phone menu) of the tenant's.
public struct IVRFlowID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

/// An IVR flow: a small declarative document of nodes a caller walks through before reaching a
/// queue (or hearing a message and being hung up on).
///
/// A flow is data. ``IVRFlow/validate(knownGroups:)`` checks it whole (every node reachable, every
/// reference resolved, no loop the caller cannot break); ``IVRRun`` executes it, fed digits,
/// timer expiries and the time.
public struct IVRFlow: Codable, Equatable, Sendable {
    /// The flow's id.
    public var id: IVRFlowID
    /// A name for people (shown in the admin API).
    public var name: String?
    /// The node a call starts at.
    public var start: String
    /// The nodes, in the order they were given.
    public var nodes: [IVRNode]

    /// Creates a flow.
    public init(id: IVRFlowID, name: String? = nil, start: String, nodes: [IVRNode]) {
        self.id = id
        self.name = name
        self.start = start
        self.nodes = nodes
    }

    /// The node with `id`, if the flow has one.
    public func node(_ id: String) -> IVRNode? { nodes.first { $0.id == id } }
}

/// What a caller hears: a prompt spoken from `text` (by the server's speech synthesizer), or the
/// uploaded audio file named `audio` (then `text` is what it says, for people reading the flow).
public struct IVRPrompt: Codable, Equatable, Sendable {
    /// The words, spoken by the synthesizer when no audio file is named.
    public var text: String?
    /// The name of an uploaded audio file to play instead.
    public var audio: String?

    /// Creates a prompt.
    public init(text: String? = nil, audio: String? = nil) {
        self.text = text
        self.audio = audio
    }
}

/// One choice of a menu: the keys that select it, what it means (the `label` of `ivrPath`), and
/// the node it leads to.
public struct IVRChoice: Codable, Equatable, Sendable {
    /// The keys (`1`, `42`, `*0`); `#` ends an entry and is never part of one.
    public var digits: String
    /// What the choice means, e.g. `sales`.
    public var label: String
    /// The node it leads to.
    public var next: String

    /// Creates a choice.
    public init(digits: String, label: String, next: String) {
        self.digits = digits
        self.label = label
        self.next = next
    }
}

/// One step of a flow.
public struct IVRNode: Codable, Equatable, Sendable {
    /// The node's id, unique in its flow.
    public var id: String
    /// What the node does.
    public var action: Action

    /// What a node does.
    public enum Action: Equatable, Sendable {
        /// Plays a prompt, then goes to `next`. Keys pressed meanwhile are ignored.
        case play(prompt: IVRPrompt, next: String)
        /// Plays a prompt and reads keys: a choice's keys lead to its node; no keys within
        /// `timeoutSeconds` of the prompt's end, or keys that are no choice, repeat the menu up to
        /// `retries` more times, then lead to `onFailure`. Keys after the first must follow within
        /// `interDigitSeconds`; `#` ends an entry early.
        case menu(Menu)
        /// Goes to `open` when `hours` say the time is within working hours and it is not one of
        /// the `holidays` (local dates `YYYY-MM-DD` in the hours' time zone), else to `closed`.
        case workingHours(hours: WorkingHours, holidays: [String], open: String, closed: String)
        /// Queues the call in a skill group with a priority: the flow ends here.
        case queue(skillGroupId: SkillGroupID, priority: Int)
        /// Plays a message (if any), then hangs up; the record's end status is `endStatus`
        /// (`ivrEnd`, or `notWorkTime` for a closed branch).
        case hangUp(prompt: IVRPrompt?, endStatus: String)
    }

    /// A menu node's settings.
    public struct Menu: Equatable, Sendable {
        /// What the caller hears first, and again on each retry.
        public var prompt: IVRPrompt
        /// The choices.
        public var choices: [IVRChoice]
        /// Seconds to wait for the first key after the prompt ends.
        public var timeoutSeconds: Int
        /// Seconds to wait for each further key.
        public var interDigitSeconds: Int
        /// How many more times the menu is played after no keys or keys that are no choice.
        public var retries: Int
        /// Where the call goes when the retries are used up.
        public var onFailure: String

        /// Creates a menu with the documented defaults (5 s, 3 s between keys, 2 retries).
        public init(prompt: IVRPrompt, choices: [IVRChoice], timeoutSeconds: Int = 5, interDigitSeconds: Int = 3, retries: Int = 2, onFailure: String) {
            self.prompt = prompt
            self.choices = choices
            self.timeoutSeconds = timeoutSeconds
            self.interDigitSeconds = interDigitSeconds
            self.retries = retries
            self.onFailure = onFailure
        }
    }

    /// Creates a node.
    public init(id: String, _ action: Action) {
        self.id = id
        self.action = action
    }

    /// The end status of a flow that hangs up after its message.
    public static let ivrEnd = "ivrEnd"
    /// The end statuses a `hangUp` node may give.
    public static let hangUpStatuses = [ivrEnd, "notWorkTime"]

    /// The nodes this one leads to, with the field naming each, in a fixed order.
    public var successors: [(field: String, node: String)] {
        switch action {
        case .play(_, let next): [("next", next)]
        case .menu(let menu): menu.choices.enumerated().map { ("choices[\($0.offset)].next", $0.element.next) } + [("onFailure", menu.onFailure)]
        case .workingHours(_, _, let open, let closed): [("open", open), ("closed", closed)]
        case .queue, .hangUp: []
        }
    }

    /// The nodes this one leads to without the caller choosing: a loop of only these would keep a
    /// caller in the flow forever.
    var automaticSuccessors: [String] {
        switch action {
        case .play(_, let next): [next]
        case .menu(let menu): [menu.onFailure]
        case .workingHours(_, _, let open, let closed): [open, closed]
        case .queue, .hangUp: []
        }
    }
}
