import Daemon
import Foundation
import Ticketing
import XCTest

/// The report's terminal tables, JSON, CSV and HTML, from one report value (no store, no I/O).
final class ReportRenderingTests: XCTestCase {
    static let base: Int64 = 1_793_577_600

    var report: Report {
        let h: Int64 = 3_600
        let input = ReportInput(
            tickets: [TicketFacts(created: Self.base, firstResponse: Self.base + h, firstResolved: Self.base + 5 * h, resolved: Self.base + 5 * h,
                                  status: .resolved, statusSince: Self.base + 5 * h, agent: 0, domain: 0),
                      TicketFacts(created: Self.base + 30 * h, status: .new, statusSince: Self.base + 30 * h, agent: 1, domain: 1)],
            agents: ["ann@desk.test", "<b>\"Bob\" & co</b>"], queues: ["support"], domains: ["a.test", "=cmd|evil,\"x\""],
            messages: [DailyMessageCount(day: Self.base / 86_400, messageClass: "auto-reply", count: 1),
                       DailyMessageCount(day: Self.base / 86_400, messageClass: "human", count: 3)])
        return ReportBuilder.build(input, from: Self.base, to: Self.base + 4 * 86_400, granularity: .day, now: Self.base + 4 * 86_400)
    }

    func testTerminalTablesFitEightyColumnsAndShowTheTrend() {
        let lines = ReportText.render(report, generated: Self.base + 4 * 86_400)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 80, line) }
        let text = lines.joined(separator: "\n")
        XCTAssertTrue(text.hasPrefix("postdesk report: 2026-11-02 to 2026-11-05 (UTC), by day, all queues\n"), text)
        XCTAssertTrue(text.contains("Tickets   created 2   resolved 1   closed 0   backlog 1"), text)
        XCTAssertTrue(text.contains("  First response  1h 00m  1h 00m  1h 00m      no calendar        1        1"), text)
        XCTAssertTrue(text.contains("  created   ██  "), "a sparkline per period: \(text)")
        XCTAssertTrue(text.contains("  2026-11-02        1         1       0        0       -  ██████████████████████"), text)
        XCTAssertTrue(text.contains("  support        2             5h 00m       -        0"), "queues with satisfaction: \(text)")
        XCTAssertTrue(text.contains("SLA       not recorded"), text)
        XCTAssertTrue(text.contains("auto-replies 25.0%"), text)
        XCTAssertTrue(text.contains("  new            1  2d 18h  2d 18h"), text)
    }

    func testJSONHoldsTheDocumentedKeys() throws {
        let json = ReportJSON.render(report, generated: Self.base).serialized()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in ["from", "to", "totals", "first_response", "resolution", "sla", "agents", "categories", "periods", "domains",
                    "messages", "status_age", "satisfaction"] {
            XCTAssertNotNil(object[key], key)
        }
        XCTAssertEqual(object["from"] as? String, "2026-11-02T00:00:00Z")
        let totals = try XCTUnwrap(object["totals"] as? [String: Any])
        XCTAssertEqual(Set(totals.keys), ["created", "resolved", "closed", "reopened", "backlog", "first_resolved", "reopen_rate"])
        let fr = try XCTUnwrap(object["first_response"] as? [String: Any])
        XCTAssertEqual(fr["median_s"] as? Int, 3_600)
        XCTAssertEqual(fr["p90_s"] as? Int, 3_600)
        XCTAssertTrue(fr["business_median_s"] is NSNull)
        let sla = try XCTUnwrap(object["sla"] as? [String: Any])
        XCTAssertTrue(sla["met"] is NSNull && sla["breached"] is NSNull)
        let agents = try XCTUnwrap(object["agents"] as? [[String: Any]])
        XCTAssertEqual(Set(agents[0].keys), ["agent", "handled", "resolved", "open", "median_first_response_s", "satisfaction", "ratings"])
        let periods = try XCTUnwrap(object["periods"] as? [[String: Any]])
        XCTAssertEqual(periods.count, 4)
        XCTAssertEqual(periods[1]["start"] as? String, "2026-11-03T00:00:00Z")
        XCTAssertEqual(periods[1]["backlog"] as? Int, 1)
    }

    func testCSVIsOneTableQuotedAndFormulaSafe() throws {
        XCTAssertEqual(ReportCSV.render(report, table: "periods")?.components(separatedBy: "\r\n").prefix(2),
                       ["start,created,resolved,closed,backlog,ratings_good,ratings_bad", "2026-11-02,1,1,0,0,0,0"])
        let domains = try XCTUnwrap(ReportCSV.render(report, table: "domains"))
        XCTAssertTrue(domains.contains("\"'=cmd|evil,\"\"x\"\"\",1,\r\n"), domains)
        XCTAssertTrue(ReportCSV.render(report, table: "categories")!.hasPrefix("category,tickets,median_resolution_s\r\n"))
        for table in ReportCSV.tables { XCTAssertNotNil(ReportCSV.render(report, table: table), table) }
        XCTAssertNil(ReportCSV.render(report, table: "nope"))
    }

    func testHTMLIsSelfContainedEscapedAndTitled() {
        let html = ReportHTML.render(report, scope: "all queues", generated: Self.base)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<title>Help desk report: 2026-11-02 to 2026-11-05</title>"))
        for title in ReportHTML.chartTitles { XCTAssertTrue(html.contains("<figcaption>\(title)</figcaption>"), title) }
        XCTAssertFalse(html.contains("<b>\"Bob\""), "names are escaped")
        XCTAssertTrue(html.contains("&lt;b&gt;&quot;Bob&quot; &amp; co&lt;/b&gt;"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"),
                       "no network references")
        XCTAssertFalse(html.contains("https://"))
        XCTAssertTrue(html.contains("@media print"))
    }

    func testDurationsAndSparklines() {
        XCTAssertEqual([nil, 59, 60, 3_599, 3_600, 3_660 + 540, 86_399, 86_400, 200_000].map(DurationText.short),
                       ["-", "59s", "1m", "59m", "1h 00m", "1h 10m", "23h 59m", "1d 0h", "2d 7h"])
        XCTAssertEqual(Sparkline.line([0, 1, 2, 4, 8]), " ▁▂▄█")
        XCTAssertEqual(Sparkline.line(Array(repeating: 1, count: 100), width: 10).count, 10)
        XCTAssertEqual(Sparkline.bar(1, maximum: 100, width: 10), "█", "a non-zero value shows")
        XCTAssertEqual(Sparkline.bar(0, maximum: 100, width: 10), "")
    }
}
