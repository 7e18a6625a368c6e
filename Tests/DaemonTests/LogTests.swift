import Foundation
@testable import Daemon
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Lines a logger wrote, collected from any thread.
final class CollectedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// A reader for the logfmt-style lines, written independently of `Log` so the tests check the
/// format rather than the code's own idea of it: `key=value` pairs separated by single spaces,
/// values bare or double-quoted with `\"`, `\\`, `\n`, `\r` and `\t` escapes.
func parseLogLine(_ line: String) -> [(String, String)]? {
    var pairs: [(String, String)] = []
    var chars = Array(line)[...]
    while !chars.isEmpty {
        guard let eq = chars.firstIndex(of: "="), eq > chars.startIndex else { return nil }
        let key = String(chars[chars.startIndex..<eq])
        guard !key.contains(" "), !key.contains("\"") else { return nil }
        chars = chars[(eq + 1)...]
        var value = ""
        if chars.first == "\"" {
            chars = chars.dropFirst()
            var closed = false
            while let c = chars.first {
                chars = chars.dropFirst()
                if c == "\"" { closed = true; break }
                if c == "\\" {
                    guard let e = chars.first else { return nil }
                    chars = chars.dropFirst()
                    switch e {
                    case "n": value.append("\n")
                    case "r": value.append("\r")
                    case "t": value.append("\t")
                    case "\"", "\\": value.append(e)
                    default: return nil
                    }
                } else {
                    value.append(c)
                }
            }
            guard closed else { return nil }
        } else {
            while let c = chars.first, c != " " {
                guard c != "\"", c != "=" else { return nil }
                value.append(c)
                chars = chars.dropFirst()
            }
        }
        pairs.append((key, value))
        if chars.first == " " {
            chars = chars.dropFirst()
            guard !chars.isEmpty else { return nil }
        } else if !chars.isEmpty {
            return nil
        }
    }
    return pairs
}

final class LogTests: XCTestCase {
    let clock = FakeClock(Date(timeIntervalSince1970: 1_795_000_000.25))

    func makeLog(level: LogLevel = .debug, timestamps: Bool = false) -> (Log, CollectedLines) {
        let lines = CollectedLines()
        let clock = self.clock
        let log = Log(level: level, timestamps: timestamps, clock: { clock.now() }, sink: { lines.append($0) })
        return (log, lines)
    }

