import Foundation
import XCTest
@testable import Daemon
import TestSupport
import Ticketing

final class MetricsFileTests: XCTestCase {
    var directory: URL!

    override func setUp() { directory = Fixtures.temporaryDirectory("metrics") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A day in the life of a two-mailbox daemon.
    func sampleMetrics() -> Metrics {
        var m = Metrics(mailboxNames: ["support", "sales"])
        m.recordIngested(mailbox: "support", count: 12)
        m.recordQuarantined(mailbox: "support")
        m.recordPoll(mailbox: "support", seconds: 0.25, succeededAt: 1_795_000_000)
        m.recordIMAPError(mailbox: "sales", kind: "auth")
        m.recordIMAPError(mailbox: "sales", kind: "auth")
        m.recordPoll(mailbox: "sales", seconds: 3, succeededAt: nil)
        m.recordSMTPError(kind: "tempfail")
        m.outboxPending = 2
        m.outboxFailed = 1
        m.tickets = [.new: 3, .open: 5, .closed: 7]
        m.slaBreaches = 1
        return m
    }

    // MARK: - The exposition format, checked by a grammar independent of the code under test

    struct Family { var help = false; var type: String?; var samples: [(labels: [String: String], value: Double)] = [] }

    /// Parses the text-format subset we write: `# HELP`, `# TYPE`, and `name{k="v",...} value`.
    /// Fails the test on any line outside the grammar or a sample before its TYPE.
    func parseExposition(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Family] {
        let sample = try! NSRegularExpression(pattern: #"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$"#)
        let label = try! NSRegularExpression(pattern: #"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(,|$)"#)
        var families: [String: Family] = [:]
        XCTAssertTrue(text.hasSuffix("\n"), "ends with a newline", file: file, line: line)
        for row in text.split(separator: "\n").map(String.init) {
            let parts = row.split(separator: " ", maxSplits: 3).map(String.init)
            if row.hasPrefix("# HELP ") {
                families[parts[2], default: Family()].help = parts.count == 4 && !parts[3].isEmpty
            } else if row.hasPrefix("# TYPE ") {
                XCTAssertTrue(["counter", "gauge"].contains(parts[3]), row, file: file, line: line)
                XCTAssertNil(families[parts[2]]?.type, "one TYPE per family: \(row)", file: file, line: line)
                families[parts[2], default: Family()].type = parts[3]
            } else if let m = sample.firstMatch(in: row, range: NSRange(row.startIndex..., in: row)) {
                let name = String(row[Range(m.range(at: 1), in: row)!])
                XCTAssertNotNil(families[name]?.type, "sample before its TYPE: \(row)", file: file, line: line)
                var labels: [String: String] = [:]
                if let r = Range(m.range(at: 3), in: row) {
                    let body = String(row[r])
                    var consumed = 0
                    for l in label.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                        XCTAssertEqual(l.range.location, consumed, "label syntax in \(row)", file: file, line: line)
                        consumed = l.range.location + l.range.length
                        let value = String(body[Range(l.range(at: 2), in: body)!])
                            .replacingOccurrences(of: #"\\"#, with: "\u{0}").replacingOccurrences(of: #"\""#, with: "\"")
                            .replacingOccurrences(of: #"\n"#, with: "\n").replacingOccurrences(of: "\u{0}", with: "\\")
                        labels[String(body[Range(l.range(at: 1), in: body)!])] = value
                    }
                    XCTAssertEqual(consumed, (body as NSString).length, "label syntax in \(row)", file: file, line: line)
                }
                let value = Double(String(row[Range(m.range(at: 4), in: row)!]))
                XCTAssertNotNil(value, "numeric value in \(row)", file: file, line: line)
                families[name, default: Family()].samples.append((labels, value ?? .nan))
            } else {
                XCTFail("not a valid exposition line: \(row)", file: file, line: line)
            }
        }
        return families
    }

    func testEveryFamilyHasHelpAndTypeAndTheRightKind() {
        let families = parseExposition(sampleMetrics().prometheusText())
        let expected: [String: String] = [
            "postdesk_messages_ingested_total": "counter", "postdesk_messages_quarantined_total": "counter",
            "postdesk_poll_duration_seconds": "gauge", "postdesk_last_success_timestamp_seconds": "gauge",
            "postdesk_imap_errors_total": "counter", "postdesk_smtp_errors_total": "counter",
            "postdesk_outbox_pending": "gauge", "postdesk_outbox_failed": "gauge",
            "postdesk_tickets": "gauge", "postdesk_sla_breaches": "gauge", "postdesk_sla_at_risk": "gauge",
            "postdesk_mailbox_unaccounted": "gauge",
        ]
        XCTAssertEqual(Set(families.keys), Set(expected.keys))
        for (name, type) in expected {
            XCTAssertEqual(families[name]?.type, type, name)
            XCTAssertEqual(families[name]?.help, true, "\(name) has HELP text")
        }
    }

    func testSamplesCarryTheFiguresWithTheirLabels() {
        let f = parseExposition(sampleMetrics().prometheusText())
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            f[name]?.samples.first { $0.labels == labels }?.value
        }
        XCTAssertEqual(value("postdesk_messages_ingested_total", ["mailbox": "support"]), 12)
        XCTAssertEqual(value("postdesk_messages_ingested_total", ["mailbox": "sales"]), 0, "configured mailboxes appear with zeroes")
        XCTAssertEqual(value("postdesk_messages_quarantined_total", ["mailbox": "support"]), 1)
        XCTAssertEqual(value("postdesk_poll_duration_seconds", ["mailbox": "support"]), 0.25)
        XCTAssertEqual(value("postdesk_poll_duration_seconds", ["mailbox": "sales"]), 3)
        XCTAssertEqual(value("postdesk_last_success_timestamp_seconds", ["mailbox": "support"]), 1_795_000_000)
        XCTAssertNil(value("postdesk_last_success_timestamp_seconds", ["mailbox": "sales"]), "never succeeded: no sample")
        XCTAssertEqual(value("postdesk_imap_errors_total", ["mailbox": "sales", "kind": "auth"]), 2)
        XCTAssertEqual(value("postdesk_smtp_errors_total", ["kind": "tempfail"]), 1)
        XCTAssertEqual(value("postdesk_outbox_pending"), 2)
        XCTAssertEqual(value("postdesk_outbox_failed"), 1)
        XCTAssertEqual(value("postdesk_sla_breaches"), 1)
        for status in TicketStatus.allCases {
            let expected: Double = [TicketStatus.new: 3, .open: 5, .closed: 7][status] ?? 0
            XCTAssertEqual(value("postdesk_tickets", ["status": status.rawValue]), expected, status.rawValue)
        }
    }

    func testLabelValuesEscapeQuotesBackslashesAndNewlines() {
        let name = "odd \"box\" C:\\mail\nnext"
        var m = Metrics(mailboxNames: [name])
        m.recordIngested(mailbox: name)
        let text = m.prometheusText()
        XCTAssertTrue(text.contains(#"postdesk_messages_ingested_total{mailbox="odd \"box\" C:\\mail\nnext"} 1"#), text)
        let families = parseExposition(text)
        XCTAssertEqual(families["postdesk_messages_ingested_total"]?.samples.first?.labels["mailbox"], name)
    }

    func testTheSameFiguresRenderByteIdentically() {
        XCTAssertEqual(sampleMetrics().prometheusText(), sampleMetrics().prometheusText())
    }

    // MARK: - Reading back

    func testTextReadsBackIntoTheSameFigures() throws {
        XCTAssertEqual(try Metrics(prometheusText: sampleMetrics().prometheusText()), sampleMetrics())
    }

    func testMalformedTextNamesTheLine() {
        XCTAssertThrowsError(try Metrics(prometheusText: "# HELP x y\npostdesk_outbox_pending two\n")) { error in
            XCTAssertEqual((error as? Metrics.ParseError)?.line, 2)
        }
        XCTAssertThrowsError(try Metrics(prometheusText: "postdesk_tickets{status=\"open} 1\n"))
    }

    func testOutOfRangeNumbersReadAsZeroInsteadOfTrapping() throws {
        let m = try Metrics(prometheusText: "postdesk_outbox_pending 1e300\npostdesk_outbox_failed NaN\n")
        XCTAssertEqual(m.outboxPending, 0)
        XCTAssertEqual(m.outboxFailed, 0)
    }

    // MARK: - The file

    func testWriteReplacesTheFileAndLeavesNoTemporaryBehind() throws {
        let path = directory.appendingPathComponent("postdesk.prom").path
        let file = MetricsFile(path: path)
        try file.write(text: "old\n")
        try file.write(sampleMetrics())
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), sampleMetrics().prometheusText())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["postdesk.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o644)
        XCTAssertEqual(try file.read(), sampleMetrics())
    }

    func testWriteIsARenameSoAnOpenReaderKeepsTheOldContent() throws {
        let path = directory.appendingPathComponent("postdesk.prom").path
        let file = MetricsFile(path: path)
        try file.write(text: "first\n")
        let reader = try XCTUnwrap(FileHandle(forReadingAtPath: path))
        try file.write(text: "second\n")
        XCTAssertEqual(String(decoding: reader.readDataToEndOfFile(), as: UTF8.self), "first\n",
                       "a reader never sees a half-written file: the old inode is untouched")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second\n")
    }

    func testWritingIntoAMissingDirectoryThrowsAndNamesThePath() {
        let path = directory.appendingPathComponent("nope/postdesk.prom").path
        XCTAssertThrowsError(try MetricsFile(path: path).write(sampleMetrics())) { error in
            XCTAssertTrue("\(error)".contains("nope"), "\(error)")
        }
    }

    func testReadingAMissingFileGivesNil() throws {
        XCTAssertNil(try MetricsFile(path: directory.appendingPathComponent("absent.prom").path).read())
    }

    // MARK: - For a person

    func testRenderShowsTheSameFiguresForAPerson() {
        let text = sampleMetrics().render(now: 1_795_000_090)
        XCTAssertTrue(text.contains("Tickets:      3 new, 5 open, 0 pending, 0 resolved, 7 closed (15 total)"), text)
        XCTAssertTrue(text.contains("SLA breaches: 1"), text)
        XCTAssertTrue(text.contains("Outbox:       2 pending, 1 failed"), text)
        XCTAssertTrue(text.contains("SMTP errors:  tempfail=1"), text)
        let lines = text.split(separator: "\n").map(String.init)
        let header = try! XCTUnwrap(lines.first { $0.contains("MAILBOX") })
        let support = try! XCTUnwrap(lines.first { $0.hasPrefix("  support") })
        let sales = try! XCTUnwrap(lines.first { $0.hasPrefix("  sales") })
        XCTAssertTrue(support.contains("2026-11-18T11:06:40Z (90s ago)"), support)
        XCTAssertTrue(sales.contains("never"), sales)
        XCTAssertTrue(sales.hasSuffix("auth=2"), sales)
        // Columns line up: each column starts at the same offset on every row.
        for column in ["INGESTED", "QUARANTINED", "LAST POLL", "LAST SUCCESS"] {
            let offset = header.range(of: column)!.lowerBound.utf16Offset(in: header)
            for row in [support, sales] {
                let index = row.index(row.startIndex, offsetBy: offset)
                XCTAssertNotEqual(row[index], " ", "\(column) column starts at \(offset) in \(row)")
                XCTAssertEqual(row[row.index(before: index)], " ")
            }
        }
    }

    func testRenderWithoutMailboxesSaysSo() {
        XCTAssertTrue(Metrics().render().contains("Mailboxes:    none"))
    }

    func testTheUnaccountedGaugeIsWrittenForEveryMailboxZeroIncluded() {
        var m = sampleMetrics()
        m.mailboxes["sales"]?.unaccounted = 27
        let families = parseExposition(m.prometheusText())
        let samples = families["postdesk_mailbox_unaccounted"]?.samples ?? []
        XCTAssertEqual(samples.count, 2, "a gauge an alert can watch must exist while it is 0")
        XCTAssertEqual(samples.first { $0.labels["mailbox"] == "sales" }?.value, 27)
        XCTAssertEqual(samples.first { $0.labels["mailbox"] == "support" }?.value, 0)
    }
}
