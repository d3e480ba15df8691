/// The `data` of a successful `Chat.getWrapUp`: what the wrap-up of an ended session may say
/// (a Switchboard extension).
public struct WrapUpForm: Sendable, Codable, Equatable, Hashable {
    /// The session.
    public var sessionId: String
    /// Its (last) skill group, whose codes apply.
    public var skillGroupId: String
    /// The codes to pick one from; empty: the wrap-up is a note alone.
    public var dispositionCodes: [String]
    /// The longest note, in characters.
    public var maximumNoteLength: Int
    /// The wrap-up saved already, if any.
    public var saved: SavedWrapUp?

    /// Creates the result.
    public init(sessionId: String, skillGroupId: String, dispositionCodes: [String], maximumNoteLength: Int, saved: SavedWrapUp? = nil) {
        self.sessionId = sessionId
        self.skillGroupId = skillGroupId
        self.dispositionCodes = dispositionCodes
        self.maximumNoteLength = maximumNoteLength
        self.saved = saved
    }
}

/// A saved wrap-up (the `data` of `Chat.wrapUp`).
public struct SavedWrapUp: Sendable, Codable, Equatable, Hashable {
    /// The code picked; absent when the group has none.
    public var dispositionCode: String?
    /// The note; absent when none was written.
    public var note: String?
    /// When it was saved, in milliseconds since 1970.
    public var wrappedUpAt: Int64

    /// Creates the result.
    public init(dispositionCode: String?, note: String?, wrappedUpAt: Int64) {
        self.dispositionCode = dispositionCode
        self.note = note
        self.wrappedUpAt = wrappedUpAt
    }
}
