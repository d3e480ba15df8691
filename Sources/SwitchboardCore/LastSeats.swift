import DequeModule

/// Who last served each customer, for skill groups with `usingLastSeat`: a returning customer is
/// offered first to that agent.
///
/// Bounded: it keeps the ``defaultCapacity`` customers served most recently and forgets the least
/// recently served first, so a busy centre's memory stays flat (100,000 entries is a few MB). It is
/// part of the core's state and of its snapshot, so a restarted server remembers the same agents.
public struct LastSeats: Codable, Equatable, Sendable {
    /// How many customers are remembered unless told otherwise.
    public static let defaultCapacity = 100_000

    struct Entry: Codable, Equatable, Sendable {
        var customer: String
        var agent: AgentID
        /// When it was remembered, in the order of remembering; the lowest is forgotten first.
        var sequence: UInt64
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var nextSequence: UInt64 = 1
    /// Customers in the order they were remembered, with stale pairs (remembered again since, or
    /// forgotten) skipped when met: forgetting the oldest is amortised O(1).
    private var order: Deque<(customer: String, sequence: UInt64)> = []

    /// An empty memory of at most `capacity` customers.
    init(capacity: Int = Self.defaultCapacity) {
        self.capacity = capacity
    }

    /// How many customers are remembered.
    public var count: Int { entries.count }

    /// The agent who last served `customer`, if remembered.
    public func agent(for customer: String) -> AgentID? { entries[customer]?.agent }

    /// Remembers that `agent` served `customer` now, forgetting the least recently served beyond
    /// the capacity.
    mutating func remember(_ agent: AgentID, for customer: String) {
        entries[customer] = Entry(customer: customer, agent: agent, sequence: nextSequence)
        order.append((customer, nextSequence))
        nextSequence += 1
        while entries.count > capacity, let oldest = order.popFirst() {
            if entries[oldest.customer]?.sequence == oldest.sequence { entries[oldest.customer] = nil }
        }
        compactIfMostlyStale()
    }

    /// Forgets every customer `agent` served (the agent was removed).
    mutating func forget(_ agent: AgentID) {
        entries = entries.filter { $0.value.agent != agent }
        compactIfMostlyStale()
    }

    private mutating func compactIfMostlyStale() {
        guard order.count > 2 * entries.count + 64 else { return }
        let entries = self.entries
        order = Deque(order.filter { entries[$0.customer]?.sequence == $0.sequence })
    }

    // The order is derived from the sequences, so it is neither saved nor compared.

    private enum CodingKeys: String, CodingKey { case entries, nextSequence }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let list = try container.decode([Entry].self, forKey: .entries)
        capacity = Self.defaultCapacity
        nextSequence = try container.decode(UInt64.self, forKey: .nextSequence)
        entries = Dictionary(list.map { ($0.customer, $0) }, uniquingKeysWith: { $0.sequence > $1.sequence ? $0 : $1 })
        order = Deque(entries.values.sorted { $0.sequence < $1.sequence }.map { ($0.customer, $0.sequence) })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries.values.sorted { $0.sequence < $1.sequence }, forKey: .entries)
        try container.encode(nextSequence, forKey: .nextSequence)
    }

    public static func == (lhs: LastSeats, rhs: LastSeats) -> Bool {
        lhs.entries == rhs.entries && lhs.nextSequence == rhs.nextSequence
    }
}

/// Who a customer is across sessions, by the value that identifies them: what `usingLastSeat`
/// remembers, and what the workbench's customer panel lists earlier sessions by.
public enum ReturningCustomer: Sendable, Hashable {
    /// A phone call's customer number: the caller's of an inbound call, the dialled one of an outbound.
    case phoneNumber(String)
    /// The site's own user id (`ChatStart.userId`) of an im, voip or video session.
    case userId(String)
    /// The page's `clientData`, for a session that gave no user id.
    case clientData(String)

    /// Who the customer of a session of `type` is (see `Session.returningCustomer`); also for
    /// a stored record, which keeps the same three fields.
    public static func of(type: SessionType, direction: CallDirection?, customer: CustomerDetails) -> ReturningCustomer? {
        switch type {
        case .internal:
            return nil
        case .phone:
            let number = direction == .outbound ? customer.calleePhoneNumber : customer.callerPhoneNumber
            // "anonymous", "unknown" and empty caller ids identify nobody.
            guard let number, number.contains(where: { $0.isASCII && $0.isNumber }) else { return nil }
            return .phoneNumber(number)
        case .im, .voip, .video:
            if let userId = customer.userId, !userId.isEmpty { return .userId(userId) }
            if let clientData = customer.clientData, !clientData.isEmpty { return .clientData(clientData) }
            return nil
        }
    }
}

extension Session {
    /// Who the customer is across sessions, for `usingLastSeat`: the caller's number of a phone
    /// call (the dialled number of an outbound one), else the site's `userId`, else its
    /// `clientData`. Nil when the customer gave nothing that identifies them, and for internal calls.
    public var returningCustomer: ReturningCustomer? {
        ReturningCustomer.of(type: type, direction: direction, customer: customer)
    }

    /// `returningCustomer` as the key `LastSeats` remembers.
    public var returningCustomerKey: String? {
        switch returningCustomer {
        case .phoneNumber(let number): "phone:" + Self.bounded(number)
        case .userId(let userId): "user:" + Self.bounded(userId)
        case .clientData(let clientData): "data:" + Self.bounded(clientData)
        case nil: nil
        }
    }

    /// Long identities (clientData may hold kilobytes) are kept as a 64-bit FNV-1a digest: the
    /// memory holds 100,000 of them, and the digest is the same in every process (unlike `Hasher`).
    static func bounded(_ identity: String) -> String {
        guard identity.utf8.count > 128 else { return identity }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "#" + String(hash, radix: 16)
    }
}
