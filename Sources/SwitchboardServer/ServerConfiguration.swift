import Foundation
import Logging

/// Everything `switchboard serve` can be told. Each setting has a flag and a `SWITCHBOARD_*`
/// environment variable (the executable maps both here); the defaults start a working server with
/// no configuration at all.
public struct ServerConfiguration: Sendable {
    /// The address to listen on. Loopback by default so a first start exposes nothing.
    public var host: String = "127.0.0.1"
    /// The TCP port; 0 picks a free one (tests).
    public var port: Int = 8080
    /// Where the SQLite database and the generated secrets live.
    public var dataDirectory: String = "./data"
    /// Creates the demo tenant (two groups, three agents) when the store is empty.
    public var createDemoTenant: Bool = true
    /// The admin API key; generated and kept in the data directory when not given.
    public var adminAPIKey: String?
    /// The secret that signs agent tokens and customer session secrets; generated and kept in the
    /// data directory when not given.
    public var signingSecret: String?
    /// How long an agent token issued by the admin API lives, in seconds.
    public var tokenLifetimeSeconds: Int = 3600
    /// The tenant's TCCC `SdkAppId`: the TCCC server API refuses requests naming another
    /// (`InvalidParameterValue.InstanceNotExist`), and its API keys belong to this one. With an
    /// `operatorKey` this is the primary tenant and others are hosted beside it (docs/tenants.md).
    public var sdkAppId: Int64 = 1_400_000_000
    /// The key of the `/api/operator` API that creates and lists the tenants hosted beside the
    /// primary one; nil hosts the primary tenant only, as a single-tenant server always has.
    public var operatorKey: String?
    /// Set on the configuration of a tenant hosted beside the primary one: its data directory is
    /// `tenants/<SdkAppId>/` under the primary's, it has no phone channel, and its supervisor
    /// cookie names it, so the server knows which tenant a browser signed in to.
    public var isHostedTenant = false
    /// The server's address as browsers reach it (`https://host[:port]`, no path), for the
    /// `SdkURL` that `CreateSDKLoginToken` returns; nil uses the address the request came to.
    public var publicURL: String?
    /// The largest WebSocket frame or HTTP body accepted, in bytes.
    public var maximumFrameSize: Int = 64 * 1024
    /// Agent events kept per agent for a reconnecting SDK to resume from.
    public var resumeBufferSize: Int = 1024
    /// The tenant's IANA time zone: where "today" starts for the live metrics, and the zone
    /// reports use unless they name another.
    public var reportTimeZone: String = "UTC"
    /// Take a snapshot (and prune the journal) after this many journal entries.
    public var snapshotInterval: Int = 5000
    /// Seconds an SDK connection has to send its `hello`.
    public var helloTimeoutSeconds: Int = 10
    /// The log level.
    public var logLevel: Logger.Level = .info
    /// Where the browser SDK and pages are served from; nil serves none.
    public var publicDirectory: String?
    /// Web origins allowed to call the APIs and open the sockets from a browser; `*` allows all.
    public var allowedOrigins: [String] = ["*"]
    /// Open WebSocket connections allowed from one address; 0 means no limit.
    public var maxConnectionsPerAddress: Int = 1000
    /// Frames a second an agent connection may send on average (bursts of four times that).
    public var agentFrameRate: Double = 50
    /// Frames a second a customer connection may send on average (bursts of three times that).
    public var customerFrameRate: Double = 10
    /// Serves `/ws/echo`, a bare WebSocket echo the load generator measures the floor against.
    public var enableEchoEndpoint: Bool = false
    /// A PEM file with the server's certificate (then its chain); with `tlsKeyPath`, the server
    /// speaks HTTPS and WSS only. Nil for plain HTTP (TLS ended by a proxy in front).
    public var tlsCertificatePath: String?
    /// A PEM file with the unencrypted private key of the certificate in `tlsCertificatePath`.
    public var tlsKeyPath: String?

    /// The bearer token `/metrics` asks for; nil leaves `/metrics` open, so set it (or firewall
    /// the port) wherever the listening address is reachable by others.
    public var metricsToken: String?

    /// How password logins are paced and locked; see docs/security.md.
    public var logins = LoginPolicy()
    /// How fast anonymous customers may start sessions and send messages, and how long their
    /// session secrets work; see docs/security.md.
    public var customers = CustomerPolicy()
    /// How late (moving average, ms) the server may run before it sheds new customers
    /// (`OverloadGuard`); 0 never sheds.
    public var overloadLagLimitMilliseconds = 250
    /// Seconds between passes that give the allocator's free memory back to the system
    /// (`MemoryTrimmer`); 0 never trims.
    public var memoryTrimIntervalSeconds = 30
    /// Seconds a new connection has to send its first request's head (`RequestHeadDeadline`)
    /// before it is closed, so silent connections cannot hold the server's sockets.
    public var requestHeadTimeoutSeconds = 30
    /// Seconds a kept-alive HTTP connection may wait for its next request before it is closed.
    public var httpIdleTimeoutSeconds = 60
    /// Which files may be sent in im sessions (size and media types); see docs/security.md.
    public var attachments = AttachmentPolicy()
    /// Reverse proxies (addresses or CIDR blocks) whose `Forwarded` / `X-Forwarded-For` headers
    /// are believed for the client's address (`--trusted-proxies`); none by default, so a client
    /// cannot choose the address its limits are counted against.
    public var trustedProxies: [String] = []

    /// How long supervisors' sign-ins last and how their cookie is marked.
    public var supervisorSessions = SupervisorSessionPolicy()

