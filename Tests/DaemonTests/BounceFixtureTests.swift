import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest
@testable import Daemon

/// Each bounce format of Fixtures/bounce, read as the intake reads it (MIME parse, facts, classifier,
/// bounce interpreter): every failed recipient found, with its permanence, and nothing else.
final class BounceFixtureTests: XCTestCase {
    struct Expected {
        var file: String
        /// address, permanent, status (nil: not checked)
        var recipients: [(String, Bool, String?)]
        var standard = false
    }

    static let ours: Set<String> = ["support@desk.example.com"]

    static let table: [Expected] = [
        Expected(file: "sendmail-v5-multi.eml", recipients: [
            ("ann@customer.example", true, "550"), ("bob@customer.example", true, "550"), ("cy@customer.example", false, "452")]),
        Expected(file: "exchange2003-multi.eml", recipients: [
            ("ann@customer.example", true, "5.1.1"), ("bob@customer.example", true, "5.1.1"), ("dee@old-host.example", true, "5.1.2")]),
        Expected(file: "qmail-multi.eml", recipients: [("ann@customer.example", true, "5.1.1"), ("full@customer.example", false, "4.2.2")]),
        Expected(file: "exim-pipe-final-recipient.eml", recipients: [("jo@customer.example", true, "5.0.0")], standard: true),
        Expected(file: "exim-sender-echo.eml", recipients: [("jo@customer.example", true, "5.7.1")]),
        Expected(file: "token-code.eml", recipients: [("kim@customer.example", true, "5.1.1")]),
        Expected(file: "dsn-run-together.eml", recipients: [
            ("ann@customer.example", true, "5.1.1"), ("bob@customer.example", false, "4.4.1"), ("cy@customer.example", true, "5.2.1")],
                 standard: true),
        Expected(file: "ses-sns-notification.eml", recipients: [
            ("ann@customer.example", true, "5.1.1"), ("bob@customer.example", true, "5.1.1")], standard: true),
        Expected(file: "carrier-gateway.eml", recipients: [("5551234567@mms.carrier.example", false, "4.2.2")]),
        Expected(file: "post-master.eml", recipients: [("5557654321@sms.carrier.example", true, "550")]),
        Expected(file: "return-path-daemon.eml", recipients: [("lee@customer.example", false, "4.2.2")]),
        Expected(file: "list-manager.eml", recipients: [("pat@customer.example", true, "5.1.1")]),
        Expected(file: "empty-from-mixed.eml", recipients: [("sam@customer.example", true, "5.1.1")], standard: true),
        Expected(file: "bare-cr.eml", recipients: [("max@customer.example", true, "550")]),
    ]

    func testEveryFormatIsABounceWithEachFailedRecipientAndItsPermanence() throws {
        for expected in Self.table {
            let message = Message.parse(try Fixtures.bytes("bounce/\(expected.file)"))
            let facts = InboundFacts(message: message, text: message.text)
            let classification = MessageClassifier(ownAddresses: Array(Self.ours)).classify(facts)
            XCTAssertEqual(classification.messageClass, .bounce, "\(expected.file): \(classification.explanation)")
            let report = BounceReport.interpret(try XCTUnwrap(facts.bounce, expected.file), ignoring: Self.ours)
            XCTAssertEqual(report.recipients.map(\.address), expected.recipients.map(\.0), expected.file)
            XCTAssertEqual(report.recipients.map(\.permanent), expected.recipients.map(\.1), expected.file)
            for (got, want) in zip(report.recipients, expected.recipients) where want.2 != nil {
                XCTAssertEqual(got.status, want.2, "\(expected.file) \(got.address)")
            }
            XCTAssertEqual(report.isStandard, expected.standard, expected.file)
        }
    }

    func testTheReturnedOriginalIsFoundBehindTheBounce() throws {
        let ids = try ["qmail-multi.eml", "exim-pipe-final-recipient.eml", "dsn-run-together.eml", "bare-cr.eml"].map { file in
            let message = Message.parse(try Fixtures.bytes("bounce/\(file)"))
            return BounceReport.interpret(InboundFacts(message: message, text: message.text).bounce!).originalMessageID
        }
        XCTAssertEqual(ids, ["<pd.1044.cc.dd@desk.example.com>", "<pd.1045.ee.ff@desk.example.com>",
                             "<pd.1048.ii.jj@desk.example.com>", "<pd.1050.kk.ll@desk.example.com>"])
    }

    /// Through the whole intake: no acknowledgement to a bounce, and each permanent failure recorded.
    func testTheIntakeNeverAcknowledgesABounceAndMarksPermanentFailures() throws {
        let clock = FakeClock()
        let (db, intake) = try MemoryIntake.make(config: """
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@desk.example.com>"},
             "agents": [{"email": "agent1@desk.example.com"}]}
            """, clock: clock, signingKey: SigningKey(hex: String(repeating: "ab", count: 32))!)
        for (uid, expected) in Self.table.enumerated() {
            _ = try intake.ingest(raw: try Fixtures.bytes("bounce/\(expected.file)"),
                                  key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: Int64(uid + 1), action: "seen"))
        }
        let outbox = try OutboxStore(db: db).due(now: clock.unixSeconds() + 100_000)
        XCTAssertEqual(outbox.filter { $0.kind == "ack" }.count, 0, outbox.map(\.kind).joined(separator: ","))
        let tickets = TicketStore(db: db)
        // An address some fixture fails permanently is undeliverable; one only ever failed for now is not.
        let permanent = Set(Self.table.flatMap { $0.recipients.filter(\.1).map(\.0) })
        for address in Set(Self.table.flatMap { $0.recipients.map(\.0) }) {
            XCTAssertEqual(try tickets.isUndeliverable(address), permanent.contains(address), address)
        }
        XCTAssertFalse(try tickets.isUndeliverable("support@desk.example.com"))
    }
}
