import Foundation

/// The temporary directories this test process made, removed at exit unless
/// `POSTDESK_KEEP_TEST_DIRS` is set. One registry per process; `atexit` runs after XCTest
/// has finished every test, so no test still uses them.
public final class TemporaryDirectories: @unchecked Sendable {
    public static let shared = TemporaryDirectories()

    private let lock = NSLock()
    private var paths: [String] = []
    private var armed = false
    private let removesAtExit: Bool

    /// `removesAtExit: false` for a registry a test empties itself.
    public init(removesAtExit: Bool = true) { self.removesAtExit = removesAtExit }

    public func register(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        paths.append(url.path)
        if removesAtExit && !armed {
            armed = true
            atexit { TemporaryDirectories.shared.removeAll() }
        }
    }

    public func isRegistered(_ url: URL) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return paths.contains(url.path)
    }

    /// Removes every registered directory, or none when `environment` asks to keep them.
    public func removeAll(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let keep = environment["POSTDESK_KEEP_TEST_DIRS"], !keep.isEmpty, keep != "0" { return }
        lock.lock()
        let taken = paths
        paths = []
        lock.unlock()
        for path in taken { try? FileManager.default.removeItem(atPath: path) }
    }
}
