import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `show`, `tickets` and `sla` telling SLA clocks in words. Ticket 1 is overdue on first response,
/// ticket 2 due in 40 minutes, ticket 3 paused, ticket 4 has no policy.
final class SLACommandTests: XCTestCase {
    var directory: URL!
    var clock: FakeClock!
    var dbPath: String { directory.appendingPathComponent("postdesk.db").path }

    override func setUp() {
        directory = Fixtures.temporaryDirectory("cli-sla")
        clock = FakeClock()
        let db = try! Store.open(path: dbPath, now: clock.unixSeconds())
        let store = TicketStore(db: db)
        let now = clock.now()
        let policy = SLAPolicy(name: "p1", calendar: .always, targets: [.firstResponse: 3600, .resolution: 8 * 3600])
        func make(_ subject: String, age: TimeInterval, pending: Bool = false, withPolicy: Bool = true) {
            let t = try! store.createTicket(subject: subject, requester: "ann@customer.test", queue: subject == "Fax" ? "billing" : "support",
                                            actor: "ann@customer.test", now: clock.unixSeconds() - Int64(age))
            guard withPolicy else { return }
            var history = [SLAFact(.created(.new), at: now - age)]
            if pending { history.append(SLAFact(.status(.pending), at: now - age + 600)) }
            let states = SLAClock(policy: policy).evaluate(history, now: now)
            try! store.saveSLA(ticketID: t.id, requested: nil, policy: "p1", states: states, now: clock.unixSeconds())
        }
        make("Printer", age: 3600 + 25 * 60)
        make("Scanner", age: 20 * 60)
        make("Fax", age: 3 * 3600, pending: true)
        make("Kettle", age: 60, withPolicy: false)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func run(_ argv: [String]) -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(argv, io: captured.io(environment: [:]), clock: clock)
        return (code, captured.out, captured.err)
    }

    func testShowTellsEachClockInWords() {
        let one = run(["show", "1", "--db", dbPath])
        XCTAssertEqual(one.code, 0, one.err)
        XCTAssertTrue(one.out.contains("  sla:       policy p1\n"), one.out)
        XCTAssertTrue(one.out.contains("first response overdue by 25m, was due "), one.out)
        XCTAssertTrue(one.out.contains("resolution due in 6h 35m, "), one.out)
        let two = run(["show", "2", "--db", dbPath]).out
        XCTAssertTrue(two.contains("first response due in 40m, "), two)
        let three = run(["show", "3", "--db", dbPath]).out
        XCTAssertTrue(three.contains("resolution paused (new), 7h 50m left"), three)
        XCTAssertFalse(run(["show", "4", "--db", dbPath]).out.contains("sla:"))
    }

    /// `POSTDESK_CLOCK_FILE` (tests and rehearsals): every command takes its time from the file,
    /// says so on stderr, and a file that is not a time stops it with exit 78.
    func testTheClockFileSetsTheTimeOfEveryCommand() throws {
        let file = directory.appendingPathComponent("clock").path
        try Data(UTCTimestamp.iso(clock.now() + 2 * 3600, milliseconds: false).utf8).write(to: URL(fileURLWithPath: file))
        func runWithFile() -> (code: Int32, out: String, err: String) {
            let captured = CapturedOutput()
            let code = Postdesk.main(["show", "2", "--db", dbPath], io: captured.io(environment: ["POSTDESK_CLOCK_FILE": file]))
            return (code, captured.out, captured.err)
        }
        let two = runWithFile()
        XCTAssertEqual(two.code, 0, two.err)
        XCTAssertTrue(two.out.contains("first response overdue by 1h 20m"), two.out)
        XCTAssertTrue(two.err.hasPrefix("postdesk: warning: the time is read from POSTDESK_CLOCK_FILE=\(file) (for tests only)"), two.err)
        try Data("soon".utf8).write(to: URL(fileURLWithPath: file))
        let bad = runWithFile()
        XCTAssertEqual(bad.code, 78)
        XCTAssertTrue(bad.err.contains("postdesk: POSTDESK_CLOCK_FILE: \(file) holds 'soon', not a time"), bad.err)
    }

