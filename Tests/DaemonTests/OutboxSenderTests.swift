import Foundation
@testable import Daemon
import Store
import TestSupport
import Ticketing
import XCTest

/// Delivery of outbox rows: once after a 250, per-recipient outcomes, back-off, give-up age.
final class OutboxSenderTests: XCTestCase {
    /// An SMTP server by script: each send takes the next outcome.
    final class ScriptedSender: MailSender {
        enum Outcome { case ok([RecipientRefusal]), fail(SendFailure) }
        var script: [Outcome] = []
        private(set) var sent: [[String]] = []
        private(set) var closes = 0
        func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws -> [RecipientRefusal] {
            let next = script.isEmpty ? .ok([]) : script.removeFirst()
            switch next {
            case .ok(let refused):
                sent.append(recipients)
                return refused
            case .fail(let failure):
                throw failure
            }
        }
        func close() { closes += 1 }
    }

    let clock = FakeClock()
    var db: Database!
    var outbox: OutboxStore!
    let sender = ScriptedSender()
    let lines = CollectedLines()
    var outboxSender: OutboxSender!

    override func setUpWithError() throws {
        db = try Store.open(path: ":memory:", now: clock.unixSeconds())
        outbox = OutboxStore(db: db)
        let log = Log(level: .info, timestamps: false, clock: { [clock] in clock.now() }, sink: { [lines] in lines.append($0) })
        outboxSender = OutboxSender(db: db, sender: sender, clock: clock, log: log)
    }

    @discardableResult
    func enqueue(_ to: [String]) throws -> Int64 {
        try outbox.enqueue(ticketID: nil, messageRow: nil, kind: "reply", mailFrom: "support@desk.test", recipients: to,
                           raw: Array("Subject: x\r\n\r\nhi\r\n".utf8), now: clock.unixSeconds())
    }

    func state(_ id: Int64) throws -> String { try XCTUnwrap(try outbox.entry(id)).state }

    func testAnAcceptedMailIsMarkedSentAndNeverSentAgain() throws {
        let id = try enqueue(["a@x.test"])
        XCTAssertEqual(outboxSender.flush().sent, 1)
        XCTAssertEqual(try state(id), "sent")
        clock.advance(by: 3600)
        XCTAssertEqual(outboxSender.flush(), .init())
        XCTAssertEqual(sender.sent.count, 1)
        XCTAssertEqual(sender.closes, 1, "one connection per flush, closed at its end")
    }

    func testOneConnectionServesAWholeFlush() throws {
        for n in 1...5 { try enqueue(["c\(n)@x.test"]) }
        XCTAssertEqual(outboxSender.flush().sent, 5)
        XCTAssertEqual(sender.closes, 1)
    }

    func testABadAddressAmongTwoIsMarkedAndTheOtherGetsTheMail() throws {
        let id = try enqueue(["good@x.test", "gone@x.test"])
        sender.script = [.ok([RecipientRefusal(recipient: "gone@x.test", code: 550, text: "5.1.1 <gone@x.test>: Recipient address rejected")])]
        XCTAssertEqual(outboxSender.flush().sent, 1)
        let entry = try XCTUnwrap(try outbox.entry(id))
        XCTAssertEqual(entry.state, "sent")
        XCTAssertEqual(entry.refused, ["gone@x.test 550 5.1.1 <gone@x.test>: Recipient address rejected"])
        XCTAssertTrue(try TicketStore(db: db).isUndeliverable("gone@x.test"))
        XCTAssertFalse(try TicketStore(db: db).isUndeliverable("good@x.test"))
        XCTAssertEqual(try outbox.count(status: "pending"), 0)
    }

    func testAPolicyRefusalFailsThatRecipientWithoutBlacklistingTheAddress() throws {
        try enqueue(["good@x.test", "full@x.test"])
        sender.script = [.ok([RecipientRefusal(recipient: "full@x.test", code: 552, text: "5.2.2 mailbox full")])]
        outboxSender.flush()
        XCTAssertFalse(try TicketStore(db: db).isUndeliverable("full@x.test"))
    }

    func testADeferredRecipientGetsARowOfItsOwn() throws {
        try enqueue(["good@x.test", "later@x.test"])
        sender.script = [.ok([RecipientRefusal(recipient: "later@x.test", code: 451, text: "4.3.0 try again")])]
        outboxSender.flush()
        let pending = try outbox.entries(status: "pending")
        XCTAssertEqual(pending.map(\.recipients), [["later@x.test"]])
        XCTAssertEqual(outboxSender.flush().sent, 0, "not before its back-off")
        clock.advance(by: 31)
        XCTAssertEqual(outboxSender.flush().sent, 1)
        XCTAssertEqual(sender.sent, [["good@x.test", "later@x.test"], ["later@x.test"]])
    }

