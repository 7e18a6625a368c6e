import CSQLite
import Foundation

/// `postdesk_bm25(search_index, max_rowid)`: FTS5's own BM25 (k1 = 1.2, b = 0.75, all columns
/// weighted 1, lower is better), computed the way `fts5_aux.c` does, with one difference in
/// how a word's document count (its IDF) is found.
///
/// FTS5's `bm25()` counts the documents containing each phrase of the query by walking the
/// phrase's whole posting list: for a word in half of 2.7 million documents that alone is ~25 ms,
/// whatever the window of documents ranked. Here the count stops at `exactCountLimit`; a phrase
/// found more often is estimated from how far into the index (by rowid, which grows with time)
/// its `exactCountLimit`-th document lies. Below the limit the score equals `bm25()`; above it the
/// phrase is in more than `exactCountLimit` documents and its IDF is small either way (a wrong
/// estimate by a factor of 2 moves it by at most log 2), so the order changes only between
/// documents whose common words weigh almost the same.
enum SearchRanking {
    static let functionName = "postdesk_bm25"
    static let exactCountLimit: Int64 = 20_000

    /// Registers the function on `db`'s connection (once per connection).
    static func register(on db: Database) throws {
        var api: UnsafeMutablePointer<fts5_api>?
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db.handle, "SELECT fts5(?1)", -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw db.error(code: sqlite3_errcode(db.handle), sql: "SELECT fts5(?1)")
        }
        defer { sqlite3_finalize(stmt) }
        let type = UnsafeRawPointer(fts5PointerType.utf8Start).assumingMemoryBound(to: CChar.self)
        // FTS5 writes its API pointer through the bound pointer while the statement steps.
        let rc = withUnsafeMutablePointer(to: &api) { slot -> Int32 in
            sqlite3_bind_pointer(stmt, 1, slot, type, nil)
            return sqlite3_step(stmt)
        }
        guard rc == SQLITE_ROW, let api, let create = api.pointee.xCreateFunction else {
            throw StoreError(kind: .sqlite(code: rc), message: "FTS5 is not available in this SQLite")
        }
        let created = create(api, functionName, nil, { api, fts, context, count, values in
            guard let api, let fts, let context else { return }
            SearchRanking.score(api: api, fts: fts, context: context, arguments: count, values: values)
        }, nil)
        guard created == SQLITE_OK else { throw StoreError(kind: .sqlite(code: created), message: "cannot register \(functionName)") }
    }

    private static let fts5PointerType: StaticString = "fts5_api_ptr"

    /// The per-query figures (average document length, each phrase's IDF), made at the first row.
    final class QueryFigures {
        let averageLength: Double
        let idf: [Double]
        init(averageLength: Double, idf: [Double]) {
            self.averageLength = averageLength
            self.idf = idf
        }
    }

    private static func score(api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, context: OpaquePointer,
                              arguments: Int32, values: UnsafeMutablePointer<OpaquePointer?>?) {
        let a = api.pointee
        let maxRowid = arguments > 0 ? sqlite3_value_int64(values![0]) : 0
        let figures: QueryFigures
        if let saved = a.xGetAuxdata!(fts, 0) {
            figures = Unmanaged<QueryFigures>.fromOpaque(saved).takeUnretainedValue()
        } else {
            guard let made = makeFigures(api: api, fts: fts, maxRowid: maxRowid) else {
                sqlite3_result_error(context, "\(functionName): cannot read the index", -1)
                return
            }
            figures = made
            let box = Unmanaged.passRetained(made).toOpaque()
            if a.xSetAuxdata!(fts, box, { Unmanaged<QueryFigures>.fromOpaque($0!).release() }) != SQLITE_OK {
                sqlite3_result_error(context, "\(functionName): out of memory", -1)
                return
            }
        }
        let k1 = 1.2, b = 0.75
        var frequency = [Double](repeating: 0, count: figures.idf.count)
        var instances: Int32 = 0
        guard a.xInstCount!(fts, &instances) == SQLITE_OK else { return error(context) }
        for i in 0..<instances {
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            guard a.xInst!(fts, i, &phrase, &column, &offset) == SQLITE_OK else { return error(context) }
            frequency[Int(phrase)] += 1
        }
        var tokens: Int32 = 0
        guard a.xColumnSize!(fts, -1, &tokens) == SQLITE_OK else { return error(context) }
        let length = Double(tokens)
        var score = 0.0
        for (i, f) in frequency.enumerated() {
            score += figures.idf[i] * (f * (k1 + 1)) / (f + k1 * (1 - b + b * length / figures.averageLength))
        }
        sqlite3_result_double(context, -score)
    }

    private static func error(_ context: OpaquePointer) {
        sqlite3_result_error(context, "\(functionName): cannot read the index", -1)
    }

    /// What a capped count of one phrase's documents saw.
    struct PhraseCount {
        var documents: Int64 = 0
        var lastRowid: Int64 = 0
    }

    private static func makeFigures(api: UnsafePointer<Fts5ExtensionApi>, fts: OpaquePointer, maxRowid: Int64) -> QueryFigures? {
        let a = api.pointee
        var rows: Int64 = 0, tokens: Int64 = 0
        guard a.xRowCount!(fts, &rows) == SQLITE_OK, a.xColumnTotalSize!(fts, -1, &tokens) == SQLITE_OK else { return nil }
        let averageLength = rows > 0 ? Double(tokens) / Double(rows) : 1
        var idf: [Double] = []
        for phrase in 0..<a.xPhraseCount!(fts) {
            var count = PhraseCount()
            let rc = a.xQueryPhrase!(fts, phrase, &count) { api, fts, user in
                let count = user!.assumingMemoryBound(to: PhraseCount.self)
                count.pointee.documents += 1
                guard count.pointee.documents >= SearchRanking.exactCountLimit else { return SQLITE_OK }
                count.pointee.lastRowid = api!.pointee.xRowid!(fts)
                return SQLITE_DONE
            }
            guard rc == SQLITE_OK else { return nil }
            let hits = Double(estimatedDocuments(count, rows: rows, maxRowid: maxRowid))
            let value = log((Double(rows) - hits + 0.5) / (hits + 0.5))
            idf.append(value > 0 ? value : 1e-6)
        }
        return QueryFigures(averageLength: averageLength, idf: idf)
    }

    /// The documents containing a phrase: exact below the limit; above it, the limit scaled by
    /// the share of the index (by rowid) that held the first `exactCountLimit` of them.
    static func estimatedDocuments(_ count: PhraseCount, rows: Int64, maxRowid: Int64) -> Int64 {
        guard count.documents >= exactCountLimit, count.lastRowid > 0, maxRowid > count.lastRowid else { return count.documents }
        let share = Double(count.lastRowid) / Double(maxRowid)
        return min(rows, Int64(Double(count.documents) / share))
    }
}
