/// A node as JSON: flat, with a `type` (`play`, `menu`, `workingHours`, `queue`, `hangUp`) and the
/// fields of that type; working hours as the skill-group API writes them (`"09:00-17:30"`). The
/// same form is the admin API's and the journal's. A field the type does not take is refused, so a
/// misspelt `timeoutSecond` cannot silently leave the default in place.
extension IVRNode {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let fieldsByType: [String: [String]] = [
        "play": ["id", "type", "prompt", "next"],
        "menu": ["id", "type", "prompt", "choices", "timeoutSeconds", "interDigitSeconds", "retries", "onFailure"],
        "workingHours": ["id", "type", "timeZone", "weekly", "holidays", "open", "closed"],
        "queue": ["id", "type", "skillGroupId", "priority"],
        "hangUp": ["id", "type", "prompt", "endStatus"],
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        id = try container.decode(String.self, forKey: Key("id"))
        let type = try container.decode(String.self, forKey: Key("type"))
        guard let accepted = Self.fieldsByType[type] else {
            throw DecodingError.dataCorruptedError(
                forKey: Key("type"), in: container,
                debugDescription: "node \(id.prefix(64)): type '\(type.prefix(40))' is not one of \(Self.fieldsByType.keys.sorted().joined(separator: ", "))")
        }
        if let unknown = container.allKeys.map(\.stringValue).filter({ !accepted.contains($0) }).sorted().first {
            throw DecodingError.dataCorruptedError(
                forKey: Key(unknown), in: container,
                debugDescription: "node \(id.prefix(64)): field '\(unknown.prefix(40))' is not accepted in a \(type) node; its fields are \(accepted.joined(separator: ", "))")
        }
        func required<T: Decodable>(_ type: T.Type, _ name: String) throws -> T { try container.decode(type, forKey: Key(name)) }
        func optional<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? { try container.decodeIfPresent(type, forKey: Key(name)) }
        switch type {
        case "play":
            action = .play(prompt: try required(IVRPrompt.self, "prompt"), next: try required(String.self, "next"))
        case "menu":
            action = .menu(Menu(
                prompt: try required(IVRPrompt.self, "prompt"), choices: try required([IVRChoice].self, "choices"),
                timeoutSeconds: try optional(Int.self, "timeoutSeconds") ?? 5,
                interDigitSeconds: try optional(Int.self, "interDigitSeconds") ?? 3,
                retries: try optional(Int.self, "retries") ?? 2, onFailure: try required(String.self, "onFailure")))
        case "workingHours":
            let weekly = try required([String: [String]].self, "weekly")
            var days: [WorkingHours.Weekday: [WorkingHours.DailyRange]] = [:]
            for (day, ranges) in weekly {
                guard let weekday = WorkingHours.Weekday(rawValue: day) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: Key("weekly"), in: container,
                        debugDescription: "node \(id.prefix(64)): weekly.\(day.prefix(40)) is not a day; the days are \(WorkingHours.Weekday.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                var parsed: [WorkingHours.DailyRange] = []
                for text in ranges {
                    do {
                        parsed.append(try WorkingHours.DailyRange(parsing: text))
                    } catch {
                        throw DecodingError.dataCorruptedError(
                            forKey: Key("weekly"), in: container, debugDescription: "node \(id.prefix(64)): weekly.\(day): \(error.message)")
                    }
                }
                days[weekday] = parsed
            }
            action = .workingHours(
                hours: WorkingHours(timeZone: try required(String.self, "timeZone"), weekly: days),
                holidays: try optional([String].self, "holidays") ?? [], open: try required(String.self, "open"),
                closed: try required(String.self, "closed"))
        case "queue":
            action = .queue(skillGroupId: try required(SkillGroupID.self, "skillGroupId"), priority: try optional(Int.self, "priority") ?? 0)
        default:
            action = .hangUp(prompt: try optional(IVRPrompt.self, "prompt"), endStatus: try optional(String.self, "endStatus") ?? Self.ivrEnd)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: Key("id"))
        try container.encode(typeName, forKey: Key("type"))
        switch action {
        case .play(let prompt, let next):
            try container.encode(prompt, forKey: Key("prompt"))
            try container.encode(next, forKey: Key("next"))
        case .menu(let menu):
            try container.encode(menu.prompt, forKey: Key("prompt"))
            try container.encode(menu.choices, forKey: Key("choices"))
            try container.encode(menu.timeoutSeconds, forKey: Key("timeoutSeconds"))
            try container.encode(menu.interDigitSeconds, forKey: Key("interDigitSeconds"))
            try container.encode(menu.retries, forKey: Key("retries"))
            try container.encode(menu.onFailure, forKey: Key("onFailure"))
        case .workingHours(let hours, let holidays, let open, let closed):
            try container.encode(hours.timeZone, forKey: Key("timeZone"))
            var weekly: [String: [String]] = [:]
            for (day, ranges) in hours.weekly { weekly[day.rawValue] = ranges.map(\.description) }
            try container.encode(weekly, forKey: Key("weekly"))
            try container.encode(holidays, forKey: Key("holidays"))
            try container.encode(open, forKey: Key("open"))
            try container.encode(closed, forKey: Key("closed"))
        case .queue(let group, let priority):
            try container.encode(group, forKey: Key("skillGroupId"))
            try container.encode(priority, forKey: Key("priority"))
        case .hangUp(let prompt, let endStatus):
            try container.encodeIfPresent(prompt, forKey: Key("prompt"))
            try container.encode(endStatus, forKey: Key("endStatus"))
        }
    }

    /// The node's `type` as JSON spells it.
    public var typeName: String {
        switch action {
        case .play: "play"
        case .menu: "menu"
        case .workingHours: "workingHours"
        case .queue: "queue"
        case .hangUp: "hangUp"
        }
    }
}
