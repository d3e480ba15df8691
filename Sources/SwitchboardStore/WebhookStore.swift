import SwitchboardCore

/// Webhook subscriptions and their durable outbox.
///
/// A subscription names a URL and the event kinds it wants. Every commit of the routing journal
/// (and of im messages) writes one delivery row per matching subscription in the SAME
/// transaction as the change (`RoutingStore.commit`), so an event that happened is never lost
/// and one that was refused never leaves a row. The server's delivery worker then reads due
/// rows, POSTs them and records each attempt here; the rows double as the delivery log.
public protocol WebhookStore: Sendable {
    /// Stores a new subscription; false (nothing written) when its id is taken.
    func createWebhook(_ webhook: StoredWebhook) async throws -> Bool

    /// The subscription with this id; nil when unknown or deleted.
    func webhook(id: String) async throws -> StoredWebhook?

    /// Every subscription, oldest first.
    func webhooks() async throws -> [StoredWebhook]

    /// Replaces a subscription's URL, kinds, sealed secret and description; false when it does
    /// not exist. Commits after this one use the new kinds; pending deliveries go to the new URL.
    @discardableResult
    func updateWebhook(_ webhook: StoredWebhook) async throws -> Bool

    /// Deletes a subscription with its deliveries, pending or not; true if it existed.
    @discardableResult
    func deleteWebhook(id: String) async throws -> Bool

    /// A page of a subscription's deliveries, newest first, optionally of one status only.
    func webhookDeliveries(of subscription: String, status: WebhookDeliveryStatus?, limit: Int, offset: Int) async throws -> [WebhookDelivery]

    /// One delivery of a subscription; nil when it has no such delivery.
    func webhookDelivery(_ id: Int64, of subscription: String) async throws -> WebhookDelivery?

    /// Pending deliveries due at `now` that head their ordering key (no earlier pending delivery
    /// of the same subscription and key), oldest due first, leaving out `excluding` (the ones
    /// the worker is sending) and the deliveries of `skippingSubscriptions` (those holding their
    /// share of the worker's slots): what may be sent now without overtaking anything.
    func dueWebhookDeliveries(
        at now: Timestamp, excluding: Set<Int64>, skippingSubscriptions: Set<String>, limit: Int
    ) async throws -> [DueWebhookDelivery]

    /// Records one attempt of a pending delivery; a delivered or failed one makes the next
    /// delivery of its key due. False when it is no longer pending (deleted with its
    /// subscription meanwhile).
    @discardableResult
    func recordWebhookAttempt(_ id: Int64, _ attempt: WebhookAttempt) async throws -> Bool

    /// Sends a delivery again: a pending one heading its key is made due at `now` (one waiting
    /// behind its key's head keeps its place); a delivered or failed one is copied into a new
    /// pending delivery (same event id and body, queued after everything already pending for its
    /// key, due at `now` if nothing is). Returns the delivery that will be attempted, nil
    /// when the subscription has no such delivery.
    func redeliverWebhook(_ id: Int64, of subscription: String, at now: Timestamp) async throws -> WebhookDelivery?

    /// Deletes delivered and failed deliveries that finished before `time`; returns how many.
    @discardableResult
    func pruneWebhookDeliveries(finishedBefore time: Timestamp) async throws -> Int
}

/// What a subscription can ask for. The raw values are what the API and the delivered bodies say.
public enum WebhookEventKind: String, CaseIterable, Codable, Sendable {
    /// A session started (a customer's chat or call, an outbound call).
    case sessionCreated = "session.created"
    /// A session rang at an agent.
    case sessionOffered = "session.offered"
    /// An agent accepted a session.
    case sessionAccepted = "session.accepted"
    /// An agent transferred a session.
    case sessionTransferred = "session.transferred"
    /// A session ended; the body carries its record.
    case sessionEnded = "session.ended"
    /// An im message was stored (customer, agent or system).
    case sessionMessage = "session.message"
    /// An agent's status changed.
    case agentStatusChanged = "agent.statusChanged"
}

/// A subscription as stored: its secret sealed by the server.
public struct StoredWebhook: Equatable, Sendable {
    /// `wh_` and random letters and digits.
    public var id: String
    /// Where deliveries are POSTed (http or https).
    public var url: String
    /// The event kinds it receives, in the order they were given.
    public var kinds: [WebhookEventKind]
    /// The signing secret, sealed by the server (opaque here).
    public var sealedSecret: String
    /// What it is for, as its creator said.
    public var description: String?
    /// When it was created.
    public var createdAt: Timestamp
    /// When it was last changed.
    public var updatedAt: Timestamp
    /// Paused: its events are still queued in the outbox, in order, but none is sent until it is
    /// resumed.
    public var paused: Bool

