/// Range checks shared by every backend, so a bad page request fails the same way everywhere
/// instead of being silently clamped.
enum QueryLimits {
    /// The largest page any list returns.
    static let maximumLimit = 500

    static func checkLimit(_ limit: Int, _ what: String) throws(StoreError) {
        if !(1...maximumLimit).contains(limit) {
            throw StoreError(.invalidQuery, "\(what): limit must be 1 to \(maximumLimit), not \(limit)")
        }
    }
}

extension MessagePageQuery {
    /// Checks the limit and paging ids before any database work.
    public func validate() throws(StoreError) {
        try QueryLimits.checkLimit(limit, "messages")
        if let beforeId, beforeId < 1 {
            throw StoreError(.invalidQuery, "messages: beforeId must be a message id (1 or more), not \(beforeId)")
        }
        if let afterId, afterId < 0 {
            throw StoreError(.invalidQuery, "messages: afterId must not be negative, not \(afterId)")
        }
    }
}

extension SessionListQuery {
    /// Checks the limit and offset before any database work.
    public func validate() throws(StoreError) {
        try QueryLimits.checkLimit(limit, "sessions")
        if offset < 0 {
            throw StoreError(.invalidQuery, "sessions: offset must not be negative, not \(offset)")
        }
        if let containing, containing.isEmpty || containing.count > Self.maximumSearchLength {
            throw StoreError(.invalidQuery, "sessions: the search text must be 1 to \(Self.maximumSearchLength) characters, not \(containing.count)")
        }
    }
}
