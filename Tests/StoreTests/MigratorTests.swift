import Foundation
@testable import Store
import Ticketing
import XCTest

final class MigratorTests: StoreTestCase {
    /// A schema history of three steps, as postdesk's own grows.
    static let history = [
        Migration("v1-create-notes", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT"),
        Migration("v2-add-note-author", sql: "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown'"),
        Migration("v3-index-note-author", sql: "CREATE INDEX notes_author ON notes(author)"),
    ]

    func migrator(first n: Int = history.count) -> Migrator { Migrator(migrations: Array(Self.history.prefix(n))) }

    func recorded(_ db: Database) throws -> [(String, Int64)] {
        try db.query("SELECT id, applied_at FROM schema_migrations ORDER BY rowid").map { ($0.text("id"), $0.int("applied_at")) }
    }

    func testAFreshDatabaseGetsEveryMigrationInOrderAndRecordsThem() {
        forEachDatabase { db, kind in
            let ran = try migrator().migrate(db, now: 1000)
            XCTAssertEqual(ran, ["v1-create-notes", "v2-add-note-author", "v3-index-note-author"], kind)
            XCTAssertEqual(try recorded(db).map(\.0), ran, kind)
            XCTAssertEqual(try recorded(db).map(\.1), [1000, 1000, 1000], kind)
            XCTAssertEqual(try db.row("PRAGMA user_version")?[0].int, 3, kind)
            XCTAssertNotNil(try db.row("SELECT name FROM sqlite_master WHERE name = 'notes_author'"), kind)
        }
    }

    func testMigratingTwiceChangesNothing() {
        forEachDatabase { db, kind in
            try migrator().migrate(db, now: 1000)
            XCTAssertEqual(try migrator().migrate(db, now: 2000), [], kind)
            XCTAssertEqual(try recorded(db).map(\.1), [1000, 1000, 1000], "\(kind): records keep their first time")
            XCTAssertEqual(try migrator().pending(in: db), [], kind)
        }
    }

    func testOpeningAnUpToDateStoreWritesNothingSoAWriterDoesNotBlockIt() throws {
        let path = temporaryDatabasePath()
        try migrator().migrate(try Database(path: path), now: 1000)
        let writer = try Database(path: path)
        try writer.execute("BEGIN IMMEDIATE")
        defer { try? writer.execute("ROLLBACK") }
        // A read-only command opening the store while the daemon holds the write lock.
        let reader = try Database(path: path, busyTimeoutMilliseconds: 0)
        XCTAssertEqual(try migrator().migrate(reader, now: 2000), [])
        XCTAssertEqual(try reader.row("PRAGMA user_version")?[0].int, 3)
    }

    func testPendingListsWhatMigrateWouldApply() {
        forEachDatabase { db, kind in
            XCTAssertEqual(try migrator().pending(in: db), Self.history.map(\.id), kind)
            try migrator(first: 1).migrate(db, now: 1)
            XCTAssertEqual(try migrator().pending(in: db), ["v2-add-note-author", "v3-index-note-author"], kind)
            XCTAssertEqual(try migrator().applied(in: db), ["v1-create-notes"], kind)
        }
    }

    func testADatabaseFromAnOlderVersionIsUpgradedAndKeepsItsData() throws {
        let path = temporaryDatabasePath("old.db")
        do {
            // Made by "the previous release", which knew only the first migration.
            let old = try Database(path: path)
            try migrator(first: 1).migrate(old, now: 100)
            try old.execute("INSERT INTO notes (body) VALUES (?)", ["written by v1"])
            try old.execute("INSERT INTO notes (body) VALUES (?)", ["bytes\0kept"])
        }
        let db = try Database(path: path)
        XCTAssertEqual(try migrator().migrate(db, now: 200), ["v2-add-note-author", "v3-index-note-author"])
        let rows = try db.query("SELECT body, author FROM notes ORDER BY id")
        XCTAssertEqual(rows.map { $0.text("body") }, ["written by v1", "bytes\0kept"])
        XCTAssertEqual(rows.map { $0.text("author") }, ["unknown", "unknown"])
        XCTAssertEqual(try recorded(db).map(\.1), [100, 200, 200])
    }

    func testADatabaseFromANewerVersionIsRefused() throws {
        let path = temporaryDatabasePath("new.db")
        try migrator().migrate(try Database(path: path), now: 100)
        let db = try Database(path: path)
        XCTAssertThrowsError(try migrator(first: 2).migrate(db, now: 200)) { error in
            guard let e = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .schemaTooNew(unknown: ["v3-index-note-author"]))
            XCTAssertTrue(e.description.contains("upgrade postdesk"), e.description)
        }
        XCTAssertEqual(try recorded(db).count, 3, "nothing changed")
    }

