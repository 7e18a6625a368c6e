import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// A process a test started. Once reaped it is never signalled or waited for again: its pid
/// may be another process's by then (and waiting for it would spin until the timeout).
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private var reaped = false

    public init(pid: pid_t) { self.pid = pid }

    /// Its exit status (as `TestDesk.wait`), waiting at most `timeoutSeconds`, then killed; reaped either way.
    public func exitStatus(timeoutSeconds: Double = 120) -> Int32 {
        reaped = true
        return TestDesk.wait(pid, timeoutSeconds: timeoutSeconds)
    }

    /// SIGKILL and reap, unless the test already reaped it.
    public func killUnlessReaped() {
        guard !reaped else { return }
        kill(pid, SIGKILL)
        _ = exitStatus(timeoutSeconds: 5)
    }
}

extension XCTestCase {
    /// `desk.spawn`, killed when the test ends unless the test waited for its exit (`exitStatus`).
    public func spawn(_ desk: TestDesk, _ arguments: [String], logFile: String, environment: [String: String] = [:]) throws -> SpawnedProcess {
        let process = SpawnedProcess(pid: try desk.spawn(arguments, logFile: logFile, environment: environment))
        addTeardownBlock { process.killUnlessReaped() }
        return process
    }
}