    func testEveryRecipientBadFailsTheRowAndMarksThem() throws {
        let id = try enqueue(["gone@x.test"])
        sender.script = [.fail(SendFailure(message: "every recipient refused (550)", temporary: false, kind: "rejected",
                                           refused: [RecipientRefusal(recipient: "gone@x.test", code: 550, text: "5.1.1 no such user")]))]
        XCTAssertEqual(outboxSender.flush().failed, 1)
        XCTAssertEqual(try state(id), "failed")
        XCTAssertTrue(try TicketStore(db: db).isUndeliverable("gone@x.test"))
    }

    func testAServerDownDefersTheRowAndStopsTheFlushThenItGoesOnceWhenBack() throws {
        let first = try enqueue(["a@x.test"])
        try enqueue(["b@x.test"])
        sender.script = [.fail(SendFailure(message: "connect error", temporary: true, kind: "connect"))]
        let report = outboxSender.flush()
        XCTAssertEqual(report.deferred, 1)
        XCTAssertEqual(report.sent, 0, "the second row waits for the next flush")
        XCTAssertEqual(try state(first), "pending")
        XCTAssertEqual(try outbox.entry(first)?.unconfirmed, 0)
        clock.advance(by: 31)
        XCTAssertEqual(outboxSender.flush().sent, 2)
        XCTAssertEqual(Set(sender.sent.map { $0[0] }), ["a@x.test", "b@x.test"])
        XCTAssertEqual(sender.sent.count, 2, "each exactly once")
    }

    func testA250WhoseMarkCannotBeWrittenIsNeverSentAgainByThisProcess() throws {
        let id = try enqueue(["a@x.test"])
        try db.execute("CREATE TEMP TRIGGER full BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        XCTAssertEqual(outboxSender.flush().errorKinds, ["store"])
        XCTAssertEqual(outboxSender.flush().errorKinds, [], "the mark still fails: nothing is sent meanwhile")
        XCTAssertEqual(sender.sent.count, 1)
        try db.execute("DROP TRIGGER full")
        outboxSender.flush()
        XCTAssertEqual(sender.sent.count, 1, "the server said 250: never again")
        XCTAssertEqual(try state(id), "sent")
        XCTAssertTrue(lines.all.contains { $0.contains("event=outbox.sent_recorded") })
    }

    func testAHandOverACrashedProcessLeftIsResentOnceThenTakenAsSent() throws {
        let id = try enqueue(["a@x.test"])
        try outbox.markHandingOver(id)
        XCTAssertEqual(outboxSender.flush().sent, 1, "the server may not have it: once more")
        XCTAssertEqual(try state(id), "sent")
        let other = try enqueue(["b@x.test"])
        try outbox.markHandingOver(other)
        try outbox.markHandingOver(other)
        outboxSender.flush()
        XCTAssertEqual(sender.sent.count, 1, "two unconfirmed hand-overs: taken as sent")
        XCTAssertEqual(try state(other), "sent")
    }

    func testRowsOlderThanTheMaximumAgeAreGivenUpWithALogLine() throws {
        outboxSender.maxAge = 3 * 86_400
        let id = try enqueue(["a@x.test"])
        sender.script = Array(repeating: .fail(SendFailure(message: "451 later", temporary: true, kind: "rejected")), count: 50)
        for _ in 0..<30 { clock.advance(by: 3 * 3600); outboxSender.flush() }
        XCTAssertEqual(try state(id), "failed")
        XCTAssertTrue(try XCTUnwrap(try outbox.entry(id)).lastError?.contains("outbox_max_age") ?? false)
        XCTAssertTrue(lines.all.contains { $0.contains("event=outbox.expired") })
    }

    func testADroppedRowIsKeptAsARecordAndNeverSent() throws {
        let id = try enqueue(["a@x.test"])
        try outbox.drop(id, by: "ops", now: clock.unixSeconds())
        XCTAssertEqual(outboxSender.flush(), .init())
        XCTAssertEqual(try state(id), "dropped")
        XCTAssertEqual(try outbox.entry(id)?.droppedBy, "ops")
    }

    func testEnhancedStatusCodesDecideWhetherTheAddressIsBad() {
        XCTAssertTrue(RecipientRefusal(recipient: "a", code: 550, text: "5.1.1 no such user").addressIsBad)
        XCTAssertTrue(RecipientRefusal(recipient: "a", code: 553, text: "5.1.3 bad syntax").addressIsBad)
        XCTAssertTrue(RecipientRefusal(recipient: "a", code: 550, text: "no such user here").addressIsBad)
        XCTAssertFalse(RecipientRefusal(recipient: "a", code: 550, text: "5.7.1 relaying denied").addressIsBad)
        XCTAssertFalse(RecipientRefusal(recipient: "a", code: 450, text: "4.1.1 try later").addressIsBad)
        XCTAssertEqual(RecipientRefusal(recipient: "a", code: 550, text: "5.1.1 x").enhancedStatus, "5.1.1")
    }
}
