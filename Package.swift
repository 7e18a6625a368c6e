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
        // glibc's <malloc.h>, for the daemon's allocator settings (part of Glibc, no library).
        .systemLibrary(name: "CMalloc"),

        // One-way imports: Markup → MIME, Ticketing → Store → Transport → Daemon → CLI (Ticketing takes plain
        // values, not MIME types, so the two build in parallel).
        // SHA-256 compression in CPU instructions (SHA-NI, ARMv8 SHA2): the one C file of our own
        // (issue 17); Ticketing's SHA256 picks it at run time and keeps its Swift code as the fallback.
        .target(name: "CSHA256"),
        // What MIME and Ticketing both need and neither may import from the other (HTML escaping).
        .target(name: "Markup"),
        .target(name: "MIME", dependencies: ["Markup"]),
        .target(name: "Ticketing", dependencies: ["CSHA256", "Markup"]),
        .target(name: "Store", dependencies: ["Ticketing", "CSQLite"]),
        .target(name: "Transport", dependencies: ["CCurl"]),
        // The shipped templates (Outbound/Templates, their one source) are compiled in at build time
        // by the EmbedTemplates plugin: the binary needs no files installed beside it.
        .target(name: "Daemon", dependencies: ["MIME", "Ticketing", "Store", "Transport", "CMalloc"],
                exclude: ["Outbound/Templates"], plugins: ["EmbedTemplates"]),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["TemplateEmbedder"]),
        .executableTarget(name: "TemplateEmbedder"),
        .target(name: "CLI", dependencies: ["MIME", "Ticketing", "Store", "Daemon"]),
        .executableTarget(name: "postdesk", dependencies: ["CLI"]),
        // Benchmark only: the Swift raw-download baseline of bench/intake (run.sh builds it).
        .executableTarget(name: "IntakeRawFetch", dependencies: ["Transport"], path: "bench/intake/RawFetch"),
        // Benchmark only: the SLA scheduler's tick on a large store (bench/sla/run.sh builds it).
        .executableTarget(name: "SLATickBench", dependencies: ["Daemon", "Store", "Ticketing"], path: "bench/sla/TickBench"),
        // Benchmark only: the cost of the per-poll reconciliation at 100 000 messages (bench/reconcile).
        .executableTarget(name: "ReconcileBench", dependencies: ["Daemon", "Store", "Transport"], path: "bench/reconcile/Bench"),
        // Benchmark only: outbox throughput through Postfix, one connection per flush (bench/notify).
        .executableTarget(name: "NotifyBench", dependencies: ["Daemon", "Store", "Ticketing"], path: "bench/notify/Bench"),

        // Test-only helpers: fake clock, fixture loader, real mail servers.
        .target(name: "TestSupport", dependencies: ["Ticketing", "Store", "Transport", "Daemon", "CLI"],
                path: "Sources/TestSupport"),

        .testTarget(name: "MIMETests", dependencies: ["MIME", "TestSupport"]),
        .testTarget(name: "TicketingTests", dependencies: ["Ticketing", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Ticketing", "CSQLite", "TestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "CCurl", "TestSupport"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "MIME", "Store", "Ticketing", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Store", "Ticketing", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["CLI", "Daemon", "MIME", "Transport", "Store", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
