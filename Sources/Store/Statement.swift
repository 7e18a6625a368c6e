import CSQLite

// SQLite's SQLITE_TRANSIENT and SQLITE_STATIC are macros casting -1 and 0 to a function
// pointer, which Swift cannot import.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
let sqliteStatic: sqlite3_destructor_type? = nil

/// A prepared statement, owned and cached by its `Database`.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let db: Database

    init(db: Database, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db.handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw db.error(code: rc, sql: sql)
        }
        self.db = db
        self.handle = stmt
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `arguments`. Blobs are bound without a copy (SQLITE_STATIC): the caller keeps
    /// `arguments` alive until the statement has run (`Database.query` does), and `rows()`
    /// clears the bindings after, so no pointer outlives them.
    func bind(_ arguments: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == arguments.count else {
            throw StoreError(kind: .invalid, message: "statement expects \(expected) arguments, got \(arguments.count)", sql: sql)
        }
        for (i, value) in arguments.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let text):
                // Bound by byte count, not as a C string: text from mail may hold NUL bytes.
                var s = text
                rc = s.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, sqliteTransient) }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let b):
                rc = b.withUnsafeBytes { raw in
                    // A zero-length blob must still be a blob, not NULL: pass a non-nil pointer.
                    // No copy: a stored message is held once more inside SQLite's record anyway.
                    sqlite3_bind_blob64(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(b.count), sqliteStatic)
                }
            }
            guard rc == SQLITE_OK else { throw db.error(code: rc, sql: sql) }
        }
    }

    /// Runs the statement to completion, collecting every row.
    func rows() throws -> [Row] {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var result: [Row] = []
        var columns: [String]?
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw db.error(code: rc, sql: sql) }
            let count = Int(sqlite3_column_count(handle))
            if columns == nil {
                columns = (0..<count).map { String(cString: sqlite3_column_name(handle, Int32($0))) }
            }
            var values: [SQLValue] = []
            values.reserveCapacity(count)
            for i in 0..<Int32(count) {
                switch sqlite3_column_type(handle, i) {
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, i)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, i)))
                case SQLITE_TEXT:
                    let n = Int(sqlite3_column_bytes(handle, i))
                    let p = sqlite3_column_text(handle, i)!
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
                case SQLITE_BLOB:
                    let n = Int(sqlite3_column_bytes(handle, i))
                    if n == 0 { values.append(.blob([])) } else {
                        let p = sqlite3_column_blob(handle, i)!.assumingMemoryBound(to: UInt8.self)
                        values.append(.blob(Array(UnsafeBufferPointer(start: p, count: n))))
                    }
                default: values.append(.null)
                }
            }
            result.append(Row(columns: columns!, values: values))
        }
        return result
    }
}