    func testAFailingMigrationLeavesNoTraceAndStopsTheRest() {
        forEachDatabase { db, kind in
            let broken = Migrator(migrations: Self.history.prefix(1) + [
                Migration("v2-broken", sql: "CREATE TABLE half (x); CREATE TABLE oops ("),
                Migration("v3-after", sql: "CREATE TABLE after (x)"),
            ])
            XCTAssertThrowsError(try broken.migrate(db, now: 1), kind)
            XCTAssertEqual(try recorded(db).map(\.0), ["v1-create-notes"], kind)
            XCTAssertNil(try db.row("SELECT name FROM sqlite_master WHERE name = 'half'"), "\(kind): rolled back")
            XCTAssertNil(try db.row("SELECT name FROM sqlite_master WHERE name = 'after'"), "\(kind): not attempted")
        }
    }

    func testPostdesksOwnSchemaAppliesToAFreshStore() {
        forEachDatabase { db, kind in
            let ran = try Schema.migrator.migrate(db, now: 1)
            XCTAssertEqual(ran, Schema.migrator.migrations.map(\.id), kind)
            XCTAssertEqual(try db.quickCheck(), "ok", kind)
            for table in ["tickets", "messages", "ticket_events", "attachments", "mailbox_cursors", "outbox", "quarantine"] {
                XCTAssertNotNil(try db.row("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [table]), "\(kind): \(table)")
            }
        }
    }

    func testShippedMigrationIdsAreOrderedVerbPhrases() {
        for (i, m) in Schema.migrator.migrations.enumerated() {
            XCTAssertTrue(m.id.hasPrefix("v\(i + 1)-"), "\(m.id) is migration \(i + 1)")
        }
    }

    /// Every migration that has shipped, in order, with the SHA-256 of its SQL: a database in the
    /// field has run exactly these, so none may be edited, renamed, renumbered or reordered.
    /// A new migration is appended to `Schema.migrator`; add its row here once it has landed.
    static let shipped: [(id: String, sqlSHA256: String)] = [
        ("v1-create-core-tables", "b37d6fcbb82624c8788af264534e4ea4f379207b5486cf0ed3aae0832912a142"),
        ("v2-add-deliveries-and-mailbox-state", "869591383411415382615267e6cec3fda97946877ebd8db93a6ddeae059aa4bf"),
        ("v3-add-participants-links-undeliverable", "14e64844d85b69ac841ebe89a3e8a8c9a32d42b2aa6f99f02fc8aa889e5fd9d8"),
        ("v4-add-ticket-sla", "9814c55475e21c8f3d67d72ac46fb447b1950ce2c56cfc7535e054b5c73d7cfc"),
        ("v5-add-mailbox-unaccounted", "b5eeb85212052d21881974dbdbc610a2c814b4c1d30f32b9162ebbd5856d1326"),
        ("v6-add-search-index", "53aec82ba6a9bd19b3a0272e6c29354f06631414614cddbad5066b2b191df325"),
        ("v7-add-report-figures", "6eb4e695eb9816611d91d180436c0b58be7bb0b36c3de731e454cec3b62c8d48"),
        ("v8-add-mailbox-listen-mode", "f58c57e01aa1a44322aa3c928231ed1f094f5e0b238894a8ad2746d4e38e7473"),
        ("v9-add-outbox-unconfirmed", "db5cfd503a8b0e3a739d2aab7672327aa9d00e324236c5e86e526d62229dd979"),
        ("v10-add-routing-fields-tags-rotation", "61545d68bd449b1e78bcaa6a22e3579f91ffa413d158b3d87b8eebfcaaeba4b6"),
        ("v11-add-outbox-delivery-record", "c255d3f034da2ef49d14108c3a85eb332101fb5114964b0b89a8aa517e611e41"),
        ("v12-add-sla-silence-and-applied-settings", "024aea287f272de40328dc302a43aafe8d00ee19b91238876fbdf35b016713f1"),
        ("v13-add-ticket-merge-and-related-links", "3ea89d9b4f450855eee4e6823a9508955252f20c07c1223098016278d4fd9d9f"),
        ("v14-add-automatic-senders", "4badf1abf9cabd941cce994550a504c58cdf213904ad554f65e1b7f875d5a29b"),
        ("v15-add-report-keys-and-list-indexes", "9d5ca923023070cf8b1b8e2ea0f24a4f31080414528831ea91b81c86fd55a81d"),
        ("v16-add-attachment-part-path", "4aa22060cfd89cad8b11edbc4a44f52cdbeb20f2b2a454309fe89004f309ffb7"),
        ("v17-add-message-raw", "b981eb958f7d9c659a6ff939c3bd08f21984ee41b4393ca78230e3ca75c3a0ca"),
        // v18's SQL was rewritten once, on purpose (session 3): its first form rewrote every message
        // row at the first start after an upgrade (3.6 minutes on a million tickets); the second
        // writes only what the decision text cannot tell, and readers take the rest from that text,
        // so a store migrated by either form reads the same classes and daily counts.
        ("v18-add-message-class", "0d435f4e90ea4ff78e4d1cd1438303609e6f7278e339a136011d560e1c024cee"),
        ("v19-add-rating-index", "7a9864c08f29931e053f7e3a5e5d7f749c9956dddc75fcfd57bef790a3a04d82"),
        ("v20-add-sla-retime-progress", "054f45e371d493f7b02c57cdea80828d8a3dada59a844912b08dff104858c522"),
        ("v21-add-sla-retime-failures", "9abc735e957979198f5ca27be20a59d32a01f4597ef6ff941f8d69439d58321f"),
        ("v22-add-sla-outcomes-to-report-figures", "2bf6d76c98757241b8ae9014b522fa48f502198f640763d6c947bb7233cfc526"),
        ("v23-status-figures-from-status-events-only", "18457c3bb5f064ce3ed33cfebe431d18f4ae0837236f670964ef16f18b93ebb8"),
    ]

    /// The decision text's sender class is spelled in three places: v7's trigger and v18's
    /// backfill (shipped, frozen) and the readers' `TicketStore.messageColumns`. The readers build
    /// theirs from `TicketStore.classFromDecision`; the frozen ones must say the very same.
    func testTheFrozenMigrationsReadTheDecisionTextAsTheReadersDo() {
        func spaced(_ sql: String) -> String { sql.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let v7 = spaced(Schema.v7AddReportFigures.sql), v18 = spaced(Schema.v18AddMessageClass.sql)
        XCTAssertTrue(v7.contains("VALUES (new.created_at / 86400, \(TicketStore.classFromDecision("new.decision")), 1)"), "v7's trigger")
        XCTAssertTrue(v7.contains("SELECT created_at / 86400 AS d, \(TicketStore.classFromDecision("decision")) AS c"), "v7's backfill")
        XCTAssertTrue(v18.contains("\(TicketStore.classFromDecision("decision")) AS counted"), "v18's spam move")
        XCTAssertTrue(TicketStore.messageColumns.contains(TicketStore.classFromDecision("decision")))
    }

    func testShippedMigrationsAreFrozenInOrderWithTheirSQL() {
        let migrations = Schema.migrator.migrations
        XCTAssertGreaterThanOrEqual(migrations.count, Self.shipped.count, "a shipped migration was removed")
        XCTAssertEqual(migrations.prefix(Self.shipped.count).map(\.id), Self.shipped.map(\.id))
        for (migration, frozen) in zip(migrations, Self.shipped) {
            XCTAssertEqual(SHA256.hex(Array(migration.sql.utf8)), frozen.sqlSHA256, "\(migration.id): its SQL changed")
        }
    }
}
