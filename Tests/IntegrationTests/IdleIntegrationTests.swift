import Foundation
import Glibc
import TestSupport
import Transport
import XCTest

/// IMAP IDLE against the real Dovecot, mail delivered through the real Postfix: with a poll
/// interval of 300 s, a message becomes a ticket (and its acknowledgement is queued) within
/// seconds; a Dovecot restart during IDLE recovers by itself; SIGTERM leaves IDLE cleanly.
final class IdleIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
        guard FileManager.default.isExecutableFile(atPath: TestDesk.binary) else {
            throw XCTSkip("no postdesk binary at \(TestDesk.binary): run `swift build` first")
        }
    }

    func log(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func lines(_ path: String, event: String) -> [Substring] {
        log(path).split(separator: "\n").filter { $0.contains("event=\(event) ") || $0.hasSuffix("event=\(event)") }
    }

    /// Sends one customer mail through Postfix (SMTP → LMTP → Dovecot), as the world does.
    func deliver(_ n: Int, to desk: TestDesk) throws {
        let message = Array("From: Customer \(n) <idle\(n)@customer.test>\r\nTo: \(servers.address(desk.user))\r\nSubject: Idle request \(n)\r\nMessage-ID: <idle-\(n)-\(UInt32.random(in: 0 ... .max))@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nPlease help #\(n)\r\n".utf8)
        _ = try CurlSMTPClient(endpoint: servers.smtpEndpoint()).send(from: "idle\(n)@customer.test", to: [servers.address(desk.user)], message: message)
    }

    func testWithAFiveMinutePollIntervalMailBecomesATicketWithinSecondsAndARestartRecovers() throws {
        let desk = try TestDesk(servers: servers, user: "customer2", pollInterval: 300)
        let logFile = desk.directory.appendingPathComponent("run.log").path
        let daemon = try spawn(desk, ["run", "--log-level", "debug"], logFile: logFile)
        XCTAssertTrue(waitUntil(30) { !lines(logFile, event: "mailbox.idle").isEmpty }, log(logFile))
        XCTAssertTrue(desk.cli(["mailboxes"]).out.contains(" idle "), desk.cli(["mailboxes"]).out)

        // Delivery → ticket with its acknowledgement queued, one message at a time.
        var latencies: [Double] = []
        for n in 1...5 {
            let started = NotifySocketListener.monotonicSeconds()
            try deliver(n, to: desk)
            XCTAssertTrue(try waitUntil(30) {
                try desk.count("SELECT COUNT(*) FROM tickets") == Int64(n) && desk.count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'") == Int64(n)
            }, "message \(n): \(log(logFile).suffix(3000))")
            latencies.append(NotifySocketListener.monotonicSeconds() - started)
        }
        let sorted = latencies.sorted()
        print("figure: IDLE delivery-to-ticket latency (Postfix -> Dovecot -> IDLE -> ticket + ack queued, poll_interval 300 s, debug build, n=5): "
              + "min \(Int(sorted.first! * 1000)) ms, median \(Int(sorted[2] * 1000)) ms, max \(Int(sorted.last! * 1000)) ms")

        // Dovecot restarts under the open IDLE: the listener reconnects, catches up, and listens on.
        try servers.control("restart")
        XCTAssertTrue(waitUntil(60) { lines(logFile, event: "mailbox.idle").contains { $0.contains("reconnected=true") } }, log(logFile))
        try deliver(6, to: desk)
        XCTAssertTrue(try waitUntil(30) { try desk.count("SELECT COUNT(*) FROM tickets") == 6 }, log(logFile))

        // SIGTERM: DONE, LOGOUT, exit 0 at once, not after the 300 s poll interval: the wait's own
        // 20 s limit is the proof (no timed assertion on top of it).
        kill(daemon.pid, SIGTERM)
        XCTAssertEqual(daemon.exitStatus(timeoutSeconds: 20), 0)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 6, "each message once")
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM deliveries"), 6)
    }

    func testAMailboxWithIdleFalseIsPolledAndShownAsPolling() throws {
        let desk = try TestDesk(servers: servers, user: "customer2", pollInterval: 1)
        var config = try String(contentsOfFile: desk.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "\"after_import\": \"seen\"", with: "\"after_import\": \"seen\", \"idle\": false")
        try Data(config.utf8).write(to: URL(fileURLWithPath: desk.configPath))
        let logFile = desk.directory.appendingPathComponent("run.log").path
        _ = try spawn(desk, ["run"], logFile: logFile)
        try deliver(1, to: desk)
        XCTAssertTrue(try waitUntil(30) { try desk.count("SELECT COUNT(*) FROM tickets") == 1 }, log(logFile))
        XCTAssertTrue(lines(logFile, event: "mailbox.idle").isEmpty)
        var shown = ""
        XCTAssertTrue(waitUntil(10) { shown = desk.cli(["mailboxes", "--json"]).out; return shown.contains("\"mode\": \"polling\"") }, shown)
        XCTAssertTrue(shown.contains("idle: false"), shown)
    }
}