    /// Creates a stored subscription.
    public init(
        id: String, url: String, kinds: [WebhookEventKind], sealedSecret: String, description: String?, createdAt: Timestamp,
        updatedAt: Timestamp, paused: Bool = false
    ) {
        self.id = id
        self.url = url
        self.kinds = kinds
        self.sealedSecret = sealedSecret
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.paused = paused
    }
}

/// Where a delivery stands.
public enum WebhookDeliveryStatus: String, CaseIterable, Codable, Sendable {
    /// Not yet accepted by the receiver; attempted at `nextAttemptAt`.
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every attempt for the retry period failed; no more attempts unless redelivered.
    case failed
}

/// One event for one subscription: the outbox row and its log.
public struct WebhookDelivery: Equatable, Sendable {
    /// Unique across the store, increasing in commit order.
    public var id: Int64
    /// The subscription.
    public var subscriptionId: String
    /// The event's id, the same in every attempt and every redelivery: receivers drop duplicates by it.
    public var eventId: String
    /// What happened.
    public var kind: WebhookEventKind
    /// Deliveries with the same key (a session's, or an agent's) go out in order, one at a time.
    public var orderingKey: String
    /// When it happened.
    public var occurredAt: Timestamp
    /// The event's `data` object, as JSON text.
    public var data: String
    /// Where it stands.
    public var status: WebhookDeliveryStatus
    /// Attempts made so far.
    public var attempts: Int
    /// When it was queued (the commit's time, or the redelivery's).
    public var createdAt: Timestamp
    /// When it is attempted next: pending deliveries heading their key only (the others wait
    /// for the delivery before them to finish).
    public var nextAttemptAt: Timestamp?
    /// When it was last attempted.
    public var lastAttemptAt: Timestamp?
    /// Why the last attempt failed.
    public var lastError: String?
    /// The HTTP status of the last answer, if one came.
    public var lastStatusCode: Int?
    /// When it was delivered or marked failed.
    public var finishedAt: Timestamp?
    /// The delivery this one sends again, for redeliveries.
    public var redeliveryOf: Int64?

    /// Creates a delivery.
    public init(
        id: Int64, subscriptionId: String, eventId: String, kind: WebhookEventKind, orderingKey: String, occurredAt: Timestamp, data: String,
        status: WebhookDeliveryStatus, attempts: Int, createdAt: Timestamp, nextAttemptAt: Timestamp?, lastAttemptAt: Timestamp?,
        lastError: String?, lastStatusCode: Int?, finishedAt: Timestamp?, redeliveryOf: Int64?
    ) {
        self.id = id
        self.subscriptionId = subscriptionId
        self.eventId = eventId
        self.kind = kind
        self.orderingKey = orderingKey
        self.occurredAt = occurredAt
        self.data = data
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastError = lastError
        self.lastStatusCode = lastStatusCode
        self.finishedAt = finishedAt
        self.redeliveryOf = redeliveryOf
    }
}

/// A due delivery with what the worker needs to send it: its subscription's URL and sealed secret.
public struct DueWebhookDelivery: Sendable {
    /// The delivery.
    public var delivery: WebhookDelivery
    /// Where to POST it now.
    public var url: String
    /// The subscription's sealed signing secret.
    public var sealedSecret: String

    /// Creates a due delivery.
    public init(delivery: WebhookDelivery, url: String, sealedSecret: String) {
        self.delivery = delivery
        self.url = url
        self.sealedSecret = sealedSecret
    }
}

/// The outcome of one attempt.
public enum WebhookAttempt: Sendable, Equatable {
    /// The receiver answered 2xx at `at`.
    case delivered(at: Timestamp, statusCode: Int)
    /// It failed at `at`; try again at `next`.
    case retry(at: Timestamp, error: String, statusCode: Int?, next: Timestamp)
    /// It failed at `at` and the retry period is over: no more attempts.
    case failed(at: Timestamp, error: String, statusCode: Int?)
}

extension WebhookStore {
    /// Due deliveries of every subscription.
    public func dueWebhookDeliveries(at now: Timestamp, excluding: Set<Int64>, limit: Int) async throws -> [DueWebhookDelivery] {
        try await dueWebhookDeliveries(at: now, excluding: excluding, skippingSubscriptions: [], limit: limit)
    }
}
