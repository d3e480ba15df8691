import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardStore
import Synchronization

/// The tenants a server hosts beside its primary one (`--operator-key` turns this on; see
/// docs/tenants.md). Each is a whole server of its own inside the process: its own SQLite store
/// and secrets under `<data>/tenants/<SdkAppId>/`, its own routing core, hubs, keys and
/// webhooks, and its own routes. Nothing but the listener, the static files and this registry is
/// shared, so one tenant's credentials cannot open another's data: they are checked against
/// secrets the other tenant never had.
///
/// As a service it runs the hosted tenants' routing and webhook services, those opened at start
/// and those created while the server runs.
public final class HostedTenants: Service, Sendable {
    /// One hosted tenant: its record, its server parts, and its routes.
    struct Tenant: Sendable {
        let record: TenantRecord
        let components: ServerComponents
        let responder: RouterResponder<ServerRequestContext>
    }

    /// The primary tenant's SdkAppId (its data is the data directory itself).
    let primary: Int64
    private let primaryConfiguration: ServerConfiguration
    private let shared: ServerComponents.SharedLimits
    private let layout: TenantLayout
    private let logger: Logger
    private let tenants = Mutex<[Int64: Tenant]>([:])
    /// SdkAppIds being created now, so two requests cannot create one tenant twice.
    private let creating = Mutex<Set<Int64>>([])
    /// Tenants whose services the `run` loop has to start.
    private let opened: AsyncStream<ServerComponents>
    private let openedContinuation: AsyncStream<ServerComponents>.Continuation
    /// Where a TCCC key pair's SecretId was last found, so a signed request need not ask every
    /// tenant's store again. The tenant still checks the key itself.
    private let secretIdOwners = Mutex<[String: Int64]>([:])

    private init(primary configuration: ServerConfiguration, shared: ServerComponents.SharedLimits, logger: Logger) {
        primary = configuration.sdkAppId
        primaryConfiguration = configuration
        self.shared = shared
        layout = TenantLayout(primaryDataDirectory: configuration.dataDirectory)
        self.logger = logger
        (opened, openedContinuation) = AsyncStream.makeStream(of: ServerComponents.self)
    }

    /// Opens every tenant created earlier. A tenant that cannot be opened stops the start: its
    /// agents and customers would otherwise meet a server that says it does not exist.
    static func open(primary configuration: ServerConfiguration, shared: ServerComponents.SharedLimits, logger: Logger) async throws -> HostedTenants {
        let hosted = HostedTenants(primary: configuration, shared: shared, logger: logger)
        let records = try hosted.layout.records { problem in logger.warning("skipping a tenant directory", metadata: ["why": "\(problem)"]) }
        for record in records {
            guard record.sdkAppId != configuration.sdkAppId else {
                throw ConfigurationError("\(hosted.layout.directory(of: record.sdkAppId).path) holds a tenant with the primary tenant's SdkAppId \(record.sdkAppId): start with another --sdk-app-id, or move it away")
            }
            let tenant = try await hosted.openTenant(record)
            guard hosted.start(tenant) else { throw ConfigurationError("the server is stopping") }
        }
        return hosted
    }

    /// The configuration a hosted tenant runs with: the primary's settings, its own directory
    /// and secrets, and no phone channel (the SIP listener belongs to the primary tenant).
    private func configuration(of sdkAppId: Int64) -> ServerConfiguration {
        var configuration = primaryConfiguration
        configuration.dataDirectory = layout.directory(of: sdkAppId).path
        configuration.sdkAppId = sdkAppId
        configuration.adminAPIKey = nil
        configuration.signingSecret = nil
        configuration.operatorKey = nil
        configuration.isHostedTenant = true
        configuration.phone = nil
        configuration.createDemoTenant = false
        return configuration
    }

    private func openTenant(_ record: TenantRecord) async throws -> Tenant {
        let configuration = configuration(of: record.sdkAppId)
        try DataDirectory.prepare(configuration.dataDirectory, logger: logger)
        let store = try SQLiteRoutingStore(path: configuration.databasePath)
        var logger = logger
        logger[metadataKey: "sdkAppId"] = "\(record.sdkAppId)"
        let components: ServerComponents
        do {
            components = try await ServerComponents.make(configuration: configuration, store: store, logger: logger, shared: shared)
        } catch {
            try? await store.close()
            throw error
        }
        return Tenant(
            record: record, components: components,
            responder: SwitchboardApplication.makeTenantRouter(server: components).buildResponder())
    }

