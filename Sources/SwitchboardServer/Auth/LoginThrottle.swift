import SwitchboardCore

/// Failed password logins per user id and per client address, and the waits and locks they earn.
/// A synchronous state machine fed the time: the authenticator owns it behind a lock, asks it
/// before each bcrypt check and tells it the outcome after.
///
/// Attempts still being checked count against the free ones, so a burst of concurrent guesses
/// cannot all pass before the first failure is counted; once waits apply, one attempt at a time.
/// Unknown user ids are tracked exactly as known ones, so the answers do not tell them apart.
struct LoginThrottle {
    /// Who an attempt has to wait for.
    enum Subject: Equatable, Sendable {
        case account(String)
        case address
    }

    /// Whether an attempt may be checked now.
    enum Admission: Equatable, Sendable {
        /// Go ahead; report the outcome with ``finish(account:address:succeeded:now:)`` or ``withdraw(account:address:)``.
        case allowed
        /// Too many recent failures: try again after this many seconds.
        case wait(seconds: Int, for: Subject)
        /// The user id's password logins are locked until an admin lifts the lock.
        case locked
    }

    /// What a checked attempt left behind.
    enum Outcome: Equatable, Sendable {
        /// The password matched; the account's count starts again.
        case succeeded
        /// It did not; the next attempt may have to wait this long (0: no wait).
        case failed(retryAfterSeconds: Int)
        /// It did not, and this failure locked the user id's password logins.
        case lockedNow(failures: Int)
    }

    /// One user id's or address's recent failures.
    struct Record: Equatable, Sendable {
        var failures = 0
        var lastFailure = Timestamp(milliseconds: 0)
        var inFlight = 0
        var locked = false
    }

    let policy: LoginPolicy
    private(set) var accounts: [String: Record] = [:]
    private(set) var addresses: [String: Record] = [:]

    init(policy: LoginPolicy) { self.policy = policy }

    /// Asks whether an attempt for `account` from `address` may be checked now; when allowed, it
    /// counts as in flight until finished or withdrawn.
    mutating func admit(account: String, address: String, now: Timestamp) -> Admission {
        let accountRecord = current(accounts[account], now: now)
        let addressRecord = current(addresses[address], now: now)
        if accountRecord.locked { return .locked }
        if let seconds = wait(accountRecord, delayAfter: policy.accountDelayAfter, lockAfter: policy.accountLockAfter, now: now) {
            return .wait(seconds: seconds, for: .account(account))
        }
        if let seconds = wait(addressRecord, delayAfter: policy.addressDelayAfter, lockAfter: 0, now: now) {
            return .wait(seconds: seconds, for: .address)
        }
        Self.store(accountRecord.inFlightPlusOne, at: account, in: &accounts, capacity: policy.trackedKeys, window: window, now: now)
        Self.store(addressRecord.inFlightPlusOne, at: address, in: &addresses, capacity: policy.trackedKeys, window: window, now: now)
        return .allowed
    }

    /// An admitted attempt that was not checked after all (no thread free, the store failed):
    /// it counts for nothing.
    mutating func withdraw(account: String, address: String) {
        Self.update(account, in: &accounts) { $0.inFlight = max(0, $0.inFlight - 1) }
        Self.update(address, in: &addresses) { $0.inFlight = max(0, $0.inFlight - 1) }
    }

    /// Records the outcome of an admitted attempt.
    mutating func finish(account: String, address: String, succeeded: Bool, now: Timestamp) -> Outcome {
        if succeeded {
            // A lock set by a concurrent failure stays: only an admin lifts locks.
            Self.update(account, in: &accounts) { $0 = Record(inFlight: max(0, $0.inFlight - 1), locked: $0.locked) }
            Self.update(address, in: &addresses) { $0.inFlight = max(0, $0.inFlight - 1) }
            return .succeeded
        }
        var accountRecord = current(accounts[account], now: now)
        var addressRecord = current(addresses[address], now: now)
        for index in [0, 1] {
            var record = index == 0 ? accountRecord : addressRecord
            record.inFlight = max(0, record.inFlight - 1)
            record.failures += 1
            record.lastFailure = now
            if index == 0 { accountRecord = record } else { addressRecord = record }
        }
        let lockNow = policy.accountLockAfter > 0 && accountRecord.failures >= policy.accountLockAfter && !accountRecord.locked
        if lockNow { accountRecord.locked = true }
        Self.store(accountRecord, at: account, in: &accounts, capacity: policy.trackedKeys, window: window, now: now)
        Self.store(addressRecord, at: address, in: &addresses, capacity: policy.trackedKeys, window: window, now: now)
        if lockNow { return .lockedNow(failures: accountRecord.failures) }
        let retryAfter = max(
            delaySeconds(after: accountRecord.failures, delayAfter: policy.accountDelayAfter),
            delaySeconds(after: addressRecord.failures, delayAfter: policy.addressDelayAfter))
        return .failed(retryAfterSeconds: retryAfter)
    }

