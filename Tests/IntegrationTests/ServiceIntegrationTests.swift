import Foundation
import Glibc
import TestSupport
import XCTest

/// `postdesk run` as systemd runs it: the real binary under a fake `NOTIFY_SOCKET` (a datagram
/// socket this test binds), with the watchdog on, signalled with SIGHUP and SIGTERM.
final class ServiceIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
        guard FileManager.default.isExecutableFile(atPath: TestDesk.binary) else {
            throw XCTSkip("no postdesk binary at \(TestDesk.binary): run `swift build` first")
        }
        if ProcessInfo.processInfo.environment["WATCHDOG_PID"] != nil {
            throw XCTSkip("WATCHDOG_PID is set in the test's environment and would be inherited")
        }
    }

    // MARK: - Helpers

    static func mail(_ n: Int, tag: String, body: String = "my order is late") -> [UInt8] {
        Array("From: Customer \(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nSubject: Order \(n)\r\nMessage-ID: <\(tag)-\(n)@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n\(body) #\(n)\r\n".utf8)
    }

    /// A message of about `megabytes` MB: plain text lines, as a long log or report pasted in.
    static func largeMail(tag: String, megabytes: Int) -> [UInt8] {
        var bytes = Array("From: Big Customer <big@customer.test>\r\nTo: support@example.test\r\nSubject: Full export attached\r\nMessage-ID: <\(tag)@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n".utf8)
        let line = Array("0123456789 the quick brown fox jumps over the lazy dog 0123456789 abcdefgh\r\n".utf8)
        bytes.reserveCapacity(megabytes << 20 + 1024)
        while bytes.count < megabytes << 20 { bytes += line }
        return bytes
    }

    func environment(_ listener: NotifySocketListener, watchdogMicroseconds: Int = 2_000_000) -> [String: String] {
        ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": String(watchdogMicroseconds)]
    }

    /// `postdesk run` as systemd starts it, with its log file.
    struct SpawnedDaemon {
        let listener: NotifySocketListener
        let log: String
        let process: SpawnedProcess
        var pid: pid_t { process.pid }
    }

    /// Killed when the test ends unless the test waited for its exit (`process.exitStatus`).
    func spawnDaemon(_ desk: TestDesk) throws -> SpawnedDaemon {
        let listener = try NotifySocketListener(directory: desk.directory)
        let log = desk.directory.appendingPathComponent("run.log").path
        let process = try spawn(desk, ["run"], logFile: log, environment: environment(listener))
        return SpawnedDaemon(listener: listener, log: log, process: process)
    }

    func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// The `key=value` fields of a log line, or nil when the line is not made of them.
    static func fields(_ line: Substring) -> [String: String]? {
        var result: [String: String] = [:]
        var rest = line[...]
        while !rest.isEmpty {
            guard let eq = rest.firstIndex(of: "="), !rest[..<eq].isEmpty, !rest[..<eq].contains(" ") else { return nil }
            let key = String(rest[..<eq])
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var closed = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if c == "\\", let next = rest.first { value.append(next); rest = rest.dropFirst(); continue }
                    if c == "\"" { closed = true; break }
                    value.append(c)
                }
                guard closed else { return nil }
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result[key] = value
            if rest.first == " " { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
        }
        return result
    }

    func events(_ log: String, _ event: String) -> [[String: String]] {
        log.split(separator: "\n").compactMap { Self.fields($0) }.filter { $0["event"] == event }
    }

    // MARK: - Notify, watchdog, stop

    func testRunTellsSystemdReadyThenStatusAfterEachPollPingsTheWatchdogAndSaysStoppingOnSIGTERM() throws {
        let desk = try TestDesk(servers: servers, user: "customer1")
        try desk.append((1...3).map { Self.mail($0, tag: "notify") })
        let daemon = try spawnDaemon(desk)
        let (listener, log, pid) = (daemon.listener, daemon.log, daemon.pid)

        let ready = listener.waitFor("READY=1")
        XCTAssertNotNil(ready, "READY=1 once the store is migrated: \(listener.messages) \(text(log))")
        let status = listener.waitFor(after: ready ?? -1) { $0.hasPrefix("STATUS=") && $0.contains("1/1 mailboxes ok, 3 new") }
        XCTAssertNotNil(status, "STATUS= after the poll that took the three messages: \(listener.messages)")
        XCTAssertTrue(try waitUntil(20) { (try? desk.count("SELECT COUNT(*) FROM tickets")) == 3 })
        // WATCHDOG_USEC=2 s: the loop pings about every second while it waits between polls.
        listener.drain(seconds: 3.5)
        let pings = listener.indexes(of: "WATCHDOG=1")
        XCTAssertGreaterThanOrEqual(pings.count, 3, "WATCHDOG=1 from the main loop: \(listener.messages)")
        XCTAssertGreaterThanOrEqual(listener.messages.filter { $0.hasPrefix("STATUS=") }.count, 2, "a STATUS after every poll")

        kill(pid, SIGTERM)
        XCTAssertEqual(daemon.process.exitStatus(timeoutSeconds: 30), 0, "SIGTERM exits 0: \(text(log))")
        listener.drain(seconds: 0.2)
        let stopping = listener.indexes(of: "STOPPING=1")
        XCTAssertEqual(stopping.count, 1, "STOPPING=1 once: \(listener.messages)")
        XCTAssertGreaterThan(stopping.first ?? -1, ready ?? Int.max, "STOPPING after READY")

        // The log: every line key=value with level and event; one intake.accepted per message.
        let lines = text(log).split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            let f = Self.fields(line)
            XCTAssertNotNil(f, "a key=value line: \(line)")
            XCTAssertNotNil(f?["level"], "has level: \(line)")
            XCTAssertNotNil(f?["event"], "has event: \(line)")
            XCTAssertNotNil(f?["time"], "ISO timestamps outside journald: \(line)")
        }
        let accepted = events(text(log), "intake.accepted")
        XCTAssertEqual(accepted.count, 3, text(log))
        for event in accepted {
            XCTAssertEqual(event["mailbox"], "support")
            for key in ["uid", "ticket", "decision", "duration_ms"] { XCTAssertNotNil(event[key], "intake.accepted has \(key): \(event)") }
        }
        XCTAssertEqual(Set(accepted.compactMap { $0["uid"] }).count, 3, "one line per message")
        XCTAssertEqual(events(text(log), "service.stopped").count, 1)
    }

    func testAHungPollStopsTheWatchdogPingsAndASecondSIGTERMExitsAtOnce() throws {
        // A server that accepts the connection and never says a word.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(silent, 0)
        defer { close(silent) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, length) == 0 && getsockname(silent, $0, &length) == 0 }
        }
        XCTAssertTrue(bound && listen(silent, 8) == 0)
        let port = Int(UInt16(bigEndian: addr.sin_port))

        let desk = try TestDesk(servers: servers, user: "customer1")
        let config = text(desk.configPath).replacingOccurrences(of: "imap://\(servers.host):\(servers.imapPort)", with: "imap://127.0.0.1:\(port)")
        try Data(config.utf8).write(to: URL(fileURLWithPath: desk.configPath))
        let daemon = try spawnDaemon(desk)
        let (listener, log, pid) = (daemon.listener, daemon.log, daemon.pid)

        let ready = listener.waitFor("READY=1")
        XCTAssertNotNil(ready, text(log))
        // The poll now waits for a greeting that never comes: no pings while it hangs, so
        // systemd's watchdog would restart the service.
        listener.drain(seconds: 4)
        let pings = listener.indexes(of: "WATCHDOG=1")
        XCTAssertLessThanOrEqual(pings.count, 1, "at most the ping before the poll began: \(listener.messages)")
        XCTAssertTrue(listener.messages.filter { $0.hasPrefix("STATUS=") && !$0.contains("READY=1") }.isEmpty,
                      "no poll finished: \(listener.messages)")

        // The first SIGTERM waits for the message in hand; the second exits at once.
        kill(pid, SIGTERM)
        usleep(200_000)
        kill(pid, SIGTERM)
        XCTAssertEqual(daemon.process.exitStatus(timeoutSeconds: 5), 0, "the second SIGTERM exits 0 at once: \(text(log))")
    }

    // MARK: - Reload

    func testSIGHUPWithAValidChangedConfigReloadsBetweenRELOADINGAndREADY() throws {
        let desk = try TestDesk(servers: servers, user: "customer1")
        try desk.append([Self.mail(1, tag: "reload")])
        let daemon = try spawnDaemon(desk)
        let (listener, log, pid) = (daemon.listener, daemon.log, daemon.pid)
        let ready = listener.waitFor("READY=1")
        XCTAssertNotNil(ready)
        XCTAssertTrue(try waitUntil(20) { (try? desk.count("SELECT COUNT(*) FROM tickets")) == 1 }, text(log))
        XCTAssertTrue(events(text(log), "service.polled").isEmpty, "debug lines are off at log_level info")

        try desk.writeConfig(extra: "\"log_level\": \"debug\"")
        kill(pid, SIGHUP)
        let reloading = listener.waitFor("RELOADING=1", after: ready ?? -1)
        XCTAssertNotNil(reloading, "RELOADING=1: \(listener.messages)")
        XCTAssertTrue(reloading.map { listener.messages[$0].contains("MONOTONIC_USEC=") } ?? false, "with MONOTONIC_USEC, as notify-reload wants")
        XCTAssertNotNil(listener.waitFor("READY=1", after: reloading ?? Int.max), "READY=1 after the reload: \(listener.messages)")
        XCTAssertTrue(waitUntil(10) { !events(text(log), "service.reloaded").isEmpty }, text(log))
        XCTAssertTrue(waitUntil(10) { !events(text(log), "service.polled").isEmpty }, "the new log level is in effect: \(text(log))")

        try desk.append([Self.mail(2, tag: "reload")])
        XCTAssertTrue(try waitUntil(20) { (try? desk.count("SELECT COUNT(*) FROM tickets")) == 2 }, "still importing: \(text(log))")
        kill(pid, SIGTERM)
        XCTAssertEqual(daemon.process.exitStatus(timeoutSeconds: 30), 0)
    }

    func testSIGHUPWithAnInvalidConfigIsRejectedAndTheDaemonKeepsImporting() throws {
        let desk = try TestDesk(servers: servers, user: "customer1")
        let daemon = try spawnDaemon(desk)
        let (listener, log, pid) = (daemon.listener, daemon.log, daemon.pid)
        let ready = listener.waitFor("READY=1")
        XCTAssertNotNil(ready)

        try Data("{\"mailboxes\": [{\"url\": \"imap://nowhere\"}], \"poll_interval\": 0}".utf8).write(to: URL(fileURLWithPath: desk.configPath))
        kill(pid, SIGHUP)
        XCTAssertTrue(waitUntil(10) { !events(text(log), "service.reload_rejected").isEmpty }, text(log))
        let rejected = events(text(log), "service.reload_rejected").first ?? [:]
        XCTAssertEqual(rejected["level"], "error")
        XCTAssertTrue(rejected["reason"]?.contains(desk.configPath) ?? false, "the reason names the file: \(rejected)")
        XCTAssertTrue(events(text(log), "service.reloaded").isEmpty)
        let reloading = listener.waitFor("RELOADING=1", after: ready ?? -1)
        XCTAssertNotNil(listener.waitFor("READY=1", after: reloading ?? Int.max), "READY=1 again, on the running config: \(listener.messages)")

        try desk.append((1...2).map { Self.mail($0, tag: "rejected") })
        XCTAssertTrue(try waitUntil(20) { (try? desk.count("SELECT COUNT(*) FROM tickets")) == 2 }, "keeps importing: \(text(log))")
        XCTAssertEqual(kill(pid, 0), 0, "still running")
        kill(pid, SIGTERM)
        XCTAssertEqual(daemon.process.exitStatus(timeoutSeconds: 30), 0)
    }

    // MARK: - Stopping mid-message

    func testSIGTERMWhileIngestingALargeMessageLeavesItWhollyStoredOrNotAtAll() throws {
        let desk = try TestDesk(servers: servers, user: "customer1")
        let log = desk.directory.appendingPathComponent("run.log").path
        // (delay after READY, a second SIGTERM 100 ms later?): one SIGTERM finishes the message
        // in hand; a second exits at once, mid-transaction, and must leave no trace of it.
        let rounds: [(delay: useconds_t, twice: Bool)] = [(500_000, false), (300_000, true), (1_000_000, true)]
        var outcomes: [String] = []
        for (round, plan) in rounds.enumerated() {
            let tag = "big-\(round)"
            let big = Self.largeMail(tag: tag, megabytes: 30)
            let uid = try desk.append([big, Self.mail(round, tag: "after-big")]).first ?? 0
            let listener = try NotifySocketListener(directory: desk.directory)
            let pid = try desk.spawn(["run"], logFile: log, environment: environment(listener))
            XCTAssertNotNil(listener.waitFor("READY=1"), text(log))
            usleep(plan.delay)
            kill(pid, SIGTERM)
            if plan.twice {
                usleep(100_000)
                kill(pid, SIGTERM)
            }
            let started = NotifySocketListener.monotonicSeconds()
            let code = TestDesk.wait(pid, timeoutSeconds: 120)
            let stopSeconds = NotifySocketListener.monotonicSeconds() - started
            XCTAssertEqual(code, 0, "round \(round): SIGTERM exits 0: \(text(log).suffix(2000))")

            let stored = try desk.count("SELECT COUNT(*) FROM messages WHERE message_id = '\(tag)@customer.test'")
            let deliveries = try desk.count("SELECT COUNT(*) FROM deliveries WHERE mailbox = 'support' AND uid = \(uid)")
            let lastUID = try desk.count("SELECT COALESCE(MAX(last_uid), 0) FROM mailbox_cursors WHERE mailbox = 'support'")
            if stored == 1 {
                XCTAssertEqual(deliveries, 1, "round \(round): stored with its delivery")
                XCTAssertGreaterThanOrEqual(lastUID, Int64(uid), "round \(round): and the cursor moved past it")
                XCTAssertEqual(try desk.count("SELECT size FROM messages WHERE message_id = '\(tag)@customer.test'"),
                               Int64(big.count), "round \(round): every byte")
            } else {
                XCTAssertEqual(stored, 0, "round \(round): never half stored")
                XCTAssertEqual(deliveries, 0, "round \(round): no delivery without its message")
                XCTAssertLessThan(lastUID, Int64(uid), "round \(round): the cursor did not pass it")
            }
            // UIDs are taken in order: the small message after it is never stored without it. (Whether
            // the signal found the big one in hand depends on the machine's speed; both ways are checked.)
            let after = try desk.count("SELECT COUNT(*) FROM messages WHERE message_id = 'after-big-\(round)@customer.test'")
            XCTAssertTrue(after == 0 || stored == 1, "round \(round): nothing taken past a message that is not stored")
            if !plan.twice { XCTAssertEqual(stored, 1, "round \(round): one SIGTERM lets the message in hand finish") }
            outcomes.append("\(plan.twice ? "2xTERM" : "TERM") +\(plan.delay / 1000) ms: \(stored == 1 ? "stored" : "absent")\(after == 1 ? " (poll done)" : ""), exit after \(String(format: "%.1f", stopSeconds)) s")

            // The next run takes what is left, exactly once.
            let once = try desk.spawn(["run", "--once"], logFile: log)
            XCTAssertEqual(TestDesk.wait(once, timeoutSeconds: 120), 0, text(log).suffix(2000).description)
            XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE message_id = '\(tag)@customer.test'"), 1,
                           "round \(round): stored exactly once")
            XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM deliveries WHERE mailbox = 'support' AND uid = \(uid)"), 1)
            XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE message_id = 'after-big-\(round)@customer.test'"), 1)
        }
        print("SIGTERM during a 30 MB message: \(outcomes)")
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM deliveries WHERE action_done_at IS NULL"), 0, "every after-import action applied")
    }
}
