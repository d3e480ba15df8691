import Foundation
import SwitchboardCore

extension Timestamp {
    /// The wall clock, in the core's millisecond resolution. The core never reads a clock itself;
    /// the server passes this in so tests and replays can pass their own.
    public static func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