    /// Forgets the user id's failures and lifts its lock (an admin's unlock).
    mutating func reset(account: String) {
        Self.update(account, in: &accounts) { $0 = Record(inFlight: $0.inFlight) }
    }

    /// The user id's recent failures, whether they locked it, and how long its next attempt waits.
    func state(of account: String, now: Timestamp) -> (failures: Int, locked: Bool, lockedSince: Timestamp?, retryAfterSeconds: Int?) {
        let record = current(accounts[account], now: now)
        let waitSeconds = record.inFlight > 0 ? nil : wait(record, delayAfter: policy.accountDelayAfter, lockAfter: 0, now: now)
        return (record.failures, record.locked, record.locked ? record.lastFailure : nil, record.locked ? nil : waitSeconds)
    }

    // MARK: Rules

    private var window: Int64 { Int64(policy.failureWindowSeconds) * 1000 }

    /// The record as it stands now: failures older than the window are forgotten, locks are not.
    private func current(_ record: Record?, now: Timestamp) -> Record {
        guard var record else { return Record() }
        if !record.locked && record.failures > 0 && now.milliseconds - record.lastFailure.milliseconds >= window {
            record.failures = 0
        }
        return record
    }

    /// Seconds the next attempt must wait, or nil when it may go now.
    private func wait(_ record: Record, delayAfter: Int, lockAfter: Int, now: Timestamp) -> Int? {
        let pending = record.failures + record.inFlight
        let underLock = lockAfter == 0 || pending < lockAfter
        if pending < delayAfter && underLock { return nil }
        // Attempts in flight could each be a failure: wait for them to settle.
        if record.inFlight > 0 { return max(1, remainingSeconds(record, delayAfter: delayAfter, now: now)) }
        let remaining = remainingSeconds(record, delayAfter: delayAfter, now: now)
        return remaining > 0 ? remaining : nil
    }

    private func remainingSeconds(_ record: Record, delayAfter: Int, now: Timestamp) -> Int {
        let delay = Int64(delaySeconds(after: record.failures, delayAfter: delayAfter)) * 1000
        let left = record.lastFailure.milliseconds + delay - now.milliseconds
        return left > 0 ? Int((left + 999) / 1000) : 0
    }

    /// 1 s after `delayAfter` failures, doubling with each further one, up to the longest delay.
    private func delaySeconds(after failures: Int, delayAfter: Int) -> Int {
        guard failures >= delayAfter else { return 0 }
        let doublings = failures - delayAfter
        return doublings >= 30 ? policy.longestDelaySeconds : min(policy.longestDelaySeconds, 1 << doublings)
    }

    // MARK: The bounded tables

    private static func update(_ key: String, in table: inout [String: Record], _ change: (inout Record) -> Void) {
        guard var record = table[key] else { return }
        change(&record)
        if record.failures == 0 && record.inFlight == 0 && !record.locked {
            table[key] = nil
        } else {
            table[key] = record
        }
    }

    /// Keeps `record` under `key`, dropping it when it holds nothing; a full table first forgets
    /// records quiet for a window, then the oldest unlocked one, then the oldest of all.
    private static func store(_ record: Record, at key: String, in table: inout [String: Record], capacity: Int, window: Int64, now: Timestamp) {
        if record.failures == 0 && record.inFlight == 0 && !record.locked {
            table[key] = nil
            return
        }
        if table[key] == nil && table.count >= capacity {
            let settled = table.filter { $0.value.inFlight == 0 }
            let stale = settled.filter { !$0.value.locked && now.milliseconds - $0.value.lastFailure.milliseconds >= window }.map(\.key)
            if !stale.isEmpty {
                for key in stale { table[key] = nil }
            } else if let oldest = settled.filter({ !$0.value.locked }).min(by: { $0.value.lastFailure < $1.value.lastFailure })
                        ?? settled.min(by: { $0.value.lastFailure < $1.value.lastFailure }) {
                table[oldest.key] = nil
            }
        }
        table[key] = record
    }
}

extension LoginThrottle.Record {
    fileprivate var inFlightPlusOne: Self {
        var record = self
        record.inFlight += 1
        return record
    }
}
