// swift-tools-version:6.1
// Guichet: the front-desk service for a school's ENT accounts. Layout and module direction: ../shared/STYLE.md.
// Data flows one way: C module -> its wrapper -> domain -> server -> command line.
import PackageDescription

let package = Package(
    name: "Guichet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "guichet", targets: ["guichet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // One system-library module per C library (STYLE rule 1).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),

        // Wrappers: Swift types over one C library each; they import no other wrapper.
        .target(name: "GuichetCrypto", dependencies: ["CSodium"]),

        // The domain: accounts, import, search, staff, journal. Knows no HTTP and no C.
        .target(name: "Guichet", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            "GuichetCrypto",
        ]),

        // The command line: thin, calls the same factories as the tests.
        .executableTarget(name: "guichet", dependencies: [
            "Guichet",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "GuichetCryptoTests", dependencies: ["GuichetCrypto"]),
        .testTarget(name: "GuichetTests", dependencies: ["Guichet", "GuichetCrypto", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