    /// STUN/TURN servers handed to both sides of a call; none by default (one network).
    public var ice = IceConfiguration()
    /// Seconds a caller's page may be gone before its voip or video call is hung up for it.
    public var callerGraceSeconds: Int = 10
    /// Telephone calls through a SIP trunk; nil (the default) leaves the phone channel off.
    public var phone: PhoneConfiguration?
    /// How webhook deliveries are sent and retried; subscriptions themselves are made through the API.
    public var webhooks = WebhookConfiguration()

    /// The defaults.
    public init() {}

    /// The path of the SQLite database in the data directory.
    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("switchboard.sqlite") }

    /// Checks the settings, naming the first one that is wrong and what it should be.
    public func validate() throws(ConfigurationError) {
        if host.isEmpty { throw ConfigurationError("host must not be empty") }
        for origin in allowedOrigins where origin != "*" {
            guard origin.hasPrefix("http://") || origin.hasPrefix("https://"), !origin.hasSuffix("/") else {
                throw ConfigurationError("allowed origin '\(origin)' must look like https://example.com (scheme and host, no path), or be *")
            }
        }
        if !(0...65535).contains(port) { throw ConfigurationError("port must be 0 to 65535, not \(port)") }
        if dataDirectory.isEmpty { throw ConfigurationError("data directory must not be empty") }
        if let adminAPIKey, adminAPIKey.count < 16 {
            throw ConfigurationError("the admin API key must be at least 16 characters, not \(adminAPIKey.count)")
        }
        if let signingSecret, signingSecret.count < 32 {
            throw ConfigurationError("the signing secret must be at least 32 characters, not \(signingSecret.count)")
        }
        if let operatorKey, operatorKey.count < 16 {
            throw ConfigurationError("the operator key must be at least 16 characters, not \(operatorKey.count)")
        }
        if let metricsToken, metricsToken.count < 16 {
            throw ConfigurationError("the metrics token must be at least 16 characters, not \(metricsToken.count)")
        }
        if !(60...86_400).contains(tokenLifetimeSeconds) {
            throw ConfigurationError("token lifetime must be 60 to 86400 seconds, not \(tokenLifetimeSeconds)")
        }
        if !(1...Int64(UInt32.max)).contains(sdkAppId) {
            throw ConfigurationError("the SdkAppId must be 1 to \(UInt32.max), not \(sdkAppId)")
        }
        if let publicURL, URL(string: publicURL)?.host == nil || !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://"))
            || publicURL.hasSuffix("/") {
            throw ConfigurationError("the public URL must look like https://switchboard.example.com (scheme and host, optional port, no path), not '\(publicURL)'")
        }
        if !(1024...16 * 1024 * 1024).contains(maximumFrameSize) {
            throw ConfigurationError("maximum frame size must be 1 KiB to 16 MiB, not \(maximumFrameSize) bytes")
        }
        if !(16...1_000_000).contains(resumeBufferSize) {
            throw ConfigurationError("resume buffer must hold 16 to 1000000 events, not \(resumeBufferSize)")
        }
        if TimeZone(identifier: reportTimeZone) == nil {
            throw ConfigurationError("the report time zone must be an IANA time zone name (Europe/Berlin, Asia/Kolkata, UTC), not '\(reportTimeZone)'")
        }
        if !(100...10_000_000).contains(snapshotInterval) {
            throw ConfigurationError("snapshot interval must be 100 to 10000000 entries, not \(snapshotInterval)")
        }
        if maxConnectionsPerAddress < 0 {
            throw ConfigurationError("connections per address must be 0 (no limit) or more, not \(maxConnectionsPerAddress)")
        }
        if !(agentFrameRate > 0 && customerFrameRate > 0) {
            throw ConfigurationError("frame rates must be above 0")
        }
        if !(1...300).contains(helloTimeoutSeconds) {
            throw ConfigurationError("hello timeout must be 1 to 300 seconds, not \(helloTimeoutSeconds)")
        }
        try logins.validate()
        try supervisorSessions.validate()
        try customers.validate()
        if overloadLagLimitMilliseconds != 0 && !(20...60_000).contains(overloadLagLimitMilliseconds) {
            throw ConfigurationError("the overload lag limit must be 0 (never shed) or 20 to 60000 ms, not \(overloadLagLimitMilliseconds)")
        }
        if memoryTrimIntervalSeconds != 0 && !(1...3600).contains(memoryTrimIntervalSeconds) {
            throw ConfigurationError("the memory trim interval must be 0 (never) or 1 to 3600 seconds, not \(memoryTrimIntervalSeconds)")
        }
        if !(1...600).contains(requestHeadTimeoutSeconds) {
            throw ConfigurationError("the request head timeout must be 1 to 600 seconds, not \(requestHeadTimeoutSeconds)")
        }
        if !(1...3600).contains(httpIdleTimeoutSeconds) {
            throw ConfigurationError("the HTTP idle timeout must be 1 to 3600 seconds, not \(httpIdleTimeoutSeconds)")
        }
        try attachments.validate()
        for proxy in trustedProxies where AddressMatcher(proxy) == nil {
            throw ConfigurationError("trusted proxy '\(proxy)' is not an IP address or CIDR block (e.g. 10.0.0.5 or 10.0.0.0/8)")
        }
        try ice.validate()
        try phone?.validate()
        try webhooks.validate()
        _ = try loadTLSConfiguration()
    }
}

/// A setting that cannot be used, and why.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, for the person starting the server.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
