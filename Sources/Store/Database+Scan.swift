import CSQLite

extension Database {
    /// Runs a query and hands each row to `body` as a cursor, without building `Row` values:
    /// for aggregating a million rows (reports), where allocation per row would dominate.
    public func scan(_ sql: String, _ arguments: [any SQLBindable] = [], _ body: (RowCursor) throws -> Void) throws {
        let stmt = try statement(sql)
        try stmt.bind(arguments.map(\.sqlValue))
        defer { sqlite3_reset(stmt.handle) }
        let cursor = RowCursor(handle: stmt.handle)
        while true {
            let rc = sqlite3_step(stmt.handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(code: rc, sql: sql) }
            try body(cursor)
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

    /// The column's text as a small number, the same for equal texts: a String is made only
    /// the first time a text is seen. nil for NULL.
    public func key(_ column: Int32, in names: inout NameTable) -> Int? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return names.key(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))))
    }
}

/// Distinct texts seen in a scan, numbered in order of first appearance.
public struct NameTable {
    public private(set) var names: [String] = []
    private var keys: [[UInt8]: Int] = [:]
    private var last: (bytes: [UInt8], key: Int)?

    public init() {}

    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // Rows often repeat the previous text (sorted or clustered data): compare before hashing.
        if let last, last.bytes.elementsEqual(bytes) { return last.key }
        let array = Array(bytes)
        if let k = keys[array] { last = (array, k); return k }
        let k = names.count
        names.append(String(decoding: array, as: UTF8.self))
        keys[array] = k
        last = (array, k)
        return k
    }
}
