import Foundation
import Store
import XCTest

final class WALCheckpointerTests: StoreTestCase {
    func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    /// A file database with one blob table, and a started checkpointer on it.
    func makeWriter(thresholdFrames: Int32, restartFrames: Int32 = 4000) throws -> (path: String, writer: Database, checkpointer: WALCheckpointer) {
        let path = temporaryDatabasePath()
        let writer = try Database(path: path)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
        let checkpointer = try WALCheckpointer(writer: writer, thresholdFrames: thresholdFrames, restartFrames: restartFrames)
        checkpointer.start()
        return (path, writer, checkpointer)
    }

    func testCommitsPastTheThresholdAreCheckpointedByTheOtherThreadAndNothingIsLost() throws {
        let (path, writer, checkpointer) = try makeWriter(thresholdFrames: 8)
        let blob = [UInt8](repeating: 0xAB, count: 16 * 1024)
        for _ in 0..<40 {
            try writer.transaction { for _ in 0..<4 { try writer.execute("INSERT INTO t (b) VALUES (?)", [blob]) } }
        }
        let deadline = Date().addingTimeInterval(10)
        while checkpointer.checkpoints == 0 && Date() < deadline { usleep(10_000) }
        XCTAssertGreaterThan(checkpointer.checkpoints, 0, "the checkpoint thread copied the log back")
        checkpointer.stop()

        let reader = try Database(path: path, readOnly: true)
        XCTAssertEqual(try reader.row("SELECT COUNT(*) AS n, SUM(length(b)) AS s FROM t")?.int("n"), 160)
        XCTAssertEqual(try reader.row("SELECT SUM(length(b)) AS s FROM t")?.int("s"), Int64(160 * blob.count))
        XCTAssertEqual(try reader.quickCheck(), "ok")
    }

    func testWithoutTheCheckpointerTheWriterDoesNotCheckpointAndAfterStopItDoesAgain() throws {
        let (path, writer, checkpointer) = try makeWriter(thresholdFrames: 1_000_000)
        let blob = [UInt8](repeating: 1, count: 64 * 1024)
        // ~1 600 frames: past SQLite's own threshold (1 000), below the checkpointer's.
        for _ in 0..<100 { try writer.execute("INSERT INTO t (b) VALUES (?)", [blob]) }
        XCTAssertEqual(checkpointer.checkpoints, 0)
        let grown = walBytes(path)
        XCTAssertGreaterThan(grown, 6 << 20, "the writer left checkpointing to the checkpointer")
        checkpointer.stop()
        XCTAssertEqual(checkpointer.checkpoints, 1, "stop runs a last checkpoint")
        // The writer's automatic checkpoint is back: the log is reused from the start, not grown.
        for _ in 0..<100 { try writer.execute("INSERT INTO t (b) VALUES (?)", [blob]) }
        XCTAssertLessThanOrEqual(walBytes(path), grown)
        XCTAssertEqual(try writer.row("SELECT COUNT(*) AS n FROM t")?.int("n"), 200)
    }

    func testAWriterThatNeverPausesStillHasItsLogStartOverInsteadOfGrowing() throws {
        let (path, writer, checkpointer) = try makeWriter(thresholdFrames: 16, restartFrames: 64)
        let blob = [UInt8](repeating: 7, count: 16 * 1024)
        // 400 x 16 KB = 6.4 MB through the log, one commit after another.
        for _ in 0..<400 { try writer.execute("INSERT INTO t (b) VALUES (?)", [blob]) }
        // The log is reused from its start: it stays near restartFrames pages (4 KB each plus
        // headers), far below the 6.4 MB written.
        XCTAssertLessThan(walBytes(path), 1 << 20)
        checkpointer.stop()
        XCTAssertEqual(try writer.row("SELECT COUNT(*) AS n FROM t")?.int("n"), 400)
        XCTAssertEqual(try writer.quickCheck(), "ok")
    }
}