    /// Makes an opened tenant reachable and starts its services; false when the server is
    /// already stopping (its services would never run).
    private func start(_ tenant: Tenant) -> Bool {
        guard case .enqueued = openedContinuation.yield(tenant.components) else { return false }
        tenants.withLock { $0[tenant.record.sdkAppId] = tenant }
        return true
    }

    /// Creates a tenant: its directory, store and secrets, then its record, which makes it exist,
    /// and only then starts it. Returns it with its admin API key, which is shown this once (it
    /// stays in the tenant's `secrets.json`). A creation that fails leaves nothing running and
    /// nothing the next start would open.
    func create(sdkAppId: Int64, name: String, now: Timestamp = .now()) async throws(APIError) -> (TenantRecord, adminAPIKey: String) {
        try TenantRecord.validate(sdkAppId: sdkAppId, name: name)
        let exists = APIError(.conflict, code: "tenantExists", "a tenant with SdkAppId \(sdkAppId) exists already on this server; nothing changed")
        guard sdkAppId != primary, creating.withLock({ $0.insert(sdkAppId).inserted }) else { throw exists }
        defer { _ = creating.withLock { $0.remove(sdkAppId) } }
        // Checked again once this request holds the id: another may have finished just before.
        guard tenant(sdkAppId) == nil else { throw exists }
        let record = TenantRecord(sdkAppId: sdkAppId, name: name, createdAt: now.milliseconds)
        let directory = layout.directory(of: sdkAppId)
        var opened: Tenant?
        do {
            // A directory without a record is a creation cut short, or one whose record was lost:
            // kept aside, never deleted, in case it holds anything.
            if FileManager.default.fileExists(atPath: directory.path) {
                let aside = layout.root.appendingPathComponent(".abandoned-\(sdkAppId)-\(now.milliseconds)", isDirectory: true)
                try FileManager.default.moveItem(at: directory, to: aside)
                logger.warning("an unfinished tenant directory was moved aside", metadata: ["from": "\(directory.path)", "to": "\(aside.path)"])
            }
            let tenant = try await openTenant(record)
            opened = tenant
            try layout.write(record)
            guard start(tenant) else { throw ConfigurationError("the server is stopping") }
            logger.notice("tenant created", metadata: ["sdkAppId": "\(sdkAppId)", "name": "\(name)"])
            return (record, tenant.components.secrets.adminAPIKey)
        } catch {
            // Nothing of it runs yet: close its store and take the directory away, record and all.
            if let opened { try? await opened.components.store.close() }
            try? FileManager.default.removeItem(at: directory)
            logger.error("could not create a tenant", metadata: ["sdkAppId": "\(sdkAppId)", "error": "\(error)"])
            throw APIError(.serviceUnavailable, code: "unavailable", "could not create the tenant (\(error)); nothing was created, try again")
        }
    }

    /// A hosted tenant by SdkAppId.
    func tenant(_ sdkAppId: Int64) -> Tenant? { tenants.withLock { $0[sdkAppId] } }

    /// Every hosted tenant's record, in SdkAppId order.
    public var records: [TenantRecord] { tenants.withLock { $0.values.map(\.record) }.sorted { $0.sdkAppId < $1.sdkAppId } }

    /// The hosted tenant whose admin API key this is.
    func tenant(withAdminKey key: String) -> Tenant? {
        tenants.withLock { $0.values.first { constantTimeEquals($0.components.secrets.adminAPIKey, key) } }
    }

    /// The hosted tenant that holds a TCCC key pair; nil when none does (the primary then answers
    /// for it, and refuses an unknown key as it always has).
    func tenant(withSecretId secretId: String) async -> Tenant? {
        if let owner = secretIdOwners.withLock({ $0[secretId] }), let tenant = tenant(owner) { return tenant }
        for tenant in tenants.withLock({ Array($0.values) }) {
            guard (try? await tenant.components.store.apiKey(secretId: secretId)) != nil else { continue }
            secretIdOwners.withLock { owners in
                // Only SecretIds that exist are remembered, so the map stays as small as the keys.
                if owners.count > 10_000 { owners.removeAll() }
                owners[secretId] = tenant.record.sdkAppId
            }
            return tenant
        }
        return nil
    }

    /// Runs each hosted tenant's routing and webhook services until the server shuts down; they
    /// see the graceful shutdown themselves and finish their work as the primary's do.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                self.openedContinuation.finish()
            }
            for await components in opened {
                group.addTask {
                    do { try await components.routing.run() } catch {
                        components.logger.error("a tenant's routing stopped", metadata: ["error": "\(error)"])
                    }
                }
                group.addTask { try? await components.webhookDelivery.run() }
                group.addTask { try? await components.overload.run() }
            }
        }
    }
}
