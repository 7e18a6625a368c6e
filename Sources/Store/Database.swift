import CSQLite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connection to the postdesk SQLite database: WAL, foreign keys on, a busy timeout,
/// prepared statements cached by SQL text, and every value bound, never interpolated.
///
/// A `Database` is used from one thread at a time (the daemon's loop or a CLI command).
public final class Database: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]
    private var transactionDepth = 0
    /// Whether `SearchRanking`'s function is registered on this connection.
    var searchRankingRegistered = false
    /// Called with each statement's SQL before it runs, when set: tests count what a message
    /// costs in statements (the intake's store thread is bound by them).
    public var onStatement: ((String) -> Void)?

    /// Opens (creating if needed) the database at `path`; `":memory:"` gives a private in-memory one.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5000, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        // NOMUTEX: a connection is used from one thread at a time (its statement cache is not
        // locked either), so SQLite's own per-call mutex only cost time (a tenth of a yearly report).
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(kind: .sqlite(code: rc), message: "\(message) (\(path))")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        if !readOnly && path != ":memory:" {
            _ = try query("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=NORMAL")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        if walHook != nil { sqlite3_wal_hook(handle, nil, nil) }
        walHook?.release()
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The closure behind `onWALCommit`, retained while installed.
    private var walHook: Unmanaged<WALHookBox>?

    /// Calls `body` after each commit with the number of frames now in the write-ahead log,
    /// instead of SQLite's automatic checkpoint (see `WALCheckpointer`). nil restores the
    /// automatic checkpoint.
    public func onWALCommit(_ body: ((Int32) -> Void)?) {
        walHook?.release()
        walHook = nil
        guard let body else {
            sqlite3_wal_hook(handle, nil, nil)
            sqlite3_wal_autocheckpoint(handle, 1000)
            return
        }
        let box = Unmanaged.passRetained(WALHookBox(body))
        walHook = box
        sqlite3_wal_hook(handle, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALHookBox>.fromOpaque(context).takeUnretainedValue().body(frames)
            return SQLITE_OK
        }, box.toOpaque())
    }

    func error(code: Int32, sql: String?) -> StoreError {
        var code = code
        var message = String(cString: sqlite3_errmsg(handle))
        // An I/O error whose cause is a read-only or full filesystem is named for it, so the
        // operator reads "store-readonly" or "store-full", not a generic disk error.
        if code & 0xff == SQLITE_IOERR {
            switch sqlite3_system_errno(handle) {
            case EROFS: code = SQLITE_READONLY; message += " (read-only filesystem)"
            case ENOSPC, EDQUOT: code = SQLITE_FULL; message += " (no space left on the filesystem)"
            default: break
            }
        }
        return StoreError(kind: .sqlite(code: code), message: message, sql: sql)
    }

    func statement(_ sql: String) throws -> Statement {
        if let cached = cache[sql] { return cached }
        let stmt = try Statement(db: self, sql: sql)
        cache[sql] = stmt
        return stmt
    }

    /// True while a transaction is open on the connection (SQLite's own view).
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs one statement with bound arguments and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> [Row] {
        // After SQLITE_FULL, IOERR, NOMEM or BUSY, SQLite may roll the whole transaction back on
        // its own. A statement run then would commit by itself, outside the transaction its
        // caller believes it is in (a cursor moved past messages that were rolled back).
        if transactionDepth > 0 && !inTransaction {
            throw StoreError(kind: .sqlite(code: 4), message: "the transaction was rolled back by SQLite after an earlier error", sql: sql)
        }
        onStatement?(sql)
        let stmt = try statement(sql)
        let values = arguments.map(\.sqlValue)
        // Blobs are bound without a copy: `values` must outlive the run.
        return try withExtendedLifetime(values) {
            try stmt.bind(values)
            return try stmt.rows()
        }
    }

    /// Runs one statement with bound arguments, discarding rows.
    public func execute(_ sql: String, _ arguments: [any SQLBindable] = []) throws {
        _ = try query(sql, arguments)
    }

    /// The first row, or nil.
    public func row(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> Row? {
        try query(sql, arguments).first
    }

    /// Runs several statements with no arguments (schema scripts). Never used with data.
    public func executeScript(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw StoreError(kind: .sqlite(code: rc), message: message, sql: String(sql.prefix(200)))
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in one IMMEDIATE transaction (the write lock is taken up front, so two
    /// writers never deadlock half-way). Nested calls join the outer transaction via savepoints.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            // Prepared once per depth and cached like any statement: the intake opens a few
            // savepoints per message.
            let name = "sp\(transactionDepth)"
            try execute("SAVEPOINT \(name)")
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                // Only a savepoint rolled back may be released: releasing one whose rollback
                // failed would merge the failed body's rows into the outer transaction. When
                // SQLite has already rolled the whole transaction back (or the undo fails), the
                // caller must not go on as if only this savepoint failed: a store failure.
                guard inTransaction else { throw Database.transactionLost(after: error) }
                do {
                    try execute("ROLLBACK TO \(name)")
                    try execute("RELEASE \(name)")
                } catch {
                    throw Database.transactionLost(after: error)
                }
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        defer { transactionDepth = 0 }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` atomically: in its own transaction, or, when one is open, as a plain part of
    /// it, without a savepoint of its own. For writes whose every caller inside a transaction
    /// lets a failure roll back its own savepoint or transaction (never catches and carries on):
    /// the intake's message savepoint already makes a new ticket or its SLA clocks all or
    /// nothing, and a savepoint more per message cost two statements each.
    public func atomically<T>(_ body: () throws -> T) throws -> T {
        transactionDepth > 0 ? try body() : try transaction(body)
    }

    /// The error to throw when the outer transaction is gone: a store failure, keeping the
    /// original's code when it was one (SQLITE_FULL stays "store full").
    static func transactionLost(after error: Error) -> StoreError {
        if let store = error as? StoreError, store.isStoreFailure { return store }
        return StoreError(kind: .sqlite(code: 4), message: "the transaction was rolled back after: \(error)")
    }

    /// `PRAGMA quick_check`: "ok" when the file is sound.
    public func quickCheck() throws -> String {
        try query("PRAGMA quick_check").map { $0[0].string ?? "" }.joined(separator: "; ")
    }
}

/// Holds the `onWALCommit` closure for SQLite's C callback.
private final class WALHookBox {
    let body: (Int32) -> Void
    init(_ body: @escaping (Int32) -> Void) { self.body = body }
}
