extension Dictionary {
    /// The value of a key the caller knows is present, read and changed where it is stored.
    ///
    /// `dictionary[key]!.field = x` moves the whole value out of the table into an optional and
    /// back again around the change; for an agent or a session (a few hundred bytes) that was two
    /// memory copies per field set, the largest single cost of a routing decision. This changes
    /// the value in place: one lookup, no copies. A missing key is a programming error, as the
    /// force unwrap it replaces was.
    subscript(existing key: Key) -> Value {
        get {
            guard let index = index(forKey: key) else { preconditionFailure("no value for \(key)") }
            return values[index]
        }
        _modify {
            guard let index = index(forKey: key) else { preconditionFailure("no value for \(key)") }
            yield &values[index]
        }
    }
}

extension Dictionary {
    /// Runs `body` on the stored value of `key` where it is stored; nil when the key is absent.
    ///
    /// How the hot paths read a few fields of an agent or a session: a plain read
    /// (`dictionary[key]!.field`, `values[index].field`) copies the whole value out first (a few
    /// hundred bytes and every reference in it counted up and down), an access through here does
    /// not. `body` must not reach the dictionary's owner (exclusive access): take what it needs
    /// out of the value and do the rest afterwards.
    mutating func withExisting<Result>(_ key: Key, _ body: (inout Value) -> Result) -> Result? {
        guard let index = index(forKey: key) else { return nil }
        return body(&values[index])
    }
}
