/// A request method. Methods are case-sensitive (RFC 3261 §7.1); any token is kept, so extension
/// methods pass through untouched.
public struct SIPMethod: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The method as written on the wire.
    public var rawValue: String

    /// Creates a method from its wire form.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a method from a literal such as `"INVITE"`.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Opens a session.
    public static let invite: SIPMethod = "INVITE"
    /// Acknowledges a final response to an INVITE.
    public static let ack: SIPMethod = "ACK"
    /// Ends a session.
    public static let bye: SIPMethod = "BYE"
    /// Cancels a pending INVITE.
    public static let cancel: SIPMethod = "CANCEL"
    /// Queries capabilities; also a keep-alive.
    public static let options: SIPMethod = "OPTIONS"
    /// Mid-session information such as DTMF (RFC 6086).
    public static let info: SIPMethod = "INFO"
    /// Updates session parameters without an offer/answer round trip through INVITE (RFC 3311).
    public static let update: SIPMethod = "UPDATE"
    /// Acknowledges a reliable provisional response (RFC 3262).
    public static let prack: SIPMethod = "PRACK"
    /// Binds an address of record to a contact.
    public static let register: SIPMethod = "REGISTER"
    /// Subscribes to an event (RFC 6665).
    public static let subscribe: SIPMethod = "SUBSCRIBE"
    /// Notifies a subscriber (RFC 6665).
    public static let notify: SIPMethod = "NOTIFY"
    /// Asks the peer to contact a third party (RFC 3515).
    public static let refer: SIPMethod = "REFER"
    /// Carries an instant message (RFC 3428).
    public static let message: SIPMethod = "MESSAGE"

    static let known: Set<SIPMethod> = [.invite, .ack, .bye, .cancel, .options, .info, .update, .prack, .register,
                                        .subscribe, .notify, .refer, .message, "PUBLISH"]

    /// Whether this is a method this library does not name (an extension method).
    public var isExtension: Bool { !SIPMethod.known.contains(self) }

    public var description: String { rawValue }
}
