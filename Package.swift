// swift-tools-version:6.1
// Guichet: the front-desk service for a school's ENT accounts. Layout, module direction and house rules: Sources/README.md.
// Data flows one way: C module -> its wrapper -> domain -> server -> command line.
import PackageDescription

let package = Package(
    name: "Guichet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "guichet", targets: ["guichet"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The configuration file's TOML (toml++ underneath); its test-only dependency is never fetched.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0")
    ],
    targets: [
        // One system-library module per C library (rule 1, Sources/README.md).
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMalloc"),

        // Wrappers: Swift types over one C library each; they import no other wrapper.
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD"]),
        .target(name: "GuichetCrypto", dependencies: ["CSodium"]),
        .target(name: "PDF", dependencies: ["CPangoCairo", "CQREncode"]),
        .target(name: "Mail", dependencies: ["CCurl"]),
        // libcurl's HTTP(S) with its cookie engine: the ENT's API, as its delegated administrator.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // SQLite's C API under GRDB and the import's fast path: bulk binds, rows streamed into one INSERT (guichet_rows),
        // packed index rows, work spread over every core, the C heap's free pages given back (CMalloc). The domain
        // calls it through plain types.
        .target(
            name: "SQLiteBulk",
            dependencies: [
                "CMalloc", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift")
            ]),

        // The domain: accounts, import, search, staff, journal, sheets, renewal codes. Knows no HTTP and no C.
        .target(
            name: "Guichet",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                "GuichetCrypto", "PDF", "Mail", "SQLiteBulk", "HTTPClient"
            ],
            // The migrated schema, for reading (checked by SchemaFileTests); not a resource.
            exclude: ["Storage/schema.sql"]),

        // HTTP <-> domain: routes, handlers, sessions, CSRF, error mapping; the configuration file and `doctor`.
        .target(
            name: "GuichetServer",
            dependencies: [
                "Guichet", "HTTPServer", "GuichetCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit")
            ]),

        // The command line: thin, calls the same factories as the tests.
        .executableTarget(
            name: "guichet",
            dependencies: [
                "Guichet", "GuichetServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]),

        // Benchmarks' in-process half (Scripts/bench-search); not shipped.
        .executableTarget(
            name: "guichet-bench",
            dependencies: [
                "Guichet", .product(name: "GRDB", package: "GRDB.swift")
            ]),

        // What several test targets share: the fake ENT, a real SMTP server, poppler's readings of a PDF. Used by
        // test targets only (SwiftPM test targets cannot import one another).
        .target(name: "TestSupport", path: "Tests/TestSupport"),

        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "GuichetCryptoTests", dependencies: ["GuichetCrypto"]),
        .testTarget(name: "PDFTests", dependencies: ["PDF", "TestSupport"]),
        .testTarget(name: "MailTests", dependencies: ["Mail", "TestSupport"]),
        .testTarget(
            name: "SQLiteBulkTests", dependencies: ["SQLiteBulk", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "GuichetTests",
            dependencies: ["Guichet", "GuichetCrypto", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "GuichetServerTests",
            dependencies: [
                "GuichetServer", "Guichet", "HTTPServer", "TestSupport", .product(name: "Logging", package: "swift-log")
            ])
    ]
)

// Fuzz targets (Scripts/fuzz): only when GUICHET_FUZZ is set, which Scripts/fuzz does for its own scratch path
// (.build-fuzz) with `--sanitize fuzzer --sanitize address`; `swift build` never sees them. libFuzzer supplies `main`.
if Context.environment["GUICHET_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "guichet-fuzz",
            dependencies: ["Guichet", "GuichetServer", "HTTPServer", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/Fuzz/Sources"))
}
