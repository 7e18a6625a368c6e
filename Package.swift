// swift-tools-version:6.0
// postdesk: an e-mail help-desk daemon. No package dependencies by design:
// Foundation, Glibc, libcurl and SQLite only.
import PackageDescription

let package = Package(
    name: "postdesk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "postdesk", targets: ["postdesk"]),
    ],
    targets: [
        // C system libraries, wrapped only where Swift cannot call them directly.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // One-way imports: MIME → Ticketing → Store → Transport → Daemon → CLI.
        .target(name: "MIME"),
        .target(name: "Ticketing", dependencies: ["MIME"]),
        .target(name: "Store", dependencies: ["Ticketing", "MIME", "CSQLite"]),
        .target(name: "Transport", dependencies: ["CCurl"]),
        .target(name: "Daemon", dependencies: ["MIME", "Ticketing", "Store", "Transport"]),
        .target(name: "CLI", dependencies: ["MIME", "Ticketing", "Store", "Transport", "Daemon"]),
        .executableTarget(name: "postdesk", dependencies: ["CLI"]),
        // Benchmark only: the Swift raw-download baseline of bench/intake (run.sh builds it).
        .executableTarget(name: "IntakeRawFetch", dependencies: ["Transport"], path: "bench/intake/RawFetch"),

        // Test-only helpers: fake clock, fixture loader, real mail servers.
        .target(name: "TestSupport", dependencies: ["Ticketing", "Store", "Transport", "Daemon"],
                path: "Sources/TestSupport"),

        .testTarget(name: "MIMETests", dependencies: ["MIME", "TestSupport"]),
        .testTarget(name: "TicketingTests", dependencies: ["Ticketing", "MIME", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "TestSupport"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["CLI", "Daemon", "Transport", "Store", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
