// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["SluiceCLI"]),
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceStore", targets: ["SluiceStore"]),
        .library(name: "SluiceQuality", targets: ["SluiceQuality"]),
        .library(name: "SluiceRunner", targets: ["SluiceRunner"]),
        .library(name: "SluiceServer", targets: ["SluiceServer"]),
        .library(name: "SluiceFixtures", targets: ["SluiceFixtures"]),
        // The store conformance suites, for any backend's tests to run (`MetadataConformance`, `ObjectConformance`).
        .library(name: "SluiceStoreTesting", targets: ["SluiceStoreTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "SluiceCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "SluiceStoreTesting", dependencies: ["SluiceCore"]),
        .target(name: "CSluiceSystem"),
        .target(name: "CSluiceSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "SluiceStore",
            dependencies: [
                "SluiceCore",
                "CSluiceSystem",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SluiceQuality",
            dependencies: ["SluiceCore", "CSluiceSystem"],
            // The checker's hot loop touches its buffers through class properties millions of times a
            // second; each access is checked for exclusivity at run time unless told otherwise. Its state
            // never leaves the one thread that owns it.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(
            name: "SluiceRunner",
            dependencies: [
                "SluiceCore",
                "SluiceQuality",
                "CSluiceSystem",
                "CSluiceSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The API contract: generated from openapi.yaml by scripts/generate-api.sh (operations, the server's
        // protocol, the client); its schemas for the engine's values are the engine's own types.
        .target(
            name: "SluiceAPIContract",
            dependencies: [
                "SluiceCore",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        // HTTP out: the command line's server mode (the engine's operations as requests to `sluice serve`) and
        // the outbox's deliveries, over AsyncHTTPClient (no libcurl: the binary links statically).
        .target(
            name: "SluiceClient",
            dependencies: [
                "SluiceCore",
                "SluiceAPIContract",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]),
        // The web UI: server-rendered pages (Mustache templates compiled into the binary), sessions, CSRF.
        .target(
            name: "SluiceWeb",
            dependencies: [
                "SluiceCore",
                "SluiceQuality",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The service: HTTP (Hummingbird) and its lifecycle. The engine's targets above never depend on it.
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluiceCore",
                "SluiceStore",
                "SluiceQuality",
                "SluiceRunner",
                "SluiceWeb",
                "SluiceClient",
                "SluiceAPIContract",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SluiceCLI",
            dependencies: [
                "SluiceCore",
                "SluiceStore",
                "SluiceQuality",
                "SluiceRunner",
                "SluiceServer",
                "SluiceClient",
                "CSluiceSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceStore", "SluiceQuality", "SluiceTestSupport"]),
        .testTarget(
            name: "SluiceQualityTests",
            dependencies: [
                "SluiceQuality", "SluiceCore", "SluiceStore", "SluiceTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "SluiceStoreTests",
            dependencies: [
                "SluiceStore", "SluiceCore", "SluiceStoreTesting", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "SluiceRunnerTests",
            dependencies: [
                "SluiceRunner", "SluiceCore", "SluiceStore", "SluiceQuality", "SluiceTestSupport", "SluiceStoreTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .target(name: "SluiceTestSupport", path: "Tests/SluiceTestSupport"),
        // A project and store at scale (runs, datasets, audit events), for the UI's tests and benchmark.
        .target(
            name: "SluiceFixtures", dependencies: ["SluiceCore", "SluiceStore", "SluiceTestSupport"],
            path: "Tests/SluiceFixtures"),
        .testTarget(
            name: "SluiceServerTests",
            dependencies: [
                "SluiceServer", "SluiceWeb", "SluiceCore", "SluiceStore", "SluiceTestSupport", "SluiceFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The official OpenLineage schemas and the script that checks events against them.
            exclude: ["OpenLineageSchema", "FourWeeks/reference.py"]),
        .testTarget(
            name: "SluiceCLITests", dependencies: ["SluiceCLI", "SluiceCore", "SluiceTestSupport"],
            // The golden files the diagram tests compare with.
            exclude: ["Golden"]),
        // Tests that try to break every guarantee the README states; see its README for how to add one.
        .testTarget(
            name: "SluiceAdversarialTests",
            dependencies: [
                "SluiceCLI", "SluiceCore", "SluiceStore", "SluiceQuality", "SluiceRunner", "SluiceTestSupport",
            ],
            exclude: ["README.md"]
        ),
    ]
)
