import CSQLite

extension Database {
    /// Writes `bytes` into the zero-filled blob at `table.column` of `row` (made by `zeroblob(n)`
    /// of the same length), piece by piece straight from the caller's buffer. An INSERT of the
    /// value itself would copy all of it once more into SQLite's record before writing it.
    public func writeBlob(table: String, column: String, row: Int64, bytes: [UInt8], pieceBytes: Int = 1 << 20) throws {
        let what = "blob write \(table).\(column)"
        var opened: OpaquePointer?
        let rc = sqlite3_blob_open(handle, "main", table, column, row, 1, &opened)
        guard rc == SQLITE_OK, let blob = opened else {
            if let opened { sqlite3_blob_close(opened) }
            throw error(code: rc, sql: what)
        }
        defer { sqlite3_blob_close(blob) }
        guard Int(sqlite3_blob_bytes(blob)) == bytes.count else {
            throw StoreError(kind: .invalid, message: "the blob holds \(sqlite3_blob_bytes(blob)) bytes, not \(bytes.count)", sql: what)
        }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = min(pieceBytes, buffer.count - offset)
                let rc = sqlite3_blob_write(blob, buffer.baseAddress! + offset, Int32(n), Int32(offset))
                guard rc == SQLITE_OK else { throw error(code: rc, sql: what) }
                offset += n
            }
        }
    }
}
