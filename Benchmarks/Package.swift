// swift-tools-version: 6.1
// Routing core benchmarks with ordo-one/benchmark: `cd Benchmarks && swift package benchmark`.
// A package of its own so the main package's build and CI do not carry the benchmark tooling.
import PackageDescription

let package = Package(
    name: "switchboard-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "switchboard", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RoutingCore",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RoutingScenario", package: "switchboard"),
                .product(name: "SwitchboardCore", package: "switchboard"),
            ],
            path: "Benchmarks/RoutingCore",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
