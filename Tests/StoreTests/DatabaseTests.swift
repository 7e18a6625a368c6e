import CSQLite
import Foundation
@testable import Store
import XCTest

final class DatabaseTests: StoreTestCase {
    func testEveryValueKindRoundTripsThroughBoundParameters() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v ANY) STRICT")
            let values: [SQLValue] = [
                .null, .integer(0), .integer(Int64.min), .integer(Int64.max), .real(-0.5), .real(1e300),
                .text(""), .text("Grüße, 日本語 and \"quotes\" and 'apostrophes'"), .text("line\nbreak\r\nand\ttab"),
                .blob([0, 1, 0, 255, 0]), .blob([0]), .blob([]),
            ]
            for v in values { try db.execute("INSERT INTO t (v) VALUES (?)", [v]) }
            let back = try db.query("SELECT v FROM t ORDER BY id").map { $0["v"] }
            XCTAssertEqual(back, values, kind)
        }
    }

    func testAnEmptyBlobStaysAnEmptyBlobNotNull() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (b BLOB NOT NULL)")
            try db.execute("INSERT INTO t VALUES (?)", [[UInt8]()])
            XCTAssertEqual(try db.row("SELECT typeof(b) AS k, length(b) AS n FROM t")?.text("k"), "blob", kind)
            XCTAssertEqual(try db.row("SELECT b FROM t")?["b"], .blob([]), kind)
        }
    }

    func testBlobsWithNULBytesKeepTheirFullLength() {
        forEachDatabase { db, kind in
            let bytes: [UInt8] = Array("From: a\r\n\r\nbody\0with\0nuls\u{1}".utf8) + [0xFF, 0xFE, 0x00]
            try db.execute("CREATE TABLE t (b BLOB)")
            try db.execute("INSERT INTO t VALUES (?)", [bytes])
            let row = try XCTUnwrap(db.row("SELECT b, length(b) AS n FROM t"))
            XCTAssertEqual(row.blob("b"), bytes, kind)
            XCTAssertEqual(row.int("n"), Int64(bytes.count), kind)
        }
    }

    func testTextWithNULBytesIsStoredWhole() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (s TEXT)")
            let text = "Subject: a\0b\0"
            try db.execute("INSERT INTO t VALUES (?)", [text])
            let row = try XCTUnwrap(db.row("SELECT s, length(CAST(s AS BLOB)) AS n, typeof(s) AS k FROM t"))
            XCTAssertEqual(row.text("s"), text, kind)
            XCTAssertEqual(row.int("n"), Int64(text.utf8.count), kind)
            XCTAssertEqual(row.text("k"), "text", kind)
        }
    }

    func testTextThatLooksLikeSQLIsStoredNotRun() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (s TEXT)")
            let hostile = "x'); DROP TABLE t; --"
            try db.execute("INSERT INTO t VALUES (?)", [hostile])
            XCTAssertEqual(try db.row("SELECT s FROM t")?.text("s"), hostile, kind)
        }
    }

    func testSwiftValuesBindAsTheirSQLKinds() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (a, b, c, d, e)")
            let none: String? = nil
            try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [42, true, 2.5, "s", none])
            let row = try XCTUnwrap(db.row("SELECT typeof(a) AS a, typeof(b) AS b, typeof(c) AS c, typeof(d) AS d, typeof(e) AS e FROM t"))
            XCTAssertEqual(["a", "b", "c", "d", "e"].map(row.text), ["integer", "integer", "real", "text", "null"], kind)
        }
    }

    /// Prepared statements still alive on the connection, as SQLite counts them.
    func preparedStatementCount(_ db: Database) -> Int {
        var n = 0
        var stmt = sqlite3_next_stmt(db.handle, nil)
        while let s = stmt { n += 1; stmt = sqlite3_next_stmt(db.handle, s) }
        return n
    }

    func testTheSameSQLReusesOnePreparedStatement() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (n INTEGER)")
            try db.execute("INSERT INTO t VALUES (?)", [0])
            let before = preparedStatementCount(db)
            for i in 1...100 { try db.execute("INSERT INTO t VALUES (?)", [i]) }
            XCTAssertEqual(preparedStatementCount(db), before, "\(kind): 100 runs of cached SQL prepare nothing new")
            XCTAssertEqual(try db.row("SELECT COUNT(*) AS n, SUM(n) AS s FROM t")?.int("s"), 5050, kind)
            let withSum = preparedStatementCount(db)
            try db.execute("INSERT INTO t  VALUES (?)", [0])
            XCTAssertEqual(preparedStatementCount(db), withSum + 1, "\(kind): different SQL text, a new statement")
        }
    }

    func testACachedStatementWorksAgainAfterAFailedRun() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (n INTEGER UNIQUE)")
            try db.execute("INSERT INTO t VALUES (?)", [1])
            XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES (?)", [1]), kind)
            try db.execute("INSERT INTO t VALUES (?)", [2])
            XCTAssertEqual(try db.query("SELECT n FROM t ORDER BY n").map { $0.int("n") }, [1, 2], kind)
        }
    }

    func testTheWrongNumberOfArgumentsIsAnError() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (a, b)")
            XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES (?, ?)", [1])) { error in
                let e = error as? StoreError
                XCTAssertEqual(e?.kind, .invalid, kind)
                XCTAssertEqual(e?.sql, "INSERT INTO t VALUES (?, ?)", kind)
            }
        }
    }

    // MARK: - Transactions

    struct Abort: Error {}

    func testAThrowingTransactionRollsEverythingBack() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (n INTEGER)")
            XCTAssertThrowsError(try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                try db.execute("INSERT INTO t VALUES (2)")
                throw Abort()
            }) { XCTAssertTrue($0 is Abort, kind) }
            XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM t")?.int("n"), 0, kind)
            try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
            XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM t")?.int("n"), 1, "\(kind): usable after a rollback")
        }
    }

    func testATransactionReturnsItsBodysValue() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (n INTEGER)")
            let id = try db.transaction { () -> Int64 in
                try db.execute("INSERT INTO t VALUES (7)")
                return db.lastInsertRowID
            }
            XCTAssertEqual(id, 1, kind)
        }
    }

    func testAFailedNestedTransactionRollsBackOnlyItsSavepoint() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (n INTEGER)")
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                XCTAssertThrowsError(try db.transaction {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Abort()
                })
                try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
            }
            XCTAssertEqual(try db.query("SELECT n FROM t ORDER BY n").map { $0.int("n") }, [1, 3], kind)
        }
    }

    func testAnOuterRollbackUndoesACommittedInnerSavepoint() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE t (n INTEGER)")
            XCTAssertThrowsError(try db.transaction {
                try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
                throw Abort()
            })
            XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM t")?.int("n"), 0, kind)
        }
    }

    func testASecondWriterGetsABusyErrorNotAHang() throws {
        let path = temporaryDatabasePath()
        let first = try Database(path: path)
        try first.execute("CREATE TABLE t (n INTEGER)")
        let second = try Database(path: path, busyTimeoutMilliseconds: 0)
        try first.execute("BEGIN IMMEDIATE")
        XCTAssertThrowsError(try second.transaction { try second.execute("INSERT INTO t VALUES (1)") }) { error in
            XCTAssertEqual((error as? StoreError)?.isBusy, true, "\(error)")
        }
        try first.execute("COMMIT")
        try second.transaction { try second.execute("INSERT INTO t VALUES (1)") }
        XCTAssertEqual(try first.row("SELECT COUNT(*) AS n FROM t")?.int("n"), 1)
    }

    // MARK: - Errors

    func testAnErrorNamesTheSQLButNeverTheBoundValues() {
        forEachDatabase { db, kind in
            try db.execute("CREATE TABLE people (email TEXT UNIQUE, note TEXT NOT NULL)")
            let secret = "alice.secret@example.com"
            try db.execute("INSERT INTO people VALUES (?, ?)", [secret, "first"])
            XCTAssertThrowsError(try db.execute("INSERT INTO people VALUES (?, ?)", [secret, "password hunter2"])) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("INSERT INTO people VALUES (?, ?)"), "\(kind): \(text)")
                XCTAssertTrue(text.contains("UNIQUE"), "\(kind): \(text)")
                XCTAssertFalse(text.contains(secret), "\(kind): \(text)")
                XCTAssertFalse(text.contains("hunter2"), "\(kind): \(text)")
                XCTAssertFalse(String(reflecting: error).contains("hunter2"), "\(kind): debug description too")
            }
        }
    }

    func testAnSQLSyntaxErrorIsThrownWithItsCode() {
        forEachDatabase { db, kind in
            XCTAssertThrowsError(try db.query("SELEC 1")) { error in
                guard case .sqlite(let code)? = (error as? StoreError)?.kind else { return XCTFail("\(kind): \(error)") }
                XCTAssertEqual(code, SQLITE_ERROR, kind)
                XCTAssertTrue("\(error)".contains("SELEC 1"), kind)
            }
        }
    }

    func testOpeningAnUnreachablePathIsAStoreErrorNamingThePath() {
        XCTAssertThrowsError(try Database(path: "/nonexistent-dir/postdesk/x.db")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent-dir/postdesk/x.db"), "\(error)")
        }
    }

    func testAFileDatabaseUsesWALAndForeignKeys() throws {
        let db = try Database(path: temporaryDatabasePath())
        XCTAssertEqual(try db.row("PRAGMA journal_mode")?[0].string, "wal")
        XCTAssertEqual(try db.row("PRAGMA foreign_keys")?[0].int, 1)
        XCTAssertEqual(try db.quickCheck(), "ok")
    }
}
