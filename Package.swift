// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .library(name: "SwitchboardCore", targets: ["SwitchboardCore"]),
        .library(name: "SwitchboardProtocol", targets: ["SwitchboardProtocol"]),
        .library(name: "RoutingScenario", targets: ["RoutingScenario"]),
        .library(name: "TCCC", targets: ["TCCC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph (Hummingbird's); the agent socket's own upgrade channel uses them.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Already in the graph (HummingbirdTesting uses it); the webhook worker's HTTP client.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // The routing domain: agents, statuses, skill groups, sessions, offers. No I/O.
        .target(
            name: "SwitchboardCore",
            dependencies: [
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Wire types shared by the server and the Swift SDK.
        .target(name: "SwitchboardProtocol"),
        // The store protocol and its SQLite implementation (GRDB). It writes its JSON columns with
        // the protocol module's encoder (the same text as JSONEncoder's, a fraction of the CPU).
        .target(
            name: "SwitchboardStore",
            dependencies: [
                "SwitchboardCore", "SwitchboardProtocol", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, which GRDB links: the commit's writes bind and step through it.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The PostgreSQL backend of the store (postgres-nio), for deployments that outgrow one machine.
        .target(
            name: "SwitchboardPostgres",
            dependencies: [
                "SwitchboardCore", "SwitchboardStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // SIP (RFC 3261) for the phone trunk: messages, digest, transactions, dialogs. No I/O.
        .target(name: "SwitchboardSIP", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // rtpengine's ng control protocol, its process and its DTMF reports: the phone media relay.
        .target(
            name: "RtpEngine",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP/WebSocket server: routing service, agent and customer sockets, admin API.
        .target(
            name: "SwitchboardServer",
            dependencies: [
                "SwitchboardCore", "SwitchboardProtocol", "SwitchboardStore", "SwitchboardPostgres", "SwitchboardSIP", "RtpEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                // Agents' sockets: channel handlers over NIO's WebSocket codec, upgraded by our own
                // HTTP channel (Sockets/Native), with hummingbird-websocket's handler for the rest.
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                // Followers link to the routing leader over a WebSocket (several nodes).
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The Swift agent SDK: the TCCC Agent SDK API over the agent socket.
        .target(
            name: "TCCC",
            dependencies: [
                "SwitchboardProtocol",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Files, history and recordings go over HTTP with the login token (the socket carries JSON frames).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `switchboard loadtest`: simulated agents and customers over real sockets.
        .target(
            name: "SwitchboardLoadTest",
            dependencies: [
                "SwitchboardProtocol",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardCore", "SwitchboardServer", "SwitchboardStore", "SwitchboardPostgres", "TCCC", "SwitchboardLoadTest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Release-mode benchmark of routing decisions: `swift run -c release routing-benchmark`.
        // The routing core benchmark scenario, shared with the ordo-one benchmarks in Benchmarks/.
        .target(name: "RoutingScenario", dependencies: ["SwitchboardCore"]),
        .executableTarget(name: "routing-benchmark", dependencies: ["SwitchboardCore", "RoutingScenario"], path: "Sources/RoutingBenchmark"),
        .executableTarget(
            name: "report-benchmark", dependencies: ["SwitchboardCore", "SwitchboardStore", "SwitchboardPostgres", "SwitchboardServer"],
            path: "Sources/ReportBenchmark"),
        // Release-mode benchmark of encoding frames, JSONEncoder against WireEncoder.
        .executableTarget(name: "frame-benchmark", dependencies: ["SwitchboardProtocol"], path: "Sources/FrameBenchmark"),
        // What the server and SDK test targets share (a test target cannot import another).
        .target(
            name: "SwitchboardTestSupport",
            dependencies: [
                "SwitchboardProtocol", "SwitchboardServer", "SwitchboardStore", "SwitchboardPostgres", "SwitchboardCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SwitchboardTestSupport"
        ),
        .testTarget(name: "SwitchboardCoreTests", dependencies: ["SwitchboardCore"]),
        .testTarget(name: "SwitchboardProtocolTests", dependencies: ["SwitchboardProtocol"]),
        .testTarget(name: "SwitchboardSIPTests", dependencies: ["SwitchboardSIP"]),
        .testTarget(
            name: "RtpEngineTests",
            dependencies: [
                "RtpEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // SwitchboardServer for its in-process reports: the figures of scripted store traffic.
        .testTarget(
            name: "SwitchboardStoreTests",
            dependencies: ["SwitchboardStore", "SwitchboardPostgres", "SwitchboardCore", "SwitchboardServer", "SwitchboardTestSupport"]),
        .testTarget(
            name: "SwitchboardServerTests",
            dependencies: [
                "SwitchboardServer", "SwitchboardProtocol", "SwitchboardStore", "SwitchboardPostgres", "SwitchboardCore", "SwitchboardTestSupport",
                "SwitchboardLoadTest",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TCCCTests",
            dependencies: [
                "TCCC", "SwitchboardServer", "SwitchboardProtocol", "SwitchboardStore", "SwitchboardCore", "SwitchboardTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
