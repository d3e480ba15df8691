import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchboardPostgres
import SwitchboardServer
import SwitchboardStore

/// The `switchboard` command: the contact-centre server and its tools.
@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Switchboard: a self-hosted omnichannel contact centre.",
        subcommands: [Serve.self, LoadTestCommand.self, AgentCommand.self, ReportsCommand.self],
        defaultSubcommand: Serve.self)
}

/// Reads a `SWITCHBOARD_*` environment variable; flags win over it, it wins over the default.
func environment(_ name: String) -> String? {
    ProcessInfo.processInfo.environment["SWITCHBOARD_\(name)"].flatMap { $0.isEmpty ? nil : $0 }
}

/// `switchboard serve`: runs the routing server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the routing server (HTTP, WebSocket, admin API) with its embedded SQLite store.",
        discussion: """
            Every option can also be set with the environment variable named after it, e.g. \
            SWITCHBOARD_PORT=9000 or SWITCHBOARD_DATA_DIR=/var/lib/switchboard. A flag wins over \
            the variable. On first start the data directory gets the database, secrets.json (the \
            admin API key and the signing secret) and, unless --no-demo, a demo tenant whose \
            agent logins and supervisor sign-in are printed and kept in demo-credentials.txt.
            """)

    @Option(help: "Address to listen on (SWITCHBOARD_HOST).")
    var host: String = environment("HOST") ?? "127.0.0.1"

    @Option(help: "TCP port; 0 picks a free one (SWITCHBOARD_PORT).")
    var port: String = environment("PORT") ?? "8080"

    @Option(name: .customLong("data-dir"), help: "Directory for the database and secrets (SWITCHBOARD_DATA_DIR).")
    var dataDirectory: String = environment("DATA_DIR") ?? "./data"

    @Option(name: .customLong("database-url"), help: "Keep the store in PostgreSQL instead of the data directory's SQLite file: postgres://user:password@host:port/database?sslmode=disable|prefer|require (SWITCHBOARD_DATABASE_URL).")
    var databaseURL: String? = environment("DATABASE_URL")

    @Option(name: .customLong("database-password-file"), help: "A file holding the PostgreSQL password, when the URL has none (SWITCHBOARD_DATABASE_PASSWORD_FILE; or the password itself in SWITCHBOARD_DATABASE_PASSWORD).")
    var databasePasswordFile: String? = environment("DATABASE_PASSWORD_FILE")

    @Option(name: .customLong("advertise-url"), help: "With --database-url: the URL clients and the other nodes reach this node at, shown by standbys as the leader's address (SWITCHBOARD_ADVERTISE_URL).")
    var advertiseURL: String? = environment("ADVERTISE_URL")

    @Option(name: .customLong("leader-lease-ms"), help: "With --database-url: how long the routing leader's lease runs without renewal, 500 to 60000 ms; a standby takes over this long after the leader stops renewing (SWITCHBOARD_LEADER_LEASE_MS).")
    var leaderLease: String = environment("LEADER_LEASE_MS") ?? "3000"

    @Option(name: .customLong("api-key"), help: "Admin API key, at least 16 characters; generated when absent (SWITCHBOARD_API_KEY).")
    var apiKey: String? = environment("API_KEY")

    @Option(name: .customLong("signing-secret"), help: "Secret for agent tokens and customer links, at least 32 characters; generated when absent (SWITCHBOARD_SIGNING_SECRET).")
    var signingSecret: String? = environment("SIGNING_SECRET")

    @Option(name: .customLong("metrics-token"), help: "Bearer token /metrics requires, at least 16 characters; without it /metrics is open (SWITCHBOARD_METRICS_TOKEN).")
    var metricsToken: String? = environment("METRICS_TOKEN")

    @Option(name: .customLong("token-lifetime"), help: "Seconds an issued agent token lives, 60 to 86400 (SWITCHBOARD_TOKEN_LIFETIME).")
    var tokenLifetime: String = environment("TOKEN_LIFETIME") ?? "3600"

    @Option(name: .customLong("sdk-app-id"), help: "The tenant's TCCC SdkAppId: the TCCC server API answers requests naming it and no other (SWITCHBOARD_SDK_APP_ID). With --operator-key, the primary tenant's.")
    var sdkAppId: String = environment("SDK_APP_ID") ?? "1400000000"

    @Option(name: .customLong("operator-key"), help: "Host several tenants: the key of /api/operator/tenants, which creates tenants beside the primary one, each with its own SdkAppId, agents, groups and keys, at least 16 characters (SWITCHBOARD_OPERATOR_KEY). SQLite only; see docs/tenants.md.")
    var operatorKey: String? = environment("OPERATOR_KEY")

    @Option(name: .customLong("public-url"), help: "The server's address as browsers reach it, e.g. https://switchboard.example.com, for the SdkURL that CreateSDKLoginToken returns; by default the address the API request came to (SWITCHBOARD_PUBLIC_URL).")
    var publicURL: String? = environment("PUBLIC_URL")

    @Option(name: .customLong("max-frame-size"), help: "Largest WebSocket frame or request body in bytes (SWITCHBOARD_MAX_FRAME_SIZE).")
    var maximumFrameSize: String = environment("MAX_FRAME_SIZE") ?? "65536"

    @Option(name: .customLong("report-time-zone"), help: "The tenant's IANA time zone: where today starts for live metrics, and reports' default (SWITCHBOARD_REPORT_TIME_ZONE).")
    var reportTimeZone: String = environment("REPORT_TIME_ZONE") ?? "UTC"
    @Option(name: .customLong("snapshot-interval"), help: "Journal entries between snapshots (SWITCHBOARD_SNAPSHOT_INTERVAL).")
    var snapshotInterval: String = environment("SNAPSHOT_INTERVAL") ?? "5000"

    @Option(name: .customLong("public-dir"), help: "Directory of the browser SDK and pages to serve (SWITCHBOARD_PUBLIC_DIR); defaults to ./Public when it exists.")
    var publicDirectory: String? = environment("PUBLIC_DIR")

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (SWITCHBOARD_LOG_LEVEL).")
    var logLevel: String = environment("LOG_LEVEL") ?? "info"

    @Option(name: .customLong("allowed-origins"), help: "Comma-separated web origins allowed to use the APIs and sockets from a browser, or * for all (SWITCHBOARD_ALLOWED_ORIGINS).")
    var allowedOrigins: String = environment("ALLOWED_ORIGINS") ?? "*"

    @Option(name: .customLong("max-connections-per-address"), help: "Open WebSocket connections allowed from one address, 0 for no limit (SWITCHBOARD_MAX_CONNECTIONS_PER_ADDRESS).")
    var maxConnectionsPerAddress: String = environment("MAX_CONNECTIONS_PER_ADDRESS") ?? "1000"

    @Option(name: .customLong("login-concurrency"), help: "bcrypt password checks run at once, on threads of their own, 1 to 64 (SWITCHBOARD_LOGIN_CONCURRENCY).")
    var loginConcurrency: String = environment("LOGIN_CONCURRENCY") ?? "2"

    @Option(name: .customLong("login-queue"), help: "Password checks that may wait for a thread; more are refused with 'too many logins in progress' (SWITCHBOARD_LOGIN_QUEUE).")
    var loginQueue: String = environment("LOGIN_QUEUE") ?? "32"

    @Option(name: .customLong("login-delay-after"), help: "Failed logins of one user id within 15 minutes after which each try waits 1 s, 2 s, 4 s ... up to 60 s (SWITCHBOARD_LOGIN_DELAY_AFTER).")
    var loginDelayAfter: String = environment("LOGIN_DELAY_AFTER") ?? "5"

    @Option(name: .customLong("login-lock-after"), help: "Failed logins of one user id that lock its password logins until an admin unlocks them; 0 never locks (SWITCHBOARD_LOGIN_LOCK_AFTER).")
    var loginLockAfter: String = environment("LOGIN_LOCK_AFTER") ?? "20"

    @Option(name: .customLong("login-address-delay-after"), help: "Failed logins from one client address within 15 minutes after which its tries wait the same way (SWITCHBOARD_LOGIN_ADDRESS_DELAY_AFTER).")
    var loginAddressDelayAfter: String = environment("LOGIN_ADDRESS_DELAY_AFTER") ?? "20"

    @Option(name: .customLong("login-session-lifetime"), help: "Seconds a password login lasts while the agent is away; renewed while connected, 60 to 2592000 (SWITCHBOARD_LOGIN_SESSION_LIFETIME).")
    var loginSessionLifetime: String = environment("LOGIN_SESSION_LIFETIME") ?? "43200"

    @Option(name: .customLong("customer-starts-per-address"), help: "Chats and calls one client address may start a minute (in bursts of the same), 0 for no limit (SWITCHBOARD_CUSTOMER_STARTS_PER_ADDRESS).")
    var customerStartsPerAddress: String = environment("CUSTOMER_STARTS_PER_ADDRESS") ?? "60"

    @Option(name: .customLong("customer-starts-per-second"), help: "Chats and calls all customers together may start a second, 0 for no limit (SWITCHBOARD_CUSTOMER_STARTS_PER_SECOND).")
    var customerStartsPerSecond: String = environment("CUSTOMER_STARTS_PER_SECOND") ?? "1000"

    @Option(name: .customLong("overload-lag-limit"), help: "Milliseconds the server may run late (one probe, or the moving average) before it turns new customers away with 'serverBusy' so the ones it serves keep their latency; 0 never sheds (SWITCHBOARD_OVERLOAD_LAG_LIMIT).")
    var overloadLagLimit: String = environment("OVERLOAD_LAG_LIMIT") ?? "250"

    @Option(name: .customLong("memory-trim-interval"), help: "Seconds between passes that give memory the allocator holds free back to the system, 0 never (SWITCHBOARD_MEMORY_TRIM_INTERVAL).")
    var memoryTrimInterval: String = environment("MEMORY_TRIM_INTERVAL") ?? "30"

    @Option(name: .customLong("request-head-timeout"), help: "Seconds a new connection has to send its first request's head before it is closed, 1 to 600 (SWITCHBOARD_REQUEST_HEAD_TIMEOUT).")
    var requestHeadTimeout: String = environment("REQUEST_HEAD_TIMEOUT") ?? "30"

    @Option(name: .customLong("http-idle-timeout"), help: "Seconds a kept-alive HTTP connection may wait for its next request before it is closed, 1 to 3600 (SWITCHBOARD_HTTP_IDLE_TIMEOUT).")
    var httpIdleTimeout: String = environment("HTTP_IDLE_TIMEOUT") ?? "60"

    @Option(name: .customLong("customer-messages-per-minute"), help: "Messages a chat's customer may send a minute on average (10 at once), 0 for no limit (SWITCHBOARD_CUSTOMER_MESSAGES_PER_MINUTE).")
    var customerMessagesPerMinute: String = environment("CUSTOMER_MESSAGES_PER_MINUTE") ?? "60"

    @Option(name: .customLong("customer-secret-lifetime"), help: "Seconds a customer's session secret keeps working after the session ended, 60 to 31622400 (SWITCHBOARD_CUSTOMER_SECRET_LIFETIME).")
    var customerSecretLifetime: String = environment("CUSTOMER_SECRET_LIFETIME") ?? "86400"

    @Option(name: .customLong("attachment-max-bytes"), help: "Largest file customers and agents may send in a chat, 1024 to 67108864 bytes (SWITCHBOARD_ATTACHMENT_MAX_BYTES).")
    var attachmentMaxBytes: String = environment("ATTACHMENT_MAX_BYTES") ?? String(AttachmentPolicy().maximumBytes)

    @Option(name: .customLong("attachment-types"), help: "Comma-separated media types that may be sent in a chat; pictures, PDF, text, CSV, zip and office documents by default, never HTML or SVG (SWITCHBOARD_ATTACHMENT_TYPES).")
    var attachmentTypes: String = environment("ATTACHMENT_TYPES") ?? AttachmentPolicy.defaultContentTypes.joined(separator: ",")

    @Option(name: .customLong("trusted-proxies"), help: "Comma-separated addresses or CIDR blocks of reverse proxies whose Forwarded / X-Forwarded-For headers give the client's address; none by default (SWITCHBOARD_TRUSTED_PROXIES).")
    var trustedProxies: String = environment("TRUSTED_PROXIES") ?? ""

    @Option(name: .customLong("supervisor-idle-timeout"), help: "Seconds a supervisor's sign-in may go unused before it ends, 60 to 86400 (SWITCHBOARD_SUPERVISOR_IDLE_TIMEOUT).")
    var supervisorIdleTimeout: String = environment("SUPERVISOR_IDLE_TIMEOUT") ?? "1800"

    @Option(name: .customLong("supervisor-session-lifetime"), help: "Seconds a supervisor's sign-in lasts however much it is used, 300 to 2592000 (SWITCHBOARD_SUPERVISOR_SESSION_LIFETIME).")
    var supervisorSessionLifetime: String = environment("SUPERVISOR_SESSION_LIFETIME") ?? "43200"

    @Flag(name: .customLong("secure-cookies"), help: "Mark the supervisor sign-in cookie Secure even though the server speaks plain HTTP: for a reverse proxy that ends TLS in front of it (SWITCHBOARD_SECURE_COOKIES=1). With --tls-cert it is always Secure.")
    var secureCookies: Bool = environment("SECURE_COOKIES").map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false

    @Option(name: .customLong("tls-cert"), help: "PEM file with the server certificate (and its chain); with --tls-key the server speaks HTTPS and WSS (SWITCHBOARD_TLS_CERT).")
    var tlsCertificate: String? = environment("TLS_CERT")

    @Option(name: .customLong("tls-key"), help: "PEM file with the certificate's unencrypted private key (SWITCHBOARD_TLS_KEY).")
    var tlsKey: String? = environment("TLS_KEY")

    @Option(name: .customLong("ice-servers"), help: "Comma-separated stun:/turn: URLs handed to both sides of a call, e.g. stun:stun.example.com,turn:turn.example.com:3478 (SWITCHBOARD_ICE_SERVERS).")
    var iceServers: String = environment("ICE_SERVERS") ?? ""

    @Option(name: .customLong("turn-secret"), help: "coturn's static-auth-secret: TURN logins are minted per call participant and last a day (SWITCHBOARD_TURN_SECRET).")
    var turnSecret: String? = environment("TURN_SECRET")

    @Option(name: .customLong("turn-username"), help: "A fixed TURN user name, with --turn-password (SWITCHBOARD_TURN_USERNAME).")
    var turnUsername: String? = environment("TURN_USERNAME")

    @Option(name: .customLong("turn-password"), help: "A fixed TURN password, with --turn-username (SWITCHBOARD_TURN_PASSWORD).")
    var turnPassword: String? = environment("TURN_PASSWORD")

    @OptionGroup(title: "Phone calls (a SIP trunk; off unless --sip-listen is given)")
    var phone: PhoneOptions

    @OptionGroup(title: "Webhooks (subscriptions are made through /api/v1/webhooks)")
    var webhooks: WebhookOptions

    @Flag(name: .customLong("echo-endpoint"), help: "Serve /ws/echo for `switchboard loadtest`'s floor measurement (SWITCHBOARD_ECHO_ENDPOINT=1).")
    var echoEndpoint: Bool = environment("ECHO_ENDPOINT").map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false

    @Flag(name: .customLong("stop-when-stdin-closes"), help: .hidden)
    var stopWhenStdinCloses = false

    @Flag(name: .customLong("no-demo"), help: "Do not create the demo tenant on first start (SWITCHBOARD_NO_DEMO=1).")
    var noDemo: Bool = environment("NO_DEMO").map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false

    /// Turns the options into a checked configuration, naming the option that is wrong.
    func makeConfiguration() throws -> ServerConfiguration {
        func integer(_ text: String, _ option: String) throws -> Int {
            guard let value = Int(text) else { throw ValidationError("--\(option) must be a whole number, not '\(text)'") }
            return value
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = try integer(port, "port")
        configuration.dataDirectory = dataDirectory
        configuration.adminAPIKey = apiKey
        configuration.signingSecret = signingSecret
        configuration.metricsToken = metricsToken
        configuration.tokenLifetimeSeconds = try integer(tokenLifetime, "token-lifetime")
        guard let tenant = Int64(sdkAppId) else { throw ValidationError("--sdk-app-id must be a whole number, not '\(sdkAppId)'") }
        configuration.sdkAppId = tenant
        configuration.operatorKey = operatorKey
        configuration.publicURL = publicURL
        configuration.maximumFrameSize = try integer(maximumFrameSize, "max-frame-size")
        configuration.snapshotInterval = try integer(snapshotInterval, "snapshot-interval")
        configuration.reportTimeZone = reportTimeZone
        configuration.createDemoTenant = !noDemo
        configuration.enableEchoEndpoint = echoEndpoint
        configuration.maxConnectionsPerAddress = try integer(maxConnectionsPerAddress, "max-connections-per-address")
        configuration.logins.concurrentChecks = try integer(loginConcurrency, "login-concurrency")
        configuration.logins.waitingChecks = try integer(loginQueue, "login-queue")
        configuration.logins.accountDelayAfter = try integer(loginDelayAfter, "login-delay-after")
        configuration.logins.accountLockAfter = try integer(loginLockAfter, "login-lock-after")
        configuration.logins.addressDelayAfter = try integer(loginAddressDelayAfter, "login-address-delay-after")
        configuration.logins.sessionLifetimeSeconds = try integer(loginSessionLifetime, "login-session-lifetime")
        configuration.customers.startsPerAddressPerMinute = try integer(customerStartsPerAddress, "customer-starts-per-address")
        configuration.customers.startsPerSecond = try integer(customerStartsPerSecond, "customer-starts-per-second")
        configuration.customers.messagesPerMinute = try integer(customerMessagesPerMinute, "customer-messages-per-minute")
        configuration.overloadLagLimitMilliseconds = try integer(overloadLagLimit, "overload-lag-limit")
        configuration.memoryTrimIntervalSeconds = try integer(memoryTrimInterval, "memory-trim-interval")
        configuration.requestHeadTimeoutSeconds = try integer(requestHeadTimeout, "request-head-timeout")
        configuration.httpIdleTimeoutSeconds = try integer(httpIdleTimeout, "http-idle-timeout")
        configuration.customers.secretLifetimeSeconds = try integer(customerSecretLifetime, "customer-secret-lifetime")
        configuration.attachments.maximumBytes = try integer(attachmentMaxBytes, "attachment-max-bytes")
        configuration.attachments.contentTypes = attachmentTypes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        configuration.trustedProxies = trustedProxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        configuration.supervisorSessions.idleTimeoutSeconds = try integer(supervisorIdleTimeout, "supervisor-idle-timeout")
        configuration.supervisorSessions.lifetimeSeconds = try integer(supervisorSessionLifetime, "supervisor-session-lifetime")
        if secureCookies { configuration.supervisorSessions.secureCookie = true }
        configuration.tlsCertificatePath = tlsCertificate
        configuration.tlsKeyPath = tlsKey
        configuration.ice.urls = IceConfiguration.parseURLs(iceServers)
        configuration.ice.turnSecret = turnSecret
        configuration.ice.turnUsername = turnUsername
        configuration.ice.turnPassword = turnPassword
        configuration.allowedOrigins = allowedOrigins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(logLevel)'")
        }
        configuration.logLevel = level
        configuration.phone = try phone.makeConfiguration()
        configuration.webhooks = try webhooks.makeConfiguration()
        if let publicDirectory {
            guard FileManager.default.fileExists(atPath: publicDirectory) else {
                throw ValidationError("--public-dir '\(publicDirectory)' does not exist")
            }
            configuration.publicDirectory = publicDirectory
        } else if FileManager.default.fileExists(atPath: "Public") {
            configuration.publicDirectory = "Public"
        }
        do { try configuration.validate() } catch { throw ValidationError(error.description) }
        return configuration
    }

    func run() async throws {
        let configuration = try makeConfiguration()
        if stopWhenStdinCloses { Self.stopWhenStdinCloses() }
        // The data directory holds password hashes, the signing secret and transcripts: whatever
        // this process creates (the database and its -wal and -shm, secrets.json, the phone
        // ledger, rtpengine's log) is for its own user only, set before anything is created.
        umask(0o077)
        // A closed stdout or stderr (a supervisor that went away) must not kill the server:
        // writes then fail instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return FrameDumpFilter(handler)
        }
        let logger = Logger(label: "switchboard")
        let store: any RoutingStore
        do {
            try DataDirectory.prepare(configuration.dataDirectory, logger: logger)
        } catch {
            throw ValidationError("cannot prepare the data directory \(configuration.dataDirectory): \(error)")
        }
        if let databaseURL {
            guard operatorKey == nil else {
                throw ValidationError("--operator-key (several tenants) needs the embedded SQLite store: each tenant keeps its own database under the data directory; leave out --database-url or --operator-key")
            }
            var location: PostgresLocation
            do { location = try PostgresLocation(url: databaseURL) } catch { throw ValidationError("--database-url: \(error)") }
            if location.password == nil { location.password = try databasePassword() }
            let cluster = try clusterSettings()
            let postgres: PostgresRoutingStore
            do {
                postgres = try await PostgresRoutingStore.open(location, logger: logger)
            } catch {
                throw ValidationError("cannot open the database at \(location): \(error)")
            }
            try await serveAsNode(configuration: configuration, store: postgres, cluster: cluster, logger: logger)
            return
        } else {
            do {
                store = try SQLiteRoutingStore(path: configuration.databasePath)
            } catch {
                throw ValidationError("cannot open the database at \(configuration.databasePath): \(error)")
            }
        }
        let server = try await ServerComponents.make(configuration: configuration, store: store, logger: logger)
        let app = try SwitchboardApplication.make(server: server) { port in
            await Self.announce(server: server, port: port)
        }
        try await app.runService()
    }

    /// For a server another process started (`loadtest --spawn`): its stdin is a pipe the parent
    /// holds, which closes however the parent ends (a crash, SIGKILL, `timeout`), and then this
    /// server stops as on SIGTERM instead of living on unowned.
    private static func stopWhenStdinCloses() {
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) > 0 {}
            kill(getpid(), SIGTERM)
        }
    }

    /// The PostgreSQL password when the URL has none: from the file, else the environment.
    private func databasePassword() throws -> String? {
        if let databasePasswordFile {
            guard let data = FileManager.default.contents(atPath: databasePasswordFile) else {
                throw ValidationError("--database-password-file '\(databasePasswordFile)' cannot be read")
            }
            let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            guard !password.isEmpty else { throw ValidationError("--database-password-file '\(databasePasswordFile)' is empty") }
            return password
        }
        return environment("DATABASE_PASSWORD")
    }

    private func clusterSettings() throws -> ClusterSettings {
        guard let lease = Int64(leaderLease), (500...60_000).contains(lease) else {
            throw ValidationError("--leader-lease-ms must be a whole number of milliseconds from 500 to 60000, not '\(leaderLease)'")
        }
        if let advertiseURL {
            guard let url = URL(string: advertiseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--advertise-url must be an http:// or https:// URL with a host, not '\(advertiseURL)'")
            }
        }
        return ClusterSettings(advertiseURL: advertiseURL, leaseMilliseconds: lease)
    }

    /// One node of several sharing a PostgreSQL database (or the only one). While another node
    /// leads and advertises its address, this one follows it: it serves its own clients from a
    /// replica and takes over in place when the lease runs out. Otherwise it stands by until it
    /// holds the routing lease, then serves as the leader until it loses it (then it exits, so
    /// only one node ever routes; started again, it follows or stands by).
    private func serveAsNode(
        configuration: ServerConfiguration, store: PostgresRoutingStore, cluster: ClusterSettings, logger: Logger
    ) async throws {
        if let lease = try? await store.leaseView(), lease.expiresInMilliseconds > 0, lease.holder != cluster.node, let leader = lease.address {
            try await serveAsFollower(configuration: configuration, store: store, cluster: cluster, leader: leader, logger: logger)
            return
        }
        let scheme = configuration.tlsCertificatePath == nil ? "http" : "https"
        let host = configuration.host
        let standby = try await StandbyNode.waitForLease(configuration: configuration, store: store, settings: cluster, logger: logger) { port, lease in
            let leader = lease.flatMap { $0.address ?? $0.holder } ?? "another node"
            FileHandle.standardOutput.write(Data("Switchboard is standing by on \(scheme)://\(host):\(port) (node \(cluster.node)); the routing leader is \(leader)\n".utf8))
        }
        var configuration = configuration
        guard let standby else {
            try await store.close()
            return
        }
        // The standby's port: clients and health checks already know this one.
        if let port = standby.port { configuration.port = port }
        let leadership = LeadershipSignal()
        // Renewing starts now, before the state loads: a long load must not lose the lease.
        let keeper = LeaseKeeper(store: store, settings: cluster, leadership: leadership, acquiredAt: standby.acquiredAt, logger: logger)
        keeper.start()
        let server = try await ServerComponents.make(configuration: configuration, store: store, logger: logger, leadership: leadership)
        let app = try SwitchboardApplication.make(server: server) { port in
            await Self.announce(server: server, port: port, role: "the routing leader (node \(cluster.node), lease epoch \(standby.epoch))")
        }
        let group = ServiceGroup(configuration: .init(
            services: [
                // Listed first so it is shut down last: the lease is renewed while the server drains.
                .init(service: keeper, successTerminationBehavior: .ignore, failureTerminationBehavior: .cancelGroup),
                .init(service: app),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Serves this node's clients while `leader` leads: commands go there, events come from the
    /// replica; on taking the lease over the same process leads, its sockets staying up.
    private func serveAsFollower(
        configuration: ServerConfiguration, store: PostgresRoutingStore, cluster: ClusterSettings, leader: String, logger: Logger
    ) async throws {
        let leadership = LeadershipSignal()
        let server = try await ServerComponents.make(
            configuration: configuration, store: store, logger: logger, leadership: leadership, following: true)
        // Renews only once the lease is this node's (it waits behind the gate).
        let keeper = LeaseKeeper(store: store, settings: cluster, leadership: leadership, acquiredAt: .now, logger: logger)
        let follower = FollowerNode(server: server, store: store, settings: cluster, keeper: keeper, logger: logger)
        let app = try SwitchboardApplication.make(server: server) { port in
            await Self.announce(server: server, port: port, role: "a follower of the routing leader \(leader) (node \(cluster.node))")
        }
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: LeaderOnly(keeper, gate: server.leaderGate), successTerminationBehavior: .ignore, failureTerminationBehavior: .cancelGroup),
                .init(service: app),
                .init(service: follower, successTerminationBehavior: .ignore, failureTerminationBehavior: .cancelGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Prints where the server listens and, on a first start, the demo logins.
    static func announce(server: ServerComponents, port: Int, role: String? = nil) async {
        let base = "\(server.tls == nil ? "http" : "https")://\(server.configuration.host):\(port)"
        let secretsFile = "\(server.configuration.dataDirectory)/secrets.json"
        // Output is often kept (a journal, a supervisor's log): the key is printed only on the
        // start that generated it, for the person trying Switchboard out; never when it was given.
        // On PostgreSQL the secrets are the database's, shared by every node.
        let keptIn = server.store is any RoutingLeaseStore ? "the database's shared_secrets table" : secretsFile
        let key = if server.configuration.adminAPIKey != nil {
            "  admin API key: the one given with --api-key or SWITCHBOARD_API_KEY"
        } else if server.secrets.createdNow {
            "  admin API key: \(server.secrets.adminAPIKey)  (generated; kept in \(keptIn), printed only this once)"
        } else {
            "  admin API key: in \(keptIn) (adminAPIKey)"
        }
        var lines = ["Switchboard is listening on \(base)" + (role.map { " as \($0)" } ?? ""), key]
        if let tenants = server.hostedTenants {
            let records = tenants.records
            lines.append("  tenants: SdkAppId \(server.configuration.sdkAppId) (primary)"
                + (records.isEmpty ? "" : ", " + records.map { "\($0.sdkAppId) (\($0.name))" }.joined(separator: ", "))
                + "; create more with POST \(base)/api/operator/tenants and the operator key")
        }
        if server.configuration.createDemoTenant {
            do {
                if let logins = try await DemoTenant.createIfNeeded(server: server) {
                    lines.append("  demo tenant created: skill groups 'sales' and 'support'; agent logins:")
                    for credential in logins.agents {
                        lines.append("    \(credential.userId) / \(credential.password)   (\(credential.skillGroups.joined(separator: ", ")))")
                    }
                    let supervisor = logins.supervisor
                    lines.append("  supervisor page sign-in (\(base)/supervisor/):")
                    lines.append("    \(supervisor.userId) / \(supervisor.password)   (role \(supervisor.role))")
                    lines.append("  (also kept in \(server.configuration.dataDirectory)/demo-credentials.txt)")
                }
            } catch {
                lines.append("  the demo tenant could not be created: \(error)")
            }
        }
        // Written straight to the file handle so it is not held in a buffer when stdout is a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
