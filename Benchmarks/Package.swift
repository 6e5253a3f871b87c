// swift-tools-version:6.2
import PackageDescription

// Benchmarks live in their own package so the main build and test suite stay lean.
// Run: swift run -c release --package-path Benchmarks sluice-bench all
let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Sluice", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
    ],
    targets: [
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                .product(name: "SluiceCore", package: "Sluice"),
                .product(name: "SluiceStore", package: "Sluice"),
                .product(name: "SluiceQuality", package: "Sluice"),
                .product(name: "SluiceRunner", package: "Sluice"),
                .product(name: "SluiceServer", package: "Sluice"),
                .product(name: "SluiceFixtures", package: "Sluice"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Sources/SluiceBench"
        )
    ]
)
