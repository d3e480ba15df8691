// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .library(name: "SwitchboardCore", targets: ["SwitchboardCore"]),
        .library(name: "SwitchboardProtocol", targets: ["SwitchboardProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
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
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Release-mode benchmark of routing decisions: `swift run -c release routing-benchmark`.
        .executableTarget(name: "routing-benchmark", dependencies: ["SwitchboardCore"], path: "Sources/RoutingBenchmark"),
        .testTarget(name: "SwitchboardCoreTests", dependencies: ["SwitchboardCore"]),
        .testTarget(name: "SwitchboardProtocolTests", dependencies: ["SwitchboardProtocol"]),
    ],
    swiftLanguageModes: [.v6]
)
