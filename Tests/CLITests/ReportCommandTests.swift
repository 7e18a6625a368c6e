import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk report` as a user runs it: tables, JSON, CSV, HTML (rendered in headless
/// Chromium when it is installed), and usage errors.
final class ReportCommandTests: XCTestCase {
    /// Monday 2026-11-02 00:00 UTC.
    static let monday: Int64 = 1_793_577_600
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("postdesk.db").path }

    override func setUpWithError() throws {
        directory = Fixtures.temporaryDirectory("cli-report")
        let db = try Store.open(path: dbPath, now: Self.monday)
        let store = TicketStore(db: db), outbox = OutboxStore(db: db)
        // Ten tickets over five days; each answered after `n` hours and resolved after 2n hours.
        for n in 1...10 {
            let created = Self.monday + Int64(n - 1) * 12 * 3_600
            let t = try store.createTicket(subject: "Case \(n)", requester: "c\(n)@\(n % 2 == 0 ? "even" : "odd").test", queue: "support",
                                           actor: "c", now: created)
            try store.setField(ticketID: t.id, field: "assignee", old: nil, new: n <= 6 ? "ann@desk.test" : "bob@desk.test",
                               actor: "ann@desk.test", reason: nil, now: created)
            try outbox.enqueue(ticketID: t.id, messageRow: nil, kind: "reply", mailFrom: "s@desk.test", recipients: ["c@x.test"], raw: [],
                               now: created + Int64(n) * 3_600)
            if n <= 8 {
                try store.setStatus(ticketID: t.id, to: .resolved, actor: "ann@desk.test", reason: nil, now: created + Int64(2 * n) * 3_600)
            }
        }
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func run(_ argv: [String]) -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(["--db", dbPath] + argv, io: captured.io(),
                                 clock: FakeClock(Date(timeIntervalSince1970: TimeInterval(Self.monday + 7 * 86_400))))
        return (code, captured.out, captured.err)
    }

    var week: [String] { ["report", "--from", "2026-11-02", "--to", "2026-11-08"] }

    func testTablesInEightyColumns() {
        let r = run(week)
        XCTAssertEqual(r.code, 0, r.err)
        for line in r.out.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        XCTAssertTrue(r.out.contains("Tickets   created 10   resolved 8   closed 0   backlog 2"), r.out)
        XCTAssertTrue(r.out.contains("  First response  5h 30m   9h 00m  5h 30m      no calendar       10        0"), r.out)
        XCTAssertTrue(r.out.contains("  ann@desk.test        6         6     0"), r.out)
        XCTAssertTrue(r.out.contains("  bob@desk.test        4         2     2"), r.out)
        XCTAssertTrue(r.out.contains("By day"), r.out)
    }

    func testJSONIsTheDocumentedObject() throws {
        let r = run(week + ["--json", "--by", "week"])
        XCTAssertEqual(r.code, 0, r.err)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(o["from"] as? String, "2026-11-02T00:00:00Z")
        XCTAssertEqual(o["to"] as? String, "2026-11-09T00:00:00Z", "a plain --to date takes the whole day")
        XCTAssertEqual((o["totals"] as? [String: Any])?["resolved"] as? Int, 8)
        XCTAssertEqual((o["resolution"] as? [String: Any])?["median_s"] as? Int, 9 * 3_600, "(8 h + 10 h) / 2")
        XCTAssertEqual((o["periods"] as? [[String: Any]])?.count, 1)
    }

    /// `--to` as a unix time is that very second: only a plain date means "the whole day",
    /// even though a ten-digit unix time is as long as one.
    func testAUnixTimeAsToIsThatSecondNotTheDayAfter() throws {
        let end = Self.monday + 7 * 86_400
        let r = run(["report", "--from", String(Self.monday), "--to", String(end), "--json"])
        XCTAssertEqual(r.code, 0, r.err)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(o["from"] as? String, "2026-11-02T00:00:00Z")
        XCTAssertEqual(o["to"] as? String, "2026-11-09T00:00:00Z", "the unix time given, not a day later")
    }

    func testCSVOneTableAtATime() {
        let r = run(week + ["--csv", "--table", "agents"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(r.out.components(separatedBy: "\r\n").first, "agent,handled,resolved,open,median_first_response_s,satisfaction,ratings")
        XCTAssertTrue(r.out.contains("ann@desk.test,6,6,0,12600,,0\r\n"), r.out)
        XCTAssertTrue(run(week + ["--csv"]).out.hasPrefix("start,created,"), "periods by default")
    }

    func testUsageErrorsExit64() {
        XCTAssertEqual(run(["report", "--by", "year"]).code, 64)
        XCTAssertEqual(run(["report", "--table", "agents"]).code, 64)
        XCTAssertEqual(run(["report", "--csv", "--table", "nope"]).code, 64)
        XCTAssertEqual(run(["report", "--json", "--csv"]).code, 64)
        XCTAssertEqual(run(["report", "--from", "2026-11-09", "--to", "2026-11-01"]).code, 64)
        XCTAssertEqual(run(["report", "--from", "last week"]).code, 64)
    }

    /// The HTML report in a real browser: it renders (not blank), and every chart is in the DOM.
    func testHTMLRendersInHeadlessChromium() throws {
        let file = directory.appendingPathComponent("report.html").path
        let r = run(week + ["--html", file])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(r.out, "wrote \(file)\n")
        guard let chromium = HeadlessChromium.find() else {
            throw XCTSkip("chromium is not installed (apt install chromium): the HTML report was not rendered")
        }
        let dom = try chromium.dumpDOM(file: file, in: directory)
        for title in ["Tickets created and resolved", "Backlog", "First response time", "Resolution time", "SLA met and breached",
                      "Agent load", "Top categories", "Top requester domains"] {
            XCTAssertTrue(dom.contains("<figcaption>\(title)</figcaption>"), title)
        }
        XCTAssertGreaterThanOrEqual(dom.components(separatedBy: "<svg").count - 1, 8)
        // Not blank: the report's screenshot holds far more than a blank page's of the same size.
        let blank = directory.appendingPathComponent("blank.html").path
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: URL(fileURLWithPath: blank))
        let shot = try chromium.screenshot(file: file, in: directory)
        let empty = try chromium.screenshot(file: blank, in: directory)
        XCTAssertGreaterThan(shot.count, 10 * empty.count, "screenshot \(shot.count) bytes, blank page \(empty.count)")
        XCTAssertEqual(Array(shot.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
    }
}
