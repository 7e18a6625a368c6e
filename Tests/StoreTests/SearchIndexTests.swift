import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// The full-text index: what it finds (any script, with or without accents), how it ranks and
/// filters, what a bad query gives, and how an older store is indexed after the migration.
final class SearchIndexTests: StoreTestCase {
    /// A ticket with one inbound message holding `body`, indexed as the intake indexes it.
    @discardableResult
    func ticket(_ db: Database, subject: String, body: String, requester: String = "ann@customer.test",
                queue: String = "support", status: TicketStatus = .new, at: Int64 = 1_000) throws -> (ticket: TicketRecord, row: Int64) {
        let store = TicketStore(db: db)
        let t = try store.createTicket(subject: subject, requester: requester, queue: queue, status: status, actor: requester, now: at)
        let row = try store.addMessage(ticketID: t.id, direction: "in", messageID: nil, sha256: "x", raw: Array(body.utf8),
                                       fromAddress: requester, subject: subject, sentAt: nil, decision: nil, now: at)
        try SearchIndex(db: db).add(messageRow: row, subject: subject, body: body, at: at)
        return (t, row)
    }

    func numbers(_ db: Database, _ typed: String, order: SearchRequest.Order = .best, status: String? = nil, queue: String? = nil,
                 requester: String? = nil, since: Int64? = nil) throws -> [Int64] {
        try SearchIndex(db: db).search(SearchRequest(query: SearchQuery.fts(typed), status: status, queue: queue, requester: requester,
                                                     since: since, order: order)).map(\.ticketNumber)
    }

    func migrated(_ db: Database) throws -> Database {
        try Schema.migrator.migrate(db, now: 0)
        return db
    }

    func testCyrillicWordsMatchWhateverTheirCase() {
        forEachDatabase { db, kind in
            let db = try migrated(db)
            try ticket(db, subject: "Принтер не печатает", body: "Добрый день, ПРИНТЕР в бухгалтерии молчит.")
            try ticket(db, subject: "Other", body: "Nothing to see")
            XCTAssertEqual(try numbers(db, "принтер"), [1], kind)
            XCTAssertEqual(try numbers(db, "бухгалтерии"), [1], kind)
        }
    }

    func testUkrainianLettersAreTheirOwnLetters() {
        forEachDatabase { db, kind in
            let db = try migrated(db)
            try ticket(db, subject: "Ґанок і їжак", body: "Ґудзик на ґанку; їжак у дворі")
            XCTAssertEqual(try numbers(db, "ґанок"), [1], kind)
            XCTAssertEqual(try numbers(db, "ЇЖАК"), [1], "upper case folds")
            XCTAssertEqual(try numbers(db, "ґудзик"), [1], kind)
            XCTAssertEqual(try numbers(db, "ганок"), [], "г is not ґ")
        }
    }

    func testGermanUmlautsMatchWithAndWithoutDiacritics() {
        forEachDatabase { db, kind in
            let db = try migrated(db)
            try ticket(db, subject: "Drucker", body: "Die Größe der Übersicht ist falsch, schöne Grüße")
            try ticket(db, subject: "Ubersicht", body: "ohne Umlaut geschrieben: Ubersicht")
            XCTAssertEqual(Set(try numbers(db, "übersicht")), [1, 2], kind)
            XCTAssertEqual(Set(try numbers(db, "ubersicht")), [1, 2], kind)
            XCTAssertEqual(try numbers(db, "GRUßE"), [1], kind)
            XCTAssertEqual(try numbers(db, "café"), [], kind)
        }
    }

    func testAPhraseMatchesOnlyTheWordsInOrder() throws {
        let db = try migrated(try Database(path: ":memory:"))
        try ticket(db, subject: "a", body: "the paper tray is jammed")
        try ticket(db, subject: "b", body: "jammed again, the tray for paper")
        XCTAssertEqual(Set(try numbers(db, "paper tray")), [1, 2])
        XCTAssertEqual(try numbers(db, "\"paper tray\""), [1])
        XCTAssertEqual(Set(try numbers(db, "pap*")), [1, 2], "prefix")
        XCTAssertEqual(try numbers(db, "paper NOT tray"), [])
        XCTAssertEqual(Set(try numbers(db, "jammed OR nothing")), [1, 2])
    }

