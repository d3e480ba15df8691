import DequeModule

/// One skill group's waiting sessions, in order: priority (higher first), then arrival.
///
/// Entries are removed lazily: a session that leaves the queue (offered, ended) leaves a stale entry
/// behind, recognised by its ticket, and skipped or compacted later. This keeps every change O(1)
/// or O(log n) amortised, which matters with 100,000 waiting sessions.
struct SessionQueue: Sendable {
    struct Entry: Sendable {
        var session: SessionID
        var arrival: UInt64
        var ticket: UInt64
    }

    /// One FIFO per priority, each sorted by arrival.
    private(set) var levels: [Int: Deque<Entry>] = [:]
    /// The priorities present, highest first.
    private(set) var priorities: [Int] = []
    /// Entries held, stale ones included.
    private(set) var storedEntries = 0

    /// Adds an entry in arrival order within its priority.
    mutating func insert(_ entry: Entry, priority: Int) {
        if levels[priority] == nil {
            levels[priority] = []
            let index = priorities.firstIndex(where: { $0 < priority }) ?? priorities.endIndex
            priorities.insert(priority, at: index)
        }
        storedEntries += 1
        // New arrivals are the latest: append. Returning sessions keep their turn: binary search.
        if let last = levels[priority]!.last, last.arrival > entry.arrival {
            var low = 0
            var high = levels[priority]!.count
            while low < high {
                let mid = (low + high) / 2
                if levels[priority]![mid].arrival < entry.arrival { low = mid + 1 } else { high = mid }
            }
            levels[priority]!.insert(entry, at: low)
        } else {
            levels[priority]!.append(entry)
        }
    }

    /// Drops the stale entries at the head of each priority: offered sessions leave from the head,
    /// so this keeps a scan from walking over them again (amortised O(1) per session).
    mutating func dropStaleHead(isLive: (Entry) -> Bool) {
        for priority in priorities {
            while let first = levels[priority]!.first, !isLive(first) {
                levels[priority]!.removeFirst()
                storedEntries -= 1
            }
        }
    }

    /// Drops stale entries, as judged by `isLive`, when they make up most of the queue.
    mutating func compact(liveCount: Int, isLive: (Entry) -> Bool) {
        guard storedEntries > 2 * liveCount + 64 else { return }
        storedEntries = 0
        for priority in priorities {
            levels[priority]!.removeAll(where: { !isLive($0) })
            storedEntries += levels[priority]!.count
        }
        priorities.removeAll(where: { levels[$0]!.isEmpty })
        levels = levels.filter { !$0.value.isEmpty }
    }
}
