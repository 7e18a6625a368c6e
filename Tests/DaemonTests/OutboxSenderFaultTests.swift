@testable import Daemon
import Foundation
import Store
import TestSupport
import XCTest

/// The outbox after a store fault: a mail whose "sent" mark could not be written is resent at
/// most once, byte for byte, and a mail is never handed over unless that can be recorded first.
final class OutboxSenderFaultTests: XCTestCase {
    final class RecordingSender: MailSender {
        private(set) var sent: [[UInt8]] = []
        func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws -> [RecipientRefusal] { sent.append(raw); return [] }
        func close() {}
    }

    var db: Database!
    var sender: RecordingSender!
    var outbox: OutboxSender!
    var lines: LockedLines!
    let raw = Array("Message-ID: <ack-1@desk.example>\r\nSubject: [#1] received\r\n\r\nWe have your mail.\r\n".utf8)

    override func setUpWithError() throws {
        db = try Store.open(path: ":memory:", now: 0)
        sender = RecordingSender()
        lines = LockedLines()
        let clock = FakeClock()
        let log = Log(level: .debug, timestamps: false, clock: { clock.now() }, sink: { [lines] in lines!.append($0) })
        outbox = OutboxSender(db: db, sender: sender, clock: clock, log: log)
        try OutboxStore(db: db).enqueue(ticketID: nil, messageRow: nil, kind: "ack", mailFrom: "desk@example.test",
                                        recipients: ["ann@example.test"], raw: raw, now: clock.unixSeconds())
    }

    func status() throws -> String? { try db.row("SELECT status FROM outbox")?.text("status") }

    func testAMailWhoseSentMarkFailedIsResentOnceWithTheSameBytesThenTakenAsSent() throws {
        try db.execute("CREATE TEMP TRIGGER full BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        _ = outbox.flush()
        XCTAssertEqual(sender.sent.count, 1)
        XCTAssertEqual(try status(), "pending", "the mark failed")
        // A new process (the daemon restarted) does not know the server said 250: it resends once.
        let log = Log(level: .debug, timestamps: false, clock: { Date(timeIntervalSince1970: 0) }, sink: { [lines] in lines!.append($0) })
        outbox = OutboxSender(db: db, sender: sender, clock: FakeClock(), log: log)
        _ = outbox.flush()
        XCTAssertEqual(sender.sent.count, 2, "resent once: the first hand-over may not have reached the server")
        XCTAssertEqual(sender.sent[0], sender.sent[1], "the same bytes, so the same Message-ID")
        try db.execute("DROP TRIGGER full")
        _ = outbox.flush()
        _ = outbox.flush()
        XCTAssertEqual(sender.sent.count, 2, "never a third time")
        XCTAssertEqual(try status(), "sent")
        XCTAssertTrue(lines.all.contains { $0.contains("event=outbox.resending") })
        XCTAssertTrue(lines.all.contains { $0.contains("event=outbox.sent_recorded") }, "the resend's 250 was remembered: marked, not sent again")
    }

    func testAMailIsNotHandedOverWhenTheHandOverCannotBeRecorded() throws {
        try db.execute("CREATE TEMP TRIGGER full BEFORE UPDATE OF unconfirmed ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        let report = outbox.flush()
        XCTAssertEqual(sender.sent.count, 0)
        XCTAssertEqual(report.errorKinds, ["store"])
        try db.execute("DROP TRIGGER full")
        _ = outbox.flush()
        XCTAssertEqual(sender.sent.count, 1)
        XCTAssertEqual(try status(), "sent")
    }

    func testAMailTheServerTookIsSentOnce() throws {
        _ = outbox.flush()
        _ = outbox.flush()
        XCTAssertEqual(sender.sent.count, 1)
        XCTAssertEqual(try db.row("SELECT unconfirmed FROM outbox")?.int("unconfirmed"), 1, "kept as a record; the row is sent")
    }
}