    /// The clock file is read only by commands that use the time: a broken one leaves `--help`,
    /// `--version`, usage errors and `parse` alone, and stops the others with 78 naming it.
    func testABrokenClockFileStopsOnlyCommandsThatReadTheTime() throws {
        let file = directory.appendingPathComponent("clock").path
        try Data("soon".utf8).write(to: URL(fileURLWithPath: file))
        let eml = directory.appendingPathComponent("m.eml").path
        try Data("From: a@b.test\r\nSubject: hi\r\n\r\nbody\r\n".utf8).write(to: URL(fileURLWithPath: eml))
        func run(_ argv: [String]) -> (code: Int32, out: String, err: String) {
            let captured = CapturedOutput()
            let code = Postdesk.main(argv, io: captured.io(environment: ["POSTDESK_CLOCK_FILE": file]))
            return (code, captured.out, captured.err)
        }
        for argv in [["--help"], ["--version"], ["help", "show"], ["show", "--help"], ["show", "--version"], ["parse", eml]] {
            let r = run(argv)
            XCTAssertEqual(r.code, 0, "\(argv): \(r.err)")
            XCTAssertFalse(r.err.contains("POSTDESK_CLOCK_FILE"), "\(argv): \(r.err)")
        }
        let usage = run(["show"])
        XCTAssertEqual(usage.code, 64, usage.err)
        XCTAssertFalse(usage.err.contains("POSTDESK_CLOCK_FILE"), usage.err)
        let show = run(["show", "2", "--db", dbPath])
        XCTAssertEqual(show.code, 78, show.err)
        XCTAssertTrue(show.err.contains("postdesk: POSTDESK_CLOCK_FILE: \(file) holds 'soon', not a time"), show.err)
    }

    func testShowJSONCarriesTheClocks() throws {
        let r = run(["show", "1", "--db", dbPath, "--json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let clocks = try XCTUnwrap(json["sla"] as? [[String: Any]])
        XCTAssertEqual(clocks.map { $0["target"] as? String }, ["first_response", "resolution"])
        XCTAssertEqual(clocks[0]["state"] as? String, "running")
        XCTAssertNotNil(clocks[0]["breached_at"] as? String)
    }

    func testTicketsHasADueColumnAndSortsByIt() {
        let r = run(["tickets", "--db", dbPath, "--sort", "due"])
        XCTAssertEqual(r.code, 0, r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].contains("DUE"), lines[0])
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }, ["1", "2", "4", "3"],
                       "overdue, then soonest, then without a running deadline (newest first)")
        XCTAssertTrue(lines[1].contains("overdue 25m"), lines[1])
        XCTAssertTrue(lines[2].contains("in 40m"), lines[2])
        XCTAssertEqual(run(["tickets", "--db", dbPath, "--sort", "age"]).code, 64)
    }

    func testSLAListsWhatIsAtRiskSoonestFirst() {
        let all = run(["sla", "--db", dbPath])
        XCTAssertEqual(all.code, 0, all.err)
        let rows = all.out.split(separator: "\n").dropFirst().map { $0.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "" }
        XCTAssertEqual(rows, ["1", "2", "1", "2", "3", "3"], "by deadline; paused clocks last")
        let breached = run(["sla", "--db", dbPath, "--breached"]).out
        XCTAssertEqual(breached.split(separator: "\n").count, 2, breached)
        let soon = run(["sla", "--db", dbPath, "--due-within", "1h"]).out
        XCTAssertEqual(soon.split(separator: "\n").count, 3, "overdue and the one due in 40m: \(soon)")
        XCTAssertEqual(run(["sla", "--db", dbPath, "--queue", "billing"]).out.split(separator: "\n").count, 3)
        XCTAssertEqual(run(["sla", "--db", dbPath, "--due-within", "soon"]).code, 64)
        let json = run(["sla", "--db", dbPath, "--json", "--breached"]).out
        XCTAssertTrue(json.contains("\"text\": \"first response overdue by 25m"), json)
    }

    func testBusinessTimeWordsWhenTheConfigNamesTheCalendar() throws {
        let config = directory.appendingPathComponent("config.json").path
        try Data("""
            {"database": "\(dbPath)", "calendars": {"office": {"time_zone": "UTC", "hours": "daily 00:00-24:00",
              "holidays": ["2099-01-01"]}},
             "sla_policies": {"p1": {"calendar": "office", "first_response": "1h"}}}
            """.utf8).write(to: URL(fileURLWithPath: config))
        let r = run(["show", "2", "--config", config])
        XCTAssertTrue(r.out.contains("first response due in 40m (business time), "), r.out + r.err)
    }
}