    func testBestFirstPutsTheSubjectAndTheDensestTextFirstNewestFirstPutsTheLatest() throws {
        let db = try migrated(try Database(path: ":memory:"))
        try ticket(db, subject: "Invoice question", body: "I have a question about my invoice number and the invoice total", at: 1_000)
        try ticket(db, subject: "Hello", body: String(repeating: "A long story about many other things. ", count: 40) + "invoice", at: 2_000)
        try ticket(db, subject: "Misc", body: "Some words then invoice, once", at: 3_000)
        XCTAssertEqual(try numbers(db, "invoice"), [1, 3, 2])
        XCTAssertEqual(try numbers(db, "invoice", order: .newest), [3, 2, 1])
    }

    func testOneHitPerTicketFromItsBestMessage() throws {
        let db = try migrated(try Database(path: ":memory:"))
        let (t, _) = try ticket(db, subject: "Router", body: "router is down")
        let store = TicketStore(db: db)
        let row = try store.addMessage(ticketID: t.id, direction: "in", messageID: nil, sha256: "y", raw: [], fromAddress: "ann@customer.test",
                                       subject: "Re: Router", sentAt: nil, decision: nil, now: 2_000)
        try SearchIndex(db: db).add(messageRow: row, subject: "Re: Router", body: "router router router still down", at: 2_000)
        let hits = try SearchIndex(db: db).search(SearchRequest(query: "router"))
        XCTAssertEqual(hits.map(\.ticketNumber), [1])
        XCTAssertEqual(hits.first?.messageRow, row)
        XCTAssertEqual(hits.first?.at, 2_000)
    }

    func testFiltersNarrowByStatusQueueRequesterAndTime() throws {
        let db = try migrated(try Database(path: ":memory:"))
        try ticket(db, subject: "VPN", body: "vpn broken", requester: "ann@a.test", queue: "support", status: .open, at: 1_000)
        try ticket(db, subject: "VPN", body: "vpn broken", requester: "bob@b.test", queue: "billing", status: .resolved, at: 2_000)
        XCTAssertEqual(try numbers(db, "vpn", status: "open"), [1])
        XCTAssertEqual(try numbers(db, "vpn", queue: "billing"), [2])
        XCTAssertEqual(try numbers(db, "vpn", requester: "ANN@a.test"), [1])
        XCTAssertEqual(try numbers(db, "vpn", since: 1_500), [2])
        XCTAssertEqual(try numbers(db, "vpn", status: "closed"), [])
    }

    func testNotesAreFoundOnTheirTicket() throws {
        let db = try migrated(try Database(path: ":memory:"))
        let (t, _) = try ticket(db, subject: "Laptop", body: "screen flickers")
        let event = try TicketStore(db: db).addEvent(ticketID: t.id, type: "note", actor: "agent@x.test", reason: "Known firmware bug FW-221", now: 1_500)
        try SearchIndex(db: db).add(noteEvent: event, text: "Known firmware bug FW-221", at: 1_500)
        let hits = try SearchIndex(db: db).search(SearchRequest(query: SearchQuery.fts("firmware")))
        XCTAssertEqual(hits.map(\.ticketNumber), [1])
        XCTAssertEqual(hits.first?.noteEvent, event)
        XCTAssertNil(hits.first?.messageRow)
    }

    func testAMalformedQueryIsASearchErrorWithoutSQL() throws {
        let db = try migrated(try Database(path: ":memory:"))
        try ticket(db, subject: "x", body: "y")
        for bad in ["\"unbalanced", "printer AND", "(printer", "\"x\" title:printer"] {
            XCTAssertThrowsError(try numbers(db, bad), bad) { error in
                guard case SearchError.malformedQuery(let detail) = error else { return XCTFail("\(bad): \(error)") }
                XCTAssertFalse(detail.contains("SELECT"), detail)
                XCTAssertFalse("\(error)".contains("search_index"), "\(error)")
            }
        }
    }

