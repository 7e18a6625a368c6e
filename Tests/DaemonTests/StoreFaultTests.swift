import Daemon
import Foundation
import Store
import TestSupport
import XCTest

/// A store that fills up (SQLite's `max_page_count`, which fails exactly like a full disk with
/// SQLITE_FULL) at every point of a batch: nothing is skipped, nothing wrongly quarantined,
/// nothing flagged on the server unstored, and all of it arrives once space returns.
final class StoreFaultTests: XCTestCase {
    var clock: FakeClock!
    var lines: LockedLines!

    override func setUp() {
        clock = FakeClock()
        lines = LockedLines()
    }

    func makePoller(db: Database, box: FakeMailbox, action: String = "seen", batchSize: Int = 200) throws -> Poller {
        let config = try Config.parse(Array("""
            {"database": ":memory:",
             "mailboxes": [{"name": "support", "url": "imap://127.0.0.1:1143", "tls": "none", "user": "support",
                            "password_env": "X", "after_import": "\(action)"}]}
            """.utf8), file: "test.json")
        let log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { [lines] in lines!.append($0) })
        let intake = Intake(db: db, config: config, clock: clock, log: log)
        return Poller(mailbox: config.mailboxes[0], source: box, intake: intake, clock: clock, log: log, batchSize: batchSize)
    }

    static func mail(_ n: Int, size: Int = 6000) -> [UInt8] {
        // Distinct bodies, so no two messages share pages by accident.
        let line = "Line of message \(n): the printer on floor \(n % 7) prints blank pages again.\r\n"
        let body = String(repeating: line, count: max(1, size / line.utf8.count))
        return Array("From: Customer \(n) <customer\(n)@example.test>\r\nTo: support@example.test\r\nSubject: Problem \(n)\r\nMessage-ID: <fault\(n)@example.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n\(body)".utf8)
    }

    func count(_ db: Database, _ sql: String) throws -> Int64 { try db.row(sql)?[0].int ?? -1 }

    func testAStoreFillingUpAtAnyPointOfABatchSkipsNothingAndQuarantinesNothing() throws {
        let messages = 12
        var fills = 0
        for headroom in stride(from: 0, through: 40, by: 2) {
            let dir = Fixtures.temporaryDirectory("postdesk-full")
            defer { try? FileManager.default.removeItem(at: dir) }
            let db = try Store.open(path: dir.appendingPathComponent("p.db").path, now: 0)
            let box = FakeMailbox()
            for n in 1...messages { box.append(Self.mail(n)) }
            let pages = try count(db, "PRAGMA page_count")
            try db.execute("PRAGMA max_page_count = \(pages + Int64(headroom))")
            let poller = try makePoller(db: db, box: box, batchSize: 5)
            let first = poller.poll()
            if !first.ok { fills += 1 }
            let stored = try count(db, "SELECT COUNT(*) FROM messages")
            XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM quarantine"), 0, "headroom \(headroom): \(first.error ?? "")")
            XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM deliveries"), stored, "headroom \(headroom)")
            let cursor = try MailboxStore(db: db).cursor("support")?.lastUID ?? 0
            XCTAssertEqual(cursor, stored, "headroom \(headroom): the cursor never passes an unstored message")
            XCTAssertTrue(Set(box.seenUIDs).isSubset(of: Set((try db.query("SELECT uid FROM deliveries")).map { $0.int("uid") })),
                          "headroom \(headroom): nothing flagged on the server that is not stored")
            // Space returns.
            try db.execute("PRAGMA max_page_count = 1000000")
            clock.advance(by: 3600)
            let second = poller.poll()
            XCTAssertTrue(second.ok, "headroom \(headroom): \(second.error ?? "")")
            XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM messages"), Int64(messages), "headroom \(headroom)")
            XCTAssertEqual(try count(db, "SELECT COUNT(DISTINCT message_id) FROM messages"), Int64(messages), "headroom \(headroom)")
            XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM quarantine"), 0, "headroom \(headroom)")
            XCTAssertEqual(box.seenUIDs, Array(1...Int64(messages)), "headroom \(headroom)")
        }
        XCTAssertGreaterThan(fills, 3, "the sweep must actually fill the store mid-batch")
    }

    func testAStoreThatStaysFullIsLoggedOnceWithWhatToDoAndBacksOffLikeAServerError() throws {
        let dir = Fixtures.temporaryDirectory("postdesk-full")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try Store.open(path: dir.appendingPathComponent("p.db").path, now: 0)
        let box = FakeMailbox()
        for n in 1...6 { box.append(Self.mail(n)) }
        try db.execute("PRAGMA max_page_count = \(try count(db, "PRAGMA page_count") + 4)")
        let poller = try makePoller(db: db, box: box, batchSize: 3)
        var polls = 0
        for _ in 0..<8 {
            let report = poller.pollIfDue()
            if report.skippedUntil == nil { polls += 1 }
            XCTAssertFalse(report.ok)
            XCTAssertEqual(report.storeCondition, .full, report.error ?? "")
            clock.advance(by: 2)
        }
        let failing = lines.all.filter { $0.contains("event=mailbox.failing") }
        XCTAssertEqual(failing.count, 1, failing.joined(separator: "\n"))
        XCTAssertTrue(failing[0].contains("reason=store-full"), failing[0])
        XCTAssertTrue(failing[0].contains("free space"), failing[0])
        XCTAssertLessThan(polls, 8, "backoff skips polls while the store is full")
        XCTAssertFalse(lines.all.contains { $0.contains("intake.quarantined") })
        XCTAssertEqual(box.seenUIDs, [])
        try db.execute("PRAGMA max_page_count = 1000000")
        clock.advance(by: 3600)
        XCTAssertTrue(poller.pollIfDue().ok)
        XCTAssertEqual(lines.all.filter { $0.contains("event=mailbox.recovered") }.count, 1)
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM messages"), 6)
        XCTAssertEqual(box.seenUIDs, Array(1...6))
    }

    /// A message that fails processing and then cannot be quarantined (here a trigger refuses
    /// the insert) must not be passed over: the batch stops, the cursor stays.
    func testAQuarantineInsertThatFailsIsAStoreFailureNotASkip() throws {
        let db = try Store.open(path: ":memory:", now: 0)
        let box = FakeMailbox()
        box.append(Self.mail(1))
        box.append([0, 1, 2, 3, 0xFF, 0xFE, 0, 0, 9])  // not mail: quarantined
        box.append(Self.mail(3))
        try db.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'refused'); END")
        let poller = try makePoller(db: db, box: box)
        let first = poller.poll()
        XCTAssertFalse(first.ok)
        XCTAssertNotNil(first.storeCondition, first.error ?? "")
        XCTAssertTrue(first.error?.contains("quarantine insert failed") ?? false, first.error ?? "")
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM messages"), 0, "the batch rolled back whole")
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID ?? 0, 0)
        XCTAssertEqual(box.seenUIDs, [])
        try db.execute("DROP TRIGGER refuse")
        clock.advance(by: 3600)
        let second = poller.poll()
        XCTAssertTrue(second.ok, second.error ?? "")
        XCTAssertEqual(second.imported, 2)
        XCTAssertEqual(second.quarantined, 1)
        XCTAssertEqual(box.seenUIDs, [1, 2, 3])
    }

    /// The cursor update failing is the store's failure too (here a trigger refuses it; the
    /// batch writes its cursor once, at its end, past its last message).
    func testACursorUpdateThatFailsEndsTheBatchWithNothingTaken() throws {
        let db = try Store.open(path: ":memory:", now: 0)
        let box = FakeMailbox()
        for n in 1...3 { box.append(Self.mail(n)) }
        let poller = try makePoller(db: db, box: box)
        _ = try MailboxStore(db: db).setCursor("support", uidValidity: 1, lastUID: 0, now: 0)
        try db.execute("CREATE TEMP TRIGGER refuse BEFORE UPDATE OF last_uid ON mailbox_cursors WHEN NEW.last_uid = 3 BEGIN SELECT RAISE(ABORT, 'refused'); END")
        let first = poller.poll()
        XCTAssertFalse(first.ok)
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM quarantine"), 0)
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM messages"), 0)
        XCTAssertEqual(box.seenUIDs, [])
        try db.execute("DROP TRIGGER refuse")
        clock.advance(by: 3600)
        XCTAssertEqual(poller.poll().imported, 3)
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM quarantine"), 0)
    }

    /// The after-import action applied on the server, but its record refused (a trigger plays
    /// the full disk): a store failure; the next poll applies the action again (harmless), and
    /// nothing is stored twice or skipped.
    func testAnAfterImportRecordThatFailsIsRedoneWithoutDuplicates() throws {
        let db = try Store.open(path: ":memory:", now: 0)
        let box = FakeMailbox()
        for n in 1...3 { box.append(Self.mail(n)) }
        let poller = try makePoller(db: db, box: box, action: "move:Processed")
        try db.execute("CREATE TEMP TRIGGER refuse BEFORE UPDATE OF action_done_at ON deliveries BEGIN SELECT RAISE(ABORT, 'refused'); END")
        let first = poller.poll()
        XCTAssertFalse(first.ok)
        XCTAssertNotNil(first.storeCondition, first.error ?? "")
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM messages"), 3, "the batch committed before the action")
        XCTAssertEqual(box.moved["Processed"]?.count, 3, "the server did move them")
        try db.execute("DROP TRIGGER refuse")
        clock.advance(by: 3600)
        let second = poller.poll()
        XCTAssertTrue(second.ok, second.error ?? "")
        XCTAssertEqual(second.actionsApplied, 3, "applied again: a MOVE of UIDs already gone changes nothing")
        XCTAssertEqual(second.unaccounted, 0)
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM messages"), 3)
        XCTAssertEqual(try count(db, "SELECT COUNT(*) FROM deliveries WHERE action_done_at IS NULL"), 0)
        XCTAssertEqual(box.moved["Processed"]?.count, 3)
    }
}
