import Foundation
import Glibc
@testable import Daemon
import TestSupport
import XCTest

/// `POSTDESK_CLOCK_FILE`: the time a test (or an operator's rehearsal) writes in a file, running
/// on from when the file was written; never the system clock's unless the variable is set.
final class FileClockTests: XCTestCase {
    var dir: URL!
    var path: String { dir.appendingPathComponent("clock").path }

    override func setUp() { dir = Fixtures.temporaryDirectory("postdesk-clock") }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// Writes `text` and dates the file at `written` (as the base clock sees time).
    func write(_ text: String, written: Date) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let t = written.timeIntervalSince1970
        var times = [timeval(tv_sec: Int(t), tv_usec: 0), timeval(tv_sec: Int(t), tv_usec: 0)]
        XCTAssertEqual(utimes(path, &times), 0)
    }

    func testReadsISOAndUnixTimesWithOrWithoutAZone() {
        let nine = Date(timeIntervalSince1970: 1_796_634_000) // 2026-12-07T09:00:00Z
        XCTAssertEqual(FileClock.parse("2026-12-07T09:00:00Z"), nine)
        XCTAssertEqual(FileClock.parse("2026-12-07T11:00:00+02:00\n"), nine)
        XCTAssertEqual(FileClock.parse("2026-12-07T09:00:00"), nine, "no zone: UTC")
        XCTAssertEqual(FileClock.parse("2026-12-07T09:00:00.500Z"), nine + 0.5)
        XCTAssertEqual(FileClock.parse(" 1796634000 "), nine)
        XCTAssertEqual(FileClock.parse("1796634000.25"), nine + 0.25)
        for bad in ["", "tomorrow", "2026-12-07", "2026-13-07T09:00:00Z", "-5", "1e9", "nan"] {
            XCTAssertNil(FileClock.parse(bad), bad)
        }
    }

    func testShowsTheFileTimePlusTheTimeSinceItWasWritten() throws {
        let base = FakeClock()
        try write("2026-12-07T09:00:00Z", written: base.now())
        let clock = try FileClock(path: path, base: base)
        XCTAssertEqual(clock.now(), FileClock.parse("2026-12-07T09:00:00Z"))
        base.advance(by: 90)
        XCTAssertEqual(clock.now(), FileClock.parse("2026-12-07T09:01:30Z"), "time runs on")

        // A test moves the clock a week on by rewriting the file.
        try write("2026-12-14T09:00:00Z", written: base.now())
        XCTAssertEqual(clock.now(), FileClock.parse("2026-12-14T09:00:00Z"))
        // Back, too (a file dated ahead of the base clock does not run backwards).
        try write("2026-12-01T00:00:00Z", written: base.now() + 30)
        XCTAssertEqual(clock.now(), FileClock.parse("2026-12-01T00:00:00Z"))
    }

    func testAFileThatBreaksLaterKeepsTheLastTimeAndNeverTheSystemClock() throws {
        let base = FakeClock()
        try write("1796634000", written: base.now())
        let clock = try FileClock(path: path, base: base)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        base.advance(by: 10)
        XCTAssertEqual(clock.now(), Date(timeIntervalSince1970: 1_796_634_010))
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(clock.now(), Date(timeIntervalSince1970: 1_796_634_010))
    }

    func testOnlyTheVariableTurnsItOnAndABadFileIsAnErrorAtStart() throws {
        XCTAssertNil(try FileClock.fromEnvironment([:]))
        XCTAssertNil(try FileClock.fromEnvironment([FileClock.variable: ""]))
        XCTAssertThrowsError(try FileClock.fromEnvironment([FileClock.variable: path])) {
            XCTAssertTrue("\($0)".contains("cannot read \(self.path)"), "\($0)")
        }
        try write("next tuesday", written: Date(timeIntervalSince1970: 0))
        XCTAssertThrowsError(try FileClock.fromEnvironment([FileClock.variable: path])) {
            XCTAssertTrue("\($0)".contains("'next tuesday', not a time"), "\($0)")
        }
        try write("2026-12-07T09:00:00Z", written: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(try FileClock.fromEnvironment([FileClock.variable: path])?.path, path)
    }

    /// Whoever can write the file sets every deadline: a file other users may write is refused
    /// at start, and a later one (renamed over it) is ignored: the last time read stays.
    func testAFileOtherUsersMayWriteIsRefusedAndAReplacementIgnored() throws {
        let base = FakeClock()
        try write("2026-12-07T09:00:00Z", written: base.now())
        chmod(path, 0o666)
        XCTAssertThrowsError(try FileClock(path: path, base: base)) {
            XCTAssertTrue("\($0)".contains("\(self.path) is writable by every user (mode 666): it sets postdesk's time"), "\($0)")
        }
        chmod(path, 0o644)
        let clock = try FileClock(path: path, base: base)
        try write("2027-06-01T00:00:00Z", written: base.now())
        chmod(path, 0o646)
        XCTAssertEqual(clock.now(), FileClock.parse("2026-12-07T09:00:00Z"), "the world-writable rewrite is not believed")
        chmod(path, 0o644)
        XCTAssertEqual(clock.now(), FileClock.parse("2027-06-01T00:00:00Z"))
        XCTAssertEqual(FileClock.foreignWriters(owner: 1000, mode: 0o644, user: 1000), nil)
        XCTAssertEqual(FileClock.foreignWriters(owner: 0, mode: 0o600, user: 1000), nil, "root's file is trusted")
        XCTAssertEqual(FileClock.foreignWriters(owner: 1001, mode: 0o600, user: 1000), "belongs to uid 1001, not this user (uid 1000) or root")
        if geteuid() == 0 {
            XCTAssertEqual(chown(path, 65534, 65534), 0)
            XCTAssertThrowsError(try FileClock(path: path, base: base)) {
                XCTAssertTrue("\($0)".contains("belongs to uid 65534, not this user (uid 0) or root"), "\($0)")
            }
        }
    }

    func testDoctorWarnsWhileTheVariableIsSet() throws {
        try Data("2026-12-07T09:00:00Z".utf8).write(to: URL(fileURLWithPath: path))
        let configPath = dir.appendingPathComponent("config.json").path
        try Data("""
            {"state_directory": "\(dir.path)", "mailboxes": [{"name": "support", "url": "imaps://imap.example.com",
              "user": "support@example.com", "password": "x"}]}
            """.utf8).write(to: URL(fileURLWithPath: configPath))
        chmod(configPath, 0o600)
        let config = try Config.load(path: configPath)
        XCTAssertFalse(Doctor(config: config, environment: [:], checkServers: false).findings().contains { $0.check == "clock" })
        let finding = try XCTUnwrap(Doctor(config: config, environment: [FileClock.variable: path], checkServers: false)
            .findings().first { $0.check == "clock" })
        XCTAssertEqual(finding.status, .warn)
        XCTAssertTrue(finding.line.contains("\(FileClock.variable)=\(path): postdesk's time is 2026-12-07T09:0"), finding.line)
        XCTAssertTrue(finding.line.contains("(fix: unset \(FileClock.variable)"), finding.line)
        let broken = Doctor(config: config, environment: [FileClock.variable: path + ".gone"], checkServers: false).findings()
        XCTAssertEqual(broken.first { $0.check == "clock" }?.status, .fail)
    }
}
