import Foundation
@testable import Daemon
import Store
import Ticketing
import TestSupport
import XCTest

/// The service loop's systemd side, in-process: a fake mailbox, a slow fake SMTP server, and the
/// test playing systemd's notify socket.
final class ServiceTests: XCTestCase {
    /// An SMTP server that takes `delay` seconds per mail.
    final class SlowSender: MailSender {
        let delay: Double
        private(set) var sent = 0
        init(delay: Double) { self.delay = delay }
        func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws -> [RecipientRefusal] {
            Thread.sleep(forTimeInterval: delay)
            sent += 1
            return []
        }
        func close() {}
    }

    func testSlowSendsInOneOutboxFlushKeepTheWatchdogFed() throws {
        let dir = Fixtures.temporaryDirectory("postdesk-service")
        defer { try? FileManager.default.removeItem(at: dir) }
        let listener = try NotifySocketListener(directory: dir)
        listener.readInBackground()
        let config = try Config.parse(Array("""
            {"database": "\(dir.path)/postdesk.db", "state_directory": "\(dir.path)",
             "mailboxes": [{"name": "support", "url": "imaps://imap.example.com", "user": "support@example.com", "password": "x"}],
             "smtp": {"url": "smtps://smtp.example.com", "from": "Support <support@example.com>"}}
            """.utf8), file: "config.json")
        let box = FakeMailbox()
        for n in 1...5 {
            box.append("From: Customer \(n) <c\(n)@customer.test>\r\nTo: support@example.com\r\nSubject: Help \(n)\r\nMessage-ID: <svc-\(n)@customer.test>\r\n\r\nplease help\r\n")
        }
        let sender = SlowSender(delay: 0.06)
        let clock = SystemClock()
        let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
        // WATCHDOG_USEC 40 ms: a ping is due every 20 ms, so each 60 ms send needs one before it.
        let service = Service(config: config, configPath: dir.appendingPathComponent("config.json").path, databaseOverride: nil,
                              environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "40000"], clock: clock, log: log,
                              signals: nil, makeSender: { _ in sender }) { _ in box }
        try service.run(once: true)
        listener.drain(seconds: 0.2)

        XCTAssertEqual(sender.sent, 5, "one acknowledgement per new ticket")
        let pings = listener.indexes(of: "WATCHDOG=1")
        XCTAssertGreaterThanOrEqual(pings.count, 5, "a ping between sends, not only between polls: \(listener.messages)")
        let ready = listener.indexes(of: "READY=1").first ?? Int.max
        XCTAssertTrue(pings.allSatisfy { $0 > ready }, "pings follow READY")
        XCTAssertEqual(listener.indexes(of: "STOPPING=1").count, 1, "STOPPING=1 once, at the end: \(listener.messages)")
    }

    /// `run --once` from cron: a poll whose mail the store could not take must not look like success.
    func testRunOnceFailsWhenTheStoreCouldNotTakeTheMail() throws {
        let dir = Fixtures.temporaryDirectory("postdesk-service")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = "\(dir.path)/postdesk.db"
        let config = try Config.parse(Array("""
            {"database": "\(path)", "state_directory": "\(dir.path)",
             "mailboxes": [{"name": "support", "url": "imaps://imap.example.com", "user": "support@example.com", "password": "x"}]}
            """.utf8), file: "config.json")
        // The store refuses every message and its quarantine (a stand-in for a full disk).
        do {
            let setup = try Store.open(path: path, now: 0)
            try setup.execute("CREATE TRIGGER refuse_messages BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'refused'); END")
            try setup.execute("CREATE TRIGGER refuse_quarantine BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let box = FakeMailbox()
        box.append("From: c@customer.test\r\nSubject: Help\r\nMessage-ID: <once-1@customer.test>\r\n\r\nplease help\r\n")
        let clock = FakeClock()
        func service() -> Service {
            Service(config: config, configPath: dir.appendingPathComponent("config.json").path, databaseOverride: nil,
                    environment: [:], clock: clock, log: Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in }),
                    signals: nil, makeSender: nil) { _ in box }
        }
        XCTAssertThrowsError(try service().run(once: true)) { error in
            XCTAssertNotNil((error as? Service.OnceFailed)?.condition, "\(error)")
            XCTAssertTrue("\(error)".contains("waits on the server"), "\(error)")
        }
        XCTAssertEqual(box.seenUIDs, [], "nothing flagged")
        do {
            let fixed = try Store.open(path: path, now: 0)
            try fixed.execute("DROP TRIGGER refuse_messages")
            try fixed.execute("DROP TRIGGER refuse_quarantine")
        }
        clock.advance(by: 3600)
        XCTAssertNoThrow(try service().run(once: true))
        XCTAssertEqual(box.seenUIDs, [1])
    }
}

