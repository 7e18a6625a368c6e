import Foundation
@testable import Daemon
import TestSupport
import Ticketing
import XCTest

final class NotificationsConfigTests: XCTestCase {
    let dir = Fixtures.temporaryDirectory("postdesk-templates")
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func parse(_ text: String) throws -> Config { try Config.parse(Array(text.utf8), file: "config.json") }
    func problem(_ text: String) -> String {
        do { _ = try parse(text); return "parsed" } catch { return "\(error)" }
    }
    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }

    func testNothingConfiguredMeansEveryEventOnToItsDefaultsInTheShippedWords() throws {
        let n = try parse("{}").notifications
        XCTAssertEqual(n.policy, .standard)
        XCTAssertEqual(n.outboxMaxAge, 3 * 86_400)
        XCTAssertNil(n.url(for: 7))
        XCTAssertEqual(n.templates.template(for: .acknowledgement, languages: ["ru"]).textOrigin, "shipped")
        XCTAssertEqual(n.policy.rule(.reply, queue: "x").recipients, [.requester, .cc])
    }

    func testEventsSwitchOffAndChangeRecipientsPerQueue() throws {
        let n = try parse("""
            {"queues": [{"name": "support"}, {"name": "billing"}],
             "ticket_url": "https://desk.example.com/t/{number}", "outbox_max_age": 86400,
             "notifications": {"events": {"assigned-customer": false, "urgent": {"to": ["queue"]}},
                               "queues": {"billing": {"events": {"ack": {"enabled": false}}}}}}
            """).notifications
        XCTAssertFalse(n.policy.rule(.assignedCustomer, queue: "support").enabled)
        XCTAssertEqual(n.policy.rule(.urgent, queue: "support").recipients, [.queue])
        XCTAssertFalse(n.policy.rule(.acknowledgement, queue: "billing").enabled)
        XCTAssertTrue(n.policy.rule(.acknowledgement, queue: "support").enabled)
        XCTAssertEqual(n.url(for: 42), "https://desk.example.com/t/42")
        XCTAssertEqual(n.outboxMaxAge, 86_400)
    }

    func testMistakesInTheTableAreNamed() {
        XCTAssertEqual(problem(#"{"notifications": {"events": {"acknowledge": false}}}"#),
                       "config.json: notifications.events.acknowledge: unknown key")
        XCTAssertEqual(problem(#"{"notifications": {"events": {"urgent": {"to": ["boss"]}}}}"#),
                       "config.json: notifications.events.urgent.to[0]: must be one of requester, cc, assignee, queue, assignee_or_queue")
        XCTAssertEqual(problem(#"{"notifications": {"events": {"urgent": {"to": []}}}}"#),
                       "config.json: notifications.events.urgent.to: is empty; use \"enabled\": false to send nothing")
        XCTAssertEqual(problem(#"{"notifications": {"queues": {"sales": {}}}}"#), "config.json: notifications.queues.sales: unknown key")
        XCTAssertEqual(problem(#"{"ticket_url": "https://desk.example.com/t/"}"#),
                       "config.json: ticket_url: must be an http(s) URL holding {number}, e.g. https://desk.example.com/tickets/{number}")
    }

    func testPathsInTheConfigAreTakenFromTheConfigFilesDirectoryNotTheWorkingDirectory() throws {
        let templates = dir.appendingPathComponent("words")
        let macros = dir.appendingPathComponent("canned")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: macros, withIntermediateDirectories: true)
        try Data("Subject: Thanks\n\nGot {{ticket.tag}}.\n".utf8).write(to: templates.appendingPathComponent("ack.en.txt"))
        try Data("Hello {{customer.name}}\n".utf8).write(to: macros.appendingPathComponent("hello.txt"))
        try write("config.json", #"{"notifications": {"templates": "words"}, "macros_directory": "canned"}"#)
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath("/")
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let config = try Config.load(path: dir.appendingPathComponent("config.json").path)
        XCTAssertEqual(config.notifications.templates.template(for: .acknowledgement, languages: ["en"]).textOrigin,
                       templates.appendingPathComponent("ack.en.txt").path)
        XCTAssertEqual(Array(config.agentWorkflow.macros.keys), ["hello"])

        // A missing or wrong directory names the config file and the key.
        let configPath = dir.appendingPathComponent("config.json").path
        try write("config.json", #"{"notifications": {"templates": "nowhere"}}"#)
        XCTAssertThrowsError(try Config.load(path: configPath)) { error in
            XCTAssertEqual("\(error)", "\(configPath): notifications.templates: no such directory \(dir.appendingPathComponent("nowhere").path)")
        }
        try write("config.json", #"{"macros_directory": "words/ack.en.txt"}"#)
        XCTAssertThrowsError(try Config.load(path: configPath)) { error in
            XCTAssertEqual("\(error)", "\(configPath): macros_directory: \(templates.appendingPathComponent("ack.en.txt").path) is a file, not a directory")
        }
    }

    func testAQueueLanguageWithoutTemplatesNamesTheQueue() {
        XCTAssertEqual(problem(#"{"queues": [{"name": "support"}, {"name": "ventes", "language": "fr"}]}"#),
                       "config.json: queues[1].language: no template ack.fr.txt missing (a queue's default language is fr); add it to the notifications.templates directory")
    }

    func testAnOverrideDirectoryReplacesShippedFilesByName() throws {
        try write("ack.ru.txt", "Subject: Спасибо: {{ticket.subject}}\n\nМы получили {{ticket.tag}}.\n")
        try write("README", "not a template, left alone")
        let n = try parse(#"{"notifications": {"templates": "\#(dir.path)"}}"#).notifications
        let t = n.templates.template(for: .acknowledgement, languages: ["ru"])
        XCTAssertEqual(t.textOrigin, dir.appendingPathComponent("ack.ru.txt").path)
        XCTAssertNil(t.html)
        XCTAssertEqual(n.templates.template(for: .acknowledgement, languages: ["de"]).textOrigin, "shipped")
    }

    func testABrokenOverrideIsAConfigErrorNamingFileLineAndPlaceholder() throws {
        try write("status-pending.de.txt", "Subject: {{ticket.subject}}\n\nHallo,\n{{customer.nmae}}\n")
        let path = dir.appendingPathComponent("status-pending.de.txt").path
        XCTAssertEqual(problem(#"{"notifications": {"templates": "\#(dir.path)"}}"#),
                       "\(path): line 4: unknown placeholder {{customer.nmae}} (did you mean {{customer.name}}?)")
        try FileManager.default.removeItem(atPath: path)
        try write("reply.en.txt", "Subject: x\n\n{{#message}}{{message.text}}\n")
        XCTAssertEqual(problem(#"{"notifications": {"templates": "\#(dir.path)"}}"#),
                       "\(dir.appendingPathComponent("reply.en.txt").path): line 3: block {{#message}} opened on line 3 is never closed")
        try write("reply.en.txt", "Subject: x\n\n{{message.text}}\n")
        try write("reply.en.html", "<p>{{message.text}}\n<p>")
        XCTAssertEqual(problem(#"{"notifications": {"templates": "\#(dir.path)"}}"#),
                       "\(dir.appendingPathComponent("reply.en.html").path): line 2: <p> opened here is never closed")
        XCTAssertEqual(problem(#"{"notifications": {"templates": "/nonexistent/templates"}}"#),
                       "config.json: notifications.templates: no such directory /nonexistent/templates")
    }
}
