import Foundation
@testable import Store
import TestSupport
import XCTest

/// Best-first search ranks by `postdesk_bm25`: FTS5's BM25, except that a phrase's document
/// count stops being counted at `SearchRanking.exactCountLimit` and is estimated beyond it.
final class SearchRankingTests: XCTestCase {
    func index() throws -> Database {
        let db = try Database(path: ":memory:")
        try Schema.migrator.migrate(db, now: 0)
        try SearchRanking.register(on: db)
        try db.execute("PRAGMA foreign_keys=OFF") // documents without their messages: only the index is ranked here
        let words = ["kettle", "tea", "pot", "cold", "weak", "router", "printer", "invoice", "Übersicht", "принтер"]
        var seed: UInt64 = 7
        for i in 1...120 {
            var body: [String] = []
            for _ in 0..<(3 + i % 17) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                body.append(words[Int(seed >> 33) % words.count])
            }
            try db.execute("INSERT INTO search_documents (id, event_id, created_at) VALUES (?, ?, ?)", [Int64(i), Int64(i), Int64(i)])
            try db.execute("INSERT INTO search_index (rowid, subject, body) VALUES (?, ?, ?)",
                           [Int64(i), i % 5 == 0 ? "kettle" : "misc", body.joined(separator: " ")])
        }
        return db
    }

    func testTheScoreIsFTS5sBM25WhileEveryPhraseIsUnderTheCountLimit() throws {
        let db = try index()
        for query in ["kettle", "kettle tea", "kettle OR printer", "\"tea pot\"", "subject:kettle", "tea NOT pot", "kett*",
                      "ubersicht", "ПРИНТЕР router", "(cold OR weak) AND invoice"] {
            let rows = try db.query("""
                SELECT rowid, bm25(search_index) AS fts5, postdesk_bm25(search_index, (SELECT MAX(id) FROM search_documents)) AS ours
                FROM search_index WHERE search_index MATCH ? ORDER BY rowid
                """, [query])
            XCTAssertFalse(rows.isEmpty, query)
            for row in rows {
                let fts5 = row["fts5"].double!, ours = row["ours"].double!
                XCTAssertEqual(ours, fts5, accuracy: 1e-12 * max(1, abs(fts5)), "\(query) row \(row.int("rowid"))")
            }
        }
    }

    func testAPhraseInMoreDocumentsThanTheLimitIsEstimatedFromTheShareOfTheIndexItsLastCountedDocumentReached() {
        let limit = SearchRanking.exactCountLimit
        // Under the limit: the count is exact.
        XCTAssertEqual(SearchRanking.estimatedDocuments(.init(documents: 12, lastRowid: 0), rows: 1_000_000, maxRowid: 1_000_000), 12)
        // The limit reached a fifth of the way into the index: five times the limit.
        XCTAssertEqual(SearchRanking.estimatedDocuments(.init(documents: limit, lastRowid: 200_000), rows: 1_000_000, maxRowid: 1_000_000),
                       5 * limit)
        // Reached at the very last document: all of them were counted.
        XCTAssertEqual(SearchRanking.estimatedDocuments(.init(documents: limit, lastRowid: 1_000_000), rows: 1_000_000, maxRowid: 1_000_000),
                       limit)
        // Never more than there are documents.
        XCTAssertEqual(SearchRanking.estimatedDocuments(.init(documents: limit, lastRowid: 20_000), rows: 30_000, maxRowid: 1_000_000),
                       30_000)
    }

    func testAWordInEveryDocumentRanksAsFTS5DoesBeyondTheLimit() throws {
        // A word in 25 000 documents (over the limit), a rare one in a few: the same order as bm25().
        let db = try Database(path: ":memory:")
        try Schema.migrator.migrate(db, now: 0)
        try SearchRanking.register(on: db)
        try db.execute("PRAGMA foreign_keys=OFF") // documents without their messages: only the index is ranked here
        try db.transaction {
            for i in 1...Int64(25_000) {
                try db.execute("INSERT INTO search_index (rowid, subject, body) VALUES (?, '', ?)",
                               [i, i % 1_000 == 0 ? "please please help zebra" : (i % 7 == 0 ? "please help now please" : "please help")])
            }
            try db.execute("INSERT INTO search_documents (id, event_id, created_at) VALUES (25000, 1, 1)")
        }
        let query = """
            SELECT rowid FROM search_index WHERE search_index MATCH 'please OR zebra'
            ORDER BY %@, rowid DESC LIMIT 40
            """
        let fts5 = try db.query(query.replacingOccurrences(of: "%@", with: "bm25(search_index)")).map { $0.int("rowid") }
        let ours = try db.query(query.replacingOccurrences(of: "%@", with: "postdesk_bm25(search_index, 25000)")).map { $0.int("rowid") }
        XCTAssertEqual(ours, fts5)
        XCTAssertEqual(Array(ours.prefix(25)), (1...25).reversed().map { Int64($0) * 1_000 })
    }
}