    func testSnippetsMarkTheMatchedWordsAsTheIndexMatchedThem() throws {
        let db = try migrated(try Database(path: ":memory:"))
        let marked = try SearchIndex(db: db).snippets(query: "ubersicht", documents: [(7, "Frage", "Die Übersicht ist leer, bitte helfen")])
        XCTAssertEqual(marked[7], "Die **Übersicht** ist leer, bitte helfen")
        let empty = try SearchIndex(db: db).snippets(query: "zzz", documents: [(7, "Frage", "nothing")])
        XCTAssertNil(empty[7])
    }

    func testOneTicketMatchingManyTimesLeavesRoomForTheOthers() {
        forEachDatabase { db, kind in
            let db = try migrated(db)
            let busy = try ticket(db, subject: "kettle", body: "kettle kettle kettle", at: 1_000).ticket
            for i in 1...30 {
                let row = try TicketStore(db: db).addMessage(ticketID: busy.id, direction: "in", messageID: nil, sha256: "x", raw: [],
                                                             fromAddress: "ann@customer.test", subject: "kettle", sentAt: nil,
                                                             decision: nil, now: 1_000 + Int64(i))
                try SearchIndex(db: db).add(messageRow: row, subject: "kettle", body: "kettle kettle kettle", at: 1_000 + Int64(i))
            }
            try ticket(db, subject: "Other", body: "the kettle is cold and the tea is weak today", at: 2_000)
            try ticket(db, subject: "Third", body: "a kettle, a pot and a long list of other things", at: 3_000)
            let index = SearchIndex(db: db)
            for order in SearchRequest.Order.allCases {
                // The best 15 documents are all ticket 1's: the search looks further, as the filtered one does.
                let plain = try index.search(SearchRequest(query: "kettle", limit: 3, order: order))
                let filtered = try index.search(SearchRequest(query: "kettle", status: "new", limit: 3, order: order))
                XCTAssertEqual(plain, filtered, "\(kind) \(order)")
                XCTAssertEqual(Set(plain.map(\.ticketNumber)), [1, 2, 3], "\(kind) \(order)")
            }
            XCTAssertEqual(try numbers(db, "kettle").first, 1, "short texts that say it often rank first")
            XCTAssertEqual(try numbers(db, "kettle", order: .newest), [3, 2, 1])
        }
    }

    func testTheMigrationIndexesAnOlderStoreInBatches() throws {
        let db = try Database(path: temporaryDatabasePath())
        let old = Migrator(migrations: Array(Schema.migrator.migrations.prefix { $0.id != "v6-add-search-index" }))
        try old.migrate(db, now: 0)
        let store = TicketStore(db: db)
        for i in 1...5 {
            let t = try store.createTicket(subject: "Old \(i)", requester: "c@x.test", queue: "support", actor: "c@x.test", now: Int64(i))
            try store.addMessage(ticketID: t.id, direction: "in", messageID: nil, sha256: "s", raw: Array("body kettle \(i)".utf8),
                                 fromAddress: "c@x.test", subject: "Old \(i)", sentAt: nil, decision: nil, now: Int64(i))
        }
        try store.addMessage(ticketID: 1, direction: "out", messageID: nil, sha256: "s", raw: Array("our kettle ack".utf8),
                             fromAddress: "support@x.test", subject: "ack", sentAt: nil, decision: nil, now: 9)
        try Schema.migrator.migrate(db, now: 10)
        let index = SearchIndex(db: db)
        XCTAssertEqual(try index.backfillRemaining(), 5, "inbound messages on tickets only")
        XCTAssertEqual(try numbers(db, "kettle"), [])
        XCTAssertEqual(try index.backfill(limit: 2) { String(decoding: $0.raw, as: UTF8.self) }, 2)
        XCTAssertEqual(try index.backfillRemaining(), 3)
        while try index.backfill(limit: 2, text: { String(decoding: $0.raw, as: UTF8.self) }) > 0 {}
        XCTAssertEqual(try index.backfillRemaining(), 0)
        XCTAssertEqual(try numbers(db, "kettle", order: .newest), [5, 4, 3, 2, 1])
        XCTAssertEqual(Set(try numbers(db, "old")), [1, 2, 3, 4, 5], "subjects too")
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM search_documents")?.int("n"), 5, "none indexed twice")
        XCTAssertEqual(try index.backfill(limit: 2) { _ in "x" }, 0, "nothing left")
    }
}
