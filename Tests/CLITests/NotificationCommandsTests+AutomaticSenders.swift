import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk auto-senders` and the sender line of `postdesk explain`: the loop defence's memory,
/// shown (on NotificationCommandsTests' store and argv runner).
extension NotificationCommandsTests {
    /// jo sent an auto-reply now; robot sent one 40 days ago; ann's was followed by her own mail.
    func seedAutomaticSenders() throws -> Int64 {
        let db = try Store.open(path: dbPath, now: clock.unixSeconds())
        let store = AutomaticSenderStore(db: db)
        let now = clock.unixSeconds()
        try store.note("robot@monitor.test", effect: .automatic(reason: "auto-submitted: auto-generated"), messageRow: nil, now: now - 40 * 86_400)
        try store.note("ann@customer.test", effect: .automatic(reason: "header x-autoreply"), messageRow: nil, now: now - 3600)
        try store.note("ann@customer.test", effect: .human, messageRow: nil, now: now - 60)
        let row = try TicketStore(db: db).addMessage(ticketID: nil, direction: "in", messageID: "away@customer.test", sha256: "00",
                                                     raw: Array("From: jo@customer.test\r\n\r\naway\r\n".utf8), fromAddress: "jo@customer.test",
                                                     subject: "Auto: away", sentAt: nil, decision: "auto-reply", now: now)
        try store.note("Jo@Customer.test", effect: .automatic(reason: "auto-submitted: auto-replied"), messageRow: row, now: now)
        return row
    }

    func testListShowsTheAddressesWithheldNowAndAllListsEveryOne() throws {
        _ = try seedAutomaticSenders()
        let r = run(["auto-senders", "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.out)
        XCTAssertTrue(lines[0].hasPrefix("ADDRESS"))
        XCTAssertTrue(lines[1].hasPrefix("jo@customer.test"), r.out)
        XCTAssertTrue(lines[1].contains(shortTime(clock.unixSeconds() + 30 * 86_400)), "withheld for 30 days: \(r.out)")
        XCTAssertTrue(lines[1].contains("auto-submitted: auto-replied"))
        let all = run(["auto-senders", "list", "--all", "--db", dbPath]).out
        XCTAssertEqual(all.split(separator: "\n").count, 4, all)
        XCTAssertTrue(all.contains("robot@monitor.test") && all.contains("ann@customer.test"))
    }

    func testJSONCarriesTheWholeRecord() throws {
        let row = try seedAutomaticSenders()
        let r = run(["auto-senders", "--all", "--json", "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["address"] as? String }, ["jo@customer.test", "ann@customer.test", "robot@monitor.test"])
        XCTAssertEqual(rows[0]["message_row"] as? Int, Int(row))
        XCTAssertEqual(rows[0]["messages"] as? Int, 1)
        XCTAssertNotNil(rows[0]["withheld_until"] as? String)
        XCTAssertTrue(rows[1]["withheld_until"] is NSNull, "ann wrote herself since")
        XCTAssertNotNil(rows[1]["human_at"] as? String)
        XCTAssertTrue(rows[2]["withheld_until"] is NSNull, "robot's record is 40 days old")
    }

    func testForgetDropsTheRecordAndAnUnknownAddressIsAnError() throws {
        _ = try seedAutomaticSenders()
        let r = run(["auto-senders", "forget", "JO@customer.test", "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(r.out, "jo@customer.test: forgotten; automatic mail to it goes again\n")
        XCTAssertEqual(run(["auto-senders", "--db", dbPath]).out, "no address is withheld now (--all lists every one recorded)\n")
        XCTAssertEqual(run(["auto-senders", "forget", "jo@customer.test", "--db", dbPath]).code, 66)
        XCTAssertEqual(run(["auto-senders", "forget", "--db", dbPath]).code, 64)
        XCTAssertEqual(run(["auto-senders", "wipe", "--db", dbPath]).code, 64)
    }

    func testExplainSaysTheSenderSendsAutomaticMail() throws {
        let row = try seedAutomaticSenders()
        let r = run(["explain", String(row), "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("  sender:   sent automatic mail (1, last \(shortTime(clock.unixSeconds())): auto-submitted: auto-replied); "
                                     + "automatic mail to it is withheld until \(shortTime(clock.unixSeconds() + 30 * 86_400))\n"), r.out)
    }

    /// `2026-11-23 14:05`, as the CLI's tables show times.
    func shortTime(_ seconds: Int64) -> String {
        String(UTCTimestamp.iso(Date(timeIntervalSince1970: TimeInterval(seconds)), milliseconds: false).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
