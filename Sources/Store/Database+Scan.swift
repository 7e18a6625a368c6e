import CSQLite

extension Database {
    /// Runs a query and hands each row to `body` as a cursor, without building `Row` values:
    /// for aggregating a million rows (reports), where allocation per row would dominate.
    public func scan(_ sql: String, _ arguments: [any SQLBindable] = [], _ body: (RowCursor) throws -> Void) throws {
        let stmt = try statement(sql)
        let values = arguments.map(\.sqlValue)
        try stmt.bind(values)
        defer {
            sqlite3_reset(stmt.handle)
            sqlite3_clear_bindings(stmt.handle)
        }
        let cursor = RowCursor(handle: stmt.handle)
        // Blobs are bound without a copy: `values` must outlive the run.
        try withExtendedLifetime(values) {
            while true {
                let rc = sqlite3_step(stmt.handle)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else { throw error(code: rc, sql: sql) }
                try body(cursor)
            }
        }
    }
}

/// The current row of a `Database.scan`, valid only inside its callback.
public struct RowCursor {
    let handle: OpaquePointer

    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func optionalInt(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}
