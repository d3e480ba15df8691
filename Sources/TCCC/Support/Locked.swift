import Foundation

/// A value guarded by a lock, readable and writable from any thread.
///
/// `NSLock` rather than `Synchronization.Mutex` so the SDK builds for every Apple platform
/// version the package may be used on, not only the newest.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
