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
    private var bytes: [[UInt8]] = []
    /// FNV-1a of the text to the keys with that hash (compared byte for byte): no allocation
    /// for a text seen before, which is nearly every row of a big scan.
    private var byHash: [UInt64: [Int]] = [:]

    public init() {}

    mutating func key(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        if let candidates = byHash[h] {
            for k in candidates where bytes[k].elementsEqual(text) { return k }
        }
        let k = names.count
        let array = Array(text)
        bytes.append(array)
        names.append(String(decoding: array, as: UTF8.self))
        byHash[h, default: []].append(k)
        return k
    }
}
