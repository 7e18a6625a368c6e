import CSQLite
import Foundation
@testable import Store
import XCTest

/// Which SQLite errors are the store's fault (retry the batch, skip nothing) and which the
/// message's (quarantine it alone): every result code, decided on purpose.
final class StoreFaultClassificationTests: StoreTestCase {
    func testEverySQLiteResultCodeIsClassifiedAsStoreOrMessageFailure() {
        let expected: [Int32: StoreFault] = [
            SQLITE_ERROR: .message, SQLITE_INTERNAL: .store(.other), SQLITE_PERM: .store(.readOnly),
            SQLITE_ABORT: .store(.other), SQLITE_BUSY: .store(.busy), SQLITE_LOCKED: .store(.busy),
            SQLITE_NOMEM: .store(.outOfMemory), SQLITE_READONLY: .store(.readOnly), SQLITE_INTERRUPT: .store(.other),
            SQLITE_IOERR: .store(.ioError), SQLITE_CORRUPT: .store(.corrupt), SQLITE_NOTFOUND: .store(.other),
            SQLITE_FULL: .store(.full), SQLITE_CANTOPEN: .store(.unavailable), SQLITE_PROTOCOL: .store(.other),
            SQLITE_EMPTY: .store(.other), SQLITE_SCHEMA: .store(.other), SQLITE_TOOBIG: .message,
            SQLITE_CONSTRAINT: .message, SQLITE_MISMATCH: .message, SQLITE_MISUSE: .store(.other),
            SQLITE_NOLFS: .store(.ioError), SQLITE_AUTH: .store(.readOnly), SQLITE_FORMAT: .store(.other),
            SQLITE_RANGE: .message, SQLITE_NOTADB: .store(.corrupt), SQLITE_NOTICE: .store(.other),
            SQLITE_WARNING: .store(.other),
        ]
        XCTAssertEqual(expected.count, 28, "SQLite's primary result codes 1-28")
        for code in Int32(1)...28 {
            XCTAssertEqual(StoreFault.of(resultCode: code), expected[code], "result code \(code)")
        }
        XCTAssertEqual(StoreFault.of(resultCode: 99), .store(.other), "a code SQLite may add later retries, never quarantines")
    }

    func testExtendedResultCodesAreClassifiedByTheirPrimaryCode() {
        XCTAssertEqual(StoreFault.of(resultCode: SQLITE_IOERR | (4 << 8)), .store(.ioError), "SQLITE_IOERR_SHORT_READ")
        XCTAssertEqual(StoreFault.of(resultCode: SQLITE_IOERR | (3 << 8)), .store(.ioError), "SQLITE_IOERR_WRITE")
        XCTAssertEqual(StoreFault.of(resultCode: SQLITE_READONLY | (1 << 8)), .store(.readOnly), "SQLITE_READONLY_RECOVERY")
        XCTAssertEqual(StoreFault.of(resultCode: SQLITE_BUSY | (2 << 8)), .store(.busy), "SQLITE_BUSY_SNAPSHOT")
        XCTAssertEqual(StoreFault.of(resultCode: SQLITE_CONSTRAINT | (8 << 8)), .message, "SQLITE_CONSTRAINT_UNIQUE")
        XCTAssertEqual(StoreFault.of(resultCode: SQLITE_ABORT | (2 << 8)), .store(.other), "SQLITE_ABORT_ROLLBACK")
    }

    func testAFullStoreReportsStoreFullWithAdviceAndAReadOnlyOneStoreReadOnly() throws {
        let db = try Database(path: temporaryDatabasePath())
        try db.execute("CREATE TABLE t (b BLOB)")
        let pages = try XCTUnwrap(db.row("PRAGMA page_count")?[0].int)
        try db.execute("PRAGMA max_page_count = \(pages + 1)")
        XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES (?)", [[UInt8](repeating: 7, count: 100_000)])) { error in
            XCTAssertEqual((error as? StoreError)?.condition, .full, "\(error)")
            XCTAssertTrue(StoreCondition.full.advice.contains("free space"))
        }
        try db.execute("PRAGMA query_only = 1")
        XCTAssertThrowsError(try db.execute("INSERT INTO t VALUES (1)")) { error in
            XCTAssertEqual((error as? StoreError)?.condition, .readOnly, "\(error)")
        }
    }

    func testANonStoreErrorInAStepThatMustNotFailBecomesAStoreFailure() {
        let constraint = StoreError(kind: .sqlite(code: SQLITE_CONSTRAINT), message: "FOREIGN KEY constraint failed")
        XCTAssertFalse(constraint.isStoreFailure)
        let failure = constraint.asStoreFailure(while: "the quarantine insert")
        XCTAssertTrue(failure.isStoreFailure)
        XCTAssertTrue(failure.description.contains("the quarantine insert failed"), failure.description)
        let full = StoreError(kind: .sqlite(code: SQLITE_FULL), message: "database or disk is full")
        XCTAssertEqual(full.asStoreFailure(while: "x").condition, .full, "a store failure keeps its condition")
    }

    /// SQLite rolls a transaction back by itself after some SQLITE_FULL errors; the statements
    /// that follow must not silently commit on their own.
    func testAfterSQLiteRolledTheTransactionBackNoFurtherStatementRunsOutsideIt() throws {
        let db = try Database(path: temporaryDatabasePath())
        try db.execute("CREATE TABLE t (b BLOB)")
        try db.execute("CREATE TABLE cursor (n INTEGER)")
        try db.execute("INSERT INTO cursor VALUES (0)")
        let pages = try XCTUnwrap(db.row("PRAGMA page_count")?[0].int)
        try db.execute("PRAGMA max_page_count = \(pages + 3)")
        var thrown: Error?
        do {
            try db.transaction {
                for n in 1...50 {
                    // A caller that takes a failed step for the message's fault and carries on.
                    do {
                        try db.transaction { try db.execute("INSERT INTO t VALUES (?)", [[UInt8](repeating: UInt8(n), count: 4000)]) }
                    } catch let error as StoreError where !error.isStoreFailure {
                        continue
                    }
                    try db.execute("UPDATE cursor SET n = ?", [n])
                }
            }
        } catch { thrown = error }
        let error = try XCTUnwrap(thrown as? StoreError, "the transaction must fail as a whole")
        XCTAssertTrue(error.isStoreFailure, "\(error)")
        XCTAssertFalse(db.inTransaction)
        XCTAssertEqual(try db.row("SELECT n FROM cursor")?[0].int, 0, "nothing of the failed transaction committed")
        XCTAssertEqual(try db.row("SELECT COUNT(*) FROM t")?[0].int, 0)
    }
}