extension ServiceTests {
    func testSIGHUPWithABrokenTemplateOverrideKeepsTheRunningTemplates() throws {
        let dir = Fixtures.temporaryDirectory("postdesk-reload")
        defer { try? FileManager.default.removeItem(at: dir) }
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("Subject: Got it\n\nWe have {{ticket.tag}}.\n".utf8).write(to: templates.appendingPathComponent("ack.en.txt"))
        let configPath = dir.appendingPathComponent("config.json").path
        try Data("""
            {"database": "\(dir.path)/postdesk.db", "state_directory": "\(dir.path)",
             "notifications": {"templates": "\(templates.path)"}}
            """.utf8).write(to: URL(fileURLWithPath: configPath))
        let config = try Config.load(path: configPath)
        let lines = CollectedLines()
        let clock = SystemClock()
        let log = Log(level: .info, timestamps: false, clock: { clock.now() }, sink: { lines.append($0) })
        let service = Service(config: config, configPath: configPath, databaseOverride: nil, environment: [:], clock: clock, log: log,
                              signals: nil, makeSender: { _ in SlowSender(delay: 0) }) { _ in FakeMailbox() }
        let running = service.config.notifications.templates
        XCTAssertEqual(running.render(.acknowledgement, languages: ["en"], values: .init()).subject, "Got it")

        try Data("Subject: Got it\n\n{{ticket.tagg}}\n".utf8).write(to: templates.appendingPathComponent("ack.en.txt"))
        service.reload()
        XCTAssertEqual(service.config.notifications.templates, running, "the running set stays")
        let rejected = lines.all.first { $0.contains("service.reload_rejected") } ?? ""
        XCTAssertTrue(rejected.contains("ack.en.txt: line 3: unknown placeholder {{ticket.tagg}}"), rejected)
    }
}

extension ServiceTests {
    func testSIGHUPWithABrokenRuleKeepsTheRunningRulesAndAGoodOneReplacesThem() throws {
        let dir = Fixtures.temporaryDirectory("postdesk-reload-rules")
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("config.json").path
        func write(_ rules: String) throws {
            try Data("""
                {"database": "\(dir.path)/postdesk.db", "state_directory": "\(dir.path)", "rules_file": "rules.json"}
                """.utf8).write(to: URL(fileURLWithPath: configPath))
            try Data(rules.utf8).write(to: dir.appendingPathComponent("rules.json"))
        }
        try write(#"[{"name": "first", "when": {"subject": {"contains": "x"}}, "then": {"tags": "a"}}]"#)
        let lines = CollectedLines()
        let clock = SystemClock()
        let log = Log(level: .info, timestamps: false, clock: { clock.now() }, sink: { lines.append($0) })
        let service = Service(config: try Config.load(path: configPath), configPath: configPath, databaseOverride: nil, environment: [:],
                              clock: clock, log: log, signals: nil, makeSender: { _ in SlowSender(delay: 0) }) { _ in FakeMailbox() }
        try service.start()
        try write(#"[{"name": "first", "when": {"subject": {"matches": "("}}, "then": {"tags": "a"}}]"#)
        service.reload()
        XCTAssertEqual(service.config.rules.rules.map(\.name), ["first"])
        XCTAssertEqual(service.config.rules.rules[0].when.description, #"subject contains "x""#, "the running set stays")
        let rejected = lines.all.first { $0.contains("service.reload_rejected") } ?? ""
        XCTAssertTrue(rejected.contains(#"rules.json: rules[0] \"first\".when.subject.matches: not a valid regular expression"#), rejected)
        try write(#"[{"name": "second", "when": {"subject": {"contains": "y"}}, "then": {"tags": "b"}}]"#)
        service.reload()
        XCTAssertEqual(service.config.rules.rules.map(\.name), ["second"], "a valid set replaces the running one")
    }
}
