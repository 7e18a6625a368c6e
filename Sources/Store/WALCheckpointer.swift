import CSQLite
import Foundation

/// Copies the write-ahead log back into the database file on its own thread and connection,
/// so the daemon's writer never stops to do it. SQLite's automatic checkpoint runs inside the
/// commit that crosses the threshold: reading the log back, writing the pages into the file and
/// an fsync, a third of the writer's I/O time in the intake benchmark. A PASSIVE checkpoint
/// takes no lock the writer needs, so the two proceed side by side; readers (the CLI) are not
/// disturbed either.
public final class WALCheckpointer: @unchecked Sendable {
    /// Log frames (pages) after which a commit asks for a checkpoint; SQLite's default.
    public let thresholdFrames: Int32
    /// Called with the error when a checkpoint fails (the log then grows until the next one).
    public var onError: @Sendable (Error) -> Void = { _ in }
    private let writer: Database
    private let connection: Database
    private let condition = NSCondition()
    private var requested = false
    private var stopping = false
    private var stopped = true
    private var completed = 0
    /// Checkpoints run so far (tests and diagnostics).
    public var checkpoints: Int {
        condition.lock()
        defer { condition.unlock() }
        return completed
    }

    /// `writer`: the connection whose commits fill the log; its automatic checkpoint is
    /// replaced by a request to this thread.
    public init(writer: Database, thresholdFrames: Int32 = 1000) throws {
        self.writer = writer
        self.thresholdFrames = thresholdFrames
        self.connection = try Database(path: writer.path)
    }

    /// Call `start` and `stop` on the writer's thread (they install and remove its hook).
    public func start() {
        condition.lock()
        guard stopped else { condition.unlock(); return }
        stopped = false
        stopping = false
        condition.unlock()
        let threshold = thresholdFrames
        writer.onWALCommit { [weak self] frames in
            if frames >= threshold { self?.request() }
        }
        let thread = Thread { [self] in loop() }
        thread.name = "postdesk-checkpoint"
        thread.start()
    }

    /// Asks for a checkpoint soon; returns at once.
    public func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    /// Waits for a checkpoint in progress, runs a last one, and gives the writer its automatic
    /// checkpoint back.
    public func stop() {
        condition.lock()
        guard !stopped else { condition.unlock(); return }
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
        writer.onWALCommit(nil)
        checkpoint()
    }

    private func loop() {
        condition.lock()
        while true {
            while !requested && !stopping { condition.wait() }
            if stopping { break }
            requested = false
            condition.unlock()
            checkpoint()
            condition.lock()
        }
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func checkpoint() {
        do {
            try connection.query("PRAGMA wal_checkpoint(PASSIVE)")
            condition.lock()
            completed += 1
            condition.unlock()
        } catch {
            onError(error)
        }
    }
}
