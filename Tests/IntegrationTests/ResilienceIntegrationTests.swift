import Foundation
import Store
import TestSupport
import Transport
import XCTest

/// The real binary, the real Dovecot: kill -9 at random moments, a server restart, two pollers.
final class ResilienceIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
        guard FileManager.default.isExecutableFile(atPath: TestDesk.binary) else {
            throw XCTSkip("no postdesk binary at \(TestDesk.binary): run `swift build` first")
        }
    }

    static func mail(_ n: Int, tag: String, body: String = "zebra-umbrella-7731 my order is late") -> [UInt8] {
        Array("From: Customer \(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nSubject: Order \(n)\r\nMessage-ID: <\(tag)-\(n)@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n\(body) #\(n)\r\n".utf8)
    }

    func testKillNineAtRandomMomentsNeverLosesOrDuplicatesMail() throws {
        let desk = try TestDesk(servers: servers, user: "customer2")
        let kills = Int(ProcessInfo.processInfo.environment["POSTDESK_KILLS"] ?? "") ?? 20
        let perRound = 15
        let log = desk.directory.appendingPathComponent("run.log").path
        var rng = SystemRandomNumberGenerator()
        var appended = 0
        for round in 0..<kills {
            try desk.append((0..<perRound).map { Self.mail(round * perRound + $0, tag: "kill") })
            appended += perRound
            let pid = try desk.spawn(["run"], logFile: log)
            usleep(UInt32.random(in: 20_000...450_000, using: &rng))
            kill(pid, SIGKILL)
            _ = TestDesk.wait(pid)
        }
        let last = try desk.spawn(["run", "--once"], logFile: log)
        XCTAssertEqual(TestDesk.wait(last), 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        let db = try desk.store()
        let stored = try db.row("SELECT COUNT(DISTINCT message_id) AS n FROM messages WHERE direction = 'in'")!.int("n")
        let rows = try db.row("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in'")!.int("n")
        let tickets = try db.row("SELECT COUNT(*) AS n FROM tickets")!.int("n")
        let deliveries = try db.row("SELECT COUNT(*) AS n FROM deliveries")!.int("n")
        let lost = Int64(appended) - stored
        let duplicated = rows - stored
        print("kills=\(kills) stored=\(stored) lost=\(lost) duplicated=\(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
        XCTAssertEqual(tickets, Int64(appended), "no ticket duplicated")
        XCTAssertEqual(deliveries, Int64(appended))
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM deliveries WHERE action_done_at IS NULL")!.int("n"), 0,
                       "every after-import action applied in the end")
    }

    func testADovecotRestartMidRunLosesNothingAndThePollerRecoversByItself() throws {
        let desk = try TestDesk(servers: servers, user: "customer2")
        let log = desk.directory.appendingPathComponent("run.log").path
        try desk.append((0..<20).map { Self.mail($0, tag: "restart") })
        let daemon = try spawn(desk, ["run"], logFile: log)
        XCTAssertTrue(try waitUntil(30) { (try? desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'")) == 20 })
        try servers.control("restart")
        try desk.append((20..<40).map { Self.mail($0, tag: "restart") })
        XCTAssertTrue(try waitUntil(60) { (try? desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'")) == 40 },
                      (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        kill(daemon.pid, SIGTERM)
        XCTAssertEqual(daemon.exitStatus(timeoutSeconds: 30), 0, "SIGTERM exits 0")
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 40)
        // The log never holds the password or a message body.
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertFalse(text.contains("zebra-umbrella-7731"), "no message body in the log")
        XCTAssertFalse(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0 == Substring(servers.password) },
                       "no password in the log")
        for line in text.split(separator: "\n") where line.contains("event=") {
            XCTAssertTrue(line.contains("level="), "key=value line: \(line)")
        }
    }

    func testTwoPollersStartedTogetherStoreEveryMessageOnce() throws {
        let desk = try TestDesk(servers: servers, user: "customer2")
        try desk.append((0..<150).map { Self.mail($0, tag: "twice") })
        let logA = desk.directory.appendingPathComponent("a.log").path
        let logB = desk.directory.appendingPathComponent("b.log").path
        let a = try desk.spawn(["run", "--once"], logFile: logA)
        let b = try desk.spawn(["run", "--once"], logFile: logB)
        let codes = [TestDesk.wait(a), TestDesk.wait(b)]
        XCTAssertTrue(codes.allSatisfy { $0 == 0 || $0 == 75 }, "exit codes \(codes)")
        XCTAssertTrue(codes.contains(0))
        if codes.contains(75) {
            let refused = try String(contentsOfFile: codes[0] == 75 ? logA : logB, encoding: .utf8)
            XCTAssertTrue(refused.contains("another postdesk is already polling this store"), refused)
        }
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 150)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 150)
    }
}
