import CSQLite
import Foundation

/// Copies the write-ahead log back into the database file on its own thread and connection,
/// so the daemon's writer rarely stops to do it. SQLite's automatic checkpoint runs inside the
/// commit that crosses the threshold: reading the log back, writing the pages into the file and
/// an fsync, a third of the writer's I/O time in the intake benchmark. A PASSIVE checkpoint
/// takes no lock the writer needs, so the two proceed side by side; readers (the CLI) are not
/// disturbed either.
///
/// The log only starts over from its beginning when a checkpoint has copied all of it before
/// the writer's next transaction, which a writer that never pauses does not allow: the log then
/// grows without end (200 MB for 10 000 messages), every write extends the file, and the end
/// of the run deletes it. So once the log holds `restartFrames`, the committing writer waits
/// for the checkpoint in progress to catch up, and its next transaction reuses the log.
public final class WALCheckpointer: @unchecked Sendable {
    /// Log frames (pages) after which a commit asks for a checkpoint; SQLite's default.
    public let thresholdFrames: Int32
    /// Log frames after which a commit waits for the checkpoint to catch up.
    public let restartFrames: Int32
    /// Called with the error when a checkpoint fails (the log then grows until the next one).
    public var onError: @Sendable (Error) -> Void = { _ in }
    private let writer: Database
    private let connection: Database
    private let condition = NSCondition()
    /// Checkpoints asked for and checkpoints finished, counted; a checkpoint that starts after
    /// request n finishes n.
    private var requestedGeneration = 0
    private var finishedGeneration = 0
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
    public init(writer: Database, thresholdFrames: Int32 = 1000, restartFrames: Int32 = 4000) throws {
        self.writer = writer
        self.thresholdFrames = thresholdFrames
        self.restartFrames = max(thresholdFrames, restartFrames)
        self.connection = try Database(path: writer.path)
    }

    /// Call `start` and `stop` on the writer's thread (they install and remove its hook).
    public func start() {
        condition.lock()
        guard stopped else { condition.unlock(); return }
        stopped = false
        stopping = false
        condition.unlock()
        let threshold = thresholdFrames, restart = restartFrames
        // Runs on the writer's thread after each commit, with the write lock already released.
        writer.onWALCommit { [weak self] frames in
            guard let self else { return }
            if frames >= restart {
                self.catchUp()
            } else if frames >= threshold {
                self.request()
            }
        }
        let thread = Thread { [self] in loop() }
        thread.name = "postdesk-checkpoint"
        thread.start()
    }

    /// Asks for a checkpoint soon; returns at once.
    public func request() {
        condition.lock()
        requestedGeneration += 1
        condition.signal()
        condition.unlock()
    }

    /// Asks for a checkpoint and waits until one that started after this call has finished.
    public func catchUp() {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, !stopping else { return }
        requestedGeneration += 1
        let target = requestedGeneration
        condition.broadcast()
        while finishedGeneration < target && !stopped && !stopping { condition.wait() }
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
            while requestedGeneration == finishedGeneration && !stopping { condition.wait() }
            if stopping { break }
            let generation = requestedGeneration
            condition.unlock()
            checkpoint()
            condition.lock()
            finishedGeneration = max(finishedGeneration, generation)
            condition.broadcast()
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
