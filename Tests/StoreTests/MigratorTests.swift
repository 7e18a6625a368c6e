import Foundation
@testable import Store
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
}