    func fields(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> [String: String] {
        guard let pairs = parseLogLine(line) else {
            XCTFail("not key=value: \(line)", file: file, line: lineNumber)
            return [:]
        }
        return Dictionary(pairs, uniquingKeysWith: { a, _ in a })
    }

    func testALineIsLevelEventThenTheFieldsInOrder() {
        let (log, lines) = makeLog()
        log.info("intake.accepted", ["mailbox": "support", "uid": 4812, "ticket": 311, "decision": "new-ticket", "duration_ms": 14])
        XCTAssertEqual(lines.all, ["level=info event=intake.accepted mailbox=support uid=4812 ticket=311 decision=new-ticket duration_ms=14"])
        XCTAssertEqual(parseLogLine(lines.all[0])?.map(\.0), ["level", "event", "mailbox", "uid", "ticket", "decision", "duration_ms"])
    }

    func testValuesWithSpacesQuotesEqualsAndBackslashesAreQuotedAndReadBack() {
        let (log, lines) = makeLog()
        let values = [
            "two words", #"say "hi""#, "a=b", #"C:\mail"#, "tab\there", "new\nline", "cr\rlf", "ümlaut ok", "",
        ]
        for v in values { log.info("test.value", ["v": v]) }
        XCTAssertEqual(lines.all.count, values.count)
        for (line, v) in zip(lines.all, values) {
            XCTAssertFalse(line.contains("\n") || line.contains("\r"), "one physical line: \(line)")
            XCTAssertEqual(fields(line)["v"], v, line)
        }
        XCTAssertEqual(lines.all[0], #"level=info event=test.value v="two words""#)
        XCTAssertEqual(lines.all[5], #"level=info event=test.value v="new\nline""#)
        XCTAssertEqual(lines.all[8], #"level=info event=test.value v="""#)
    }

    func testAMissingValueIsADash() {
        let (log, lines) = makeLog()
        let ticket: Int? = nil
        log.info("intake.quarantined", ["ticket": ticket, "reason": nil, "uid": Optional(7)])
        XCTAssertEqual(lines.all, ["level=info event=intake.quarantined ticket=- reason=- uid=7"])
    }

    func testLevelsBelowTheThresholdAreDropped() {
        let (log, lines) = makeLog(level: .warning)
        log.debug("a.debug")
        log.info("a.info")
        log.warning("a.warning")
        log.error("a.error")
        XCTAssertEqual(lines.all.map { fields($0)["event"] }, ["a.warning", "a.error"])
        XCTAssertEqual(lines.all.map { fields($0)["level"] }, ["warning", "error"])
    }

    func testTheLevelCanBeChangedWhileRunning() {
        let (log, lines) = makeLog(level: .error)
        log.info("before")
        log.level = .debug
        log.debug("after")
        XCTAssertEqual(lines.all.map { fields($0)["event"] }, ["after"])
    }

    func testLevelsAreOrderedDebugInfoWarningError() {
        XCTAssertEqual(LogLevel.allCases.sorted(), [.debug, .info, .warning, .error])
        XCTAssertTrue(LogLevel.debug < .error)
    }

    func testOutsideJournaldLinesStartWithAnISOTimestampFromTheClock() {
        let (log, lines) = makeLog(timestamps: true)
        log.info("service.started")
        XCTAssertEqual(lines.all, ["time=2026-11-18T11:06:40.250Z level=info event=service.started"])
    }

    func testTimestampsAreUTCWithMillisecondsPaddedAndNeverRoundedIntoTheNextSecond() {
        XCTAssertEqual(Log.iso(Date(timeIntervalSince1970: 1_795_430_096.042)), "2026-11-23T10:34:56.042Z")
        XCTAssertEqual(Log.iso(Date(timeIntervalSince1970: 946_684_799.9996)), "1999-12-31T23:59:59.999Z")
        XCTAssertEqual(Log.iso(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
    }

    func testNumbersTextAndOptionalsAreWrittenPlainly() {
        let none: Int64? = nil
        let some: Int64? = 42
        XCTAssertEqual(Log.format(Int64(-7)), "-7")
        XCTAssertEqual(Log.format(12), "12")
        XCTAssertEqual(Log.format("plain"), "plain")
        XCTAssertEqual(Log.format(none), "-")
        XCTAssertEqual(Log.format(some), "42")
        XCTAssertEqual(Log.format(2.5), "2.5")
    }

    func testConcurrentLinesNeverInterleave() {
        let (log, lines) = makeLog()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<200 { log.info("load.line", ["thread": t, "i": i, "text": "some words here"]) }
        }
        XCTAssertEqual(lines.all.count, 1600)
        for line in lines.all { XCTAssertEqual(fields(line)["text"], "some words here") }
    }

    // MARK: - The process logger

    /// Runs `body` with file descriptor 2 pointed at a temporary file; returns what was written.
    func capturingStandardError(_ body: () -> Void) throws -> String {
        let dir = Fixtures.temporaryDirectory("log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("stderr").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        let saved = dup(2)
        dup2(fd, 2)
        body()
        dup2(saved, 2)
        close(saved)
        close(fd)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func testUnderJournaldThereIsNoTimestamp() throws {
        let clock = self.clock
        let written = try capturingStandardError {
            Log.standardError(level: .info, environment: ["JOURNAL_STREAM": "8:12345"], clock: { clock.now() })
                .info("service.ready", ["mailboxes": 3])
        }
        XCTAssertEqual(written, "level=info event=service.ready mailboxes=3\n")
    }

    func testWithoutJournaldTheProcessLoggerWritesTimestampedLinesToStandardError() throws {
        let clock = self.clock
        let written = try capturingStandardError {
            let log = Log.standardError(level: .warning, environment: [:], clock: { clock.now() })
            log.info("dropped")
            log.warning("mailbox.retry", ["mailbox": "support", "error": "connection refused"])
        }
        XCTAssertEqual(written, "time=2026-11-18T11:06:40.250Z level=warning event=mailbox.retry mailbox=support error=\"connection refused\"\n")
    }

    // MARK: - The test's own parser

    func testTheParserRejectsWhatIsNotKeyValue() {
        XCTAssertNil(parseLogLine("level=info event"))
        XCTAssertNil(parseLogLine(#"level=info v="open"#))
        XCTAssertNil(parseLogLine("level=info  double=space"))
        XCTAssertEqual(parseLogLine(#"a=1 b="x y""#)?.map(\.1), ["1", "x y"])
    }
}
