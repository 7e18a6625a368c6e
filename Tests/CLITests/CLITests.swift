import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// Drives `postdesk` as a user would, through argv, and checks stdout, stderr and the exit code.
final class CLITests: XCTestCase {
    var directory: URL!
    var clock: FakeClock!

    override func setUp() {
        directory = Fixtures.temporaryDirectory("cli")
        clock = FakeClock()
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    struct Result {
        let code: Int32
        let out: String
        let err: String
        let stdout: [UInt8]
    }

    @discardableResult
    func run(_ argv: [String], environment: [String: String] = [:]) -> Result {
        let captured = CapturedOutput()
        let code = Postdesk.main(argv, io: captured.io(environment: environment), clock: clock)
        return Result(code: code, out: captured.out, err: captured.err, stdout: captured.stdout)
    }

    var dbPath: String { directory.appendingPathComponent("postdesk.db").path }

    func writeConfig(_ text: String, name: String = "config.json") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// A store with tickets, opened the way the daemon opens it.
    func seededStore() throws -> TicketStore {
        TicketStore(db: try Store.open(path: dbPath, now: clock.unixSeconds()))
    }

    // MARK: - Help, version, usage errors

    func testHelpListsEveryCommandAndExitsZero() {
        let r = run(["--help"])
        XCTAssertEqual(r.code, 0)
        XCTAssertTrue(r.out.hasPrefix("usage: postdesk "), r.out)
        for command in CommandTable.all {
            XCTAssertTrue(r.out.contains("\n  \(command.name)  ") || r.out.contains("\n  \(command.name) "), "lists \(command.name)")
            XCTAssertTrue(r.out.contains(command.summary), "shows the summary of \(command.name)")
        }
        XCTAssertEqual(r.err, "")
        XCTAssertEqual(run(["-h"]).out, r.out)
        XCTAssertEqual(run(["help"]).out, r.out)
    }

    func testEachCommandHasItsOwnHelp() {
        for command in CommandTable.all {
            let r = run([command.name, "--help"])
            XCTAssertEqual(r.code, 0, command.name)
            XCTAssertTrue(r.out.hasPrefix("usage: postdesk \(command.name)"), r.out)
            XCTAssertEqual(run(["help", command.name]).out, r.out, "help <command> says the same")
        }
    }

    func testVersionPrintsTheVersion() {
        let r = run(["--version"])
        XCTAssertEqual(r.code, 0)
        XCTAssertEqual(r.out, "postdesk \(Postdesk.version)\n")
        XCTAssertEqual(run(["-V"]).out, r.out)
    }

    func testAnUnknownCommandExits64WithUsageOnStandardError() {
        let r = run(["frobnicate"])
        XCTAssertEqual(r.code, 64)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("unknown command 'frobnicate'"), r.err)
        XCTAssertTrue(r.err.contains("usage: postdesk"), r.err)
    }

    func testNoCommandExits64() {
        let r = run([])
        XCTAssertEqual(r.code, 64)
        XCTAssertTrue(r.err.contains("no command given"), r.err)
    }

    func testAnUnknownOptionExits64WithTheCommandsUsage() {
        let r = run(["tickets", "--colour", "--db", dbPath])
        XCTAssertEqual(r.code, 64)
        XCTAssertTrue(r.err.contains("unknown option --colour"), r.err)
        XCTAssertTrue(r.err.contains("usage: postdesk tickets"), r.err)
    }

    func testAMissingOptionValueOrOperandExits64() {
        XCTAssertEqual(run(["tickets", "--db"]).code, 64)
        let r = run(["show", "--db", dbPath])
        XCTAssertEqual(r.code, 64)
        XCTAssertTrue(r.err.contains("show: missing operand"), r.err)
        XCTAssertEqual(run(["show", "1", "2", "--db", dbPath]).code, 64)
    }

    func testBadOptionValuesExit64() {
        XCTAssertTrue(run(["tickets", "--status", "lost", "--db", dbPath]).err.contains("--status must be one of new, open, pending, resolved, closed"))
        XCTAssertEqual(run(["tickets", "--status", "lost", "--db", dbPath]).code, 64)
        XCTAssertEqual(run(["tickets", "--limit", "0", "--db", dbPath]).code, 64)
        XCTAssertEqual(run(["show", "abc", "--db", dbPath]).code, 64)
    }

    // MARK: - Config

    func testCheckConfigAcceptsTheShippedExample() {
        let example = Fixtures.root.appendingPathComponent("config.example.json").path
        let r = run(["check-config", "--config", example])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("config: \(example)\n"), r.out)
        XCTAssertTrue(r.out.hasSuffix("ok\n"), r.out)
    }

    func testATypoInAConfigKeyExits78NamingTheKey() throws {
        let path = try writeConfig(#"{"poll_intervall": 30}"#)
        let r = run(["check-config", "--config", path])
        XCTAssertEqual(r.code, 78)
        XCTAssertEqual(r.err, "postdesk: \(path): poll_intervall: unknown key (did you mean \"poll_interval\"?)\n")
        XCTAssertEqual(r.out, "")
    }

    func testARelayedReplyPlaceholderInAnHTMLCommentExits78NamingFileLineAndReason() throws {
        let templates = directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("Subject: Re: {{ticket.subject}}\n\n{{message.text}}\n".utf8).write(to: templates.appendingPathComponent("reply.en.txt"))
        let html = templates.appendingPathComponent("reply.en.html")
        try Data("<p>New reply</p>\n<!-- {{message.text}} -->\n".utf8).write(to: html)
        let path = try writeConfig(#"{"notifications": {"templates": "\#(templates.path)"}}"#)
        let r = run(["check-config", "--config", path])
        XCTAssertEqual(r.code, 78)
        XCTAssertEqual(r.err, "postdesk: \(html.path): line 2: {{message.text}} in an HTML comment: it may stand only in element content "
                       + "(a reply relayed as HTML would end the comment at its first \"-->\")\n")
    }

    func testAMissingConfigExits78() {
        let path = directory.appendingPathComponent("absent.json").path
        let r = run(["check-config", "--config", path])
        XCTAssertEqual(r.code, 78)
        XCTAssertEqual(r.err, "postdesk: \(path): no such file\n")
        XCTAssertEqual(run(["tickets"], environment: ["POSTDESK_CONFIG": path]).code, 78, "commands needing the store read the config too")
    }

    func testTheConfigComesFromPOSTDESK_CONFIGWhenNotGiven() throws {
        let path = try writeConfig(#"{"database": "\#(dbPath)"}"#)
        let r = run(["check-config"], environment: ["POSTDESK_CONFIG": path])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("database: \(dbPath)"), r.out)
        XCTAssertEqual(run(["tickets", "--json"], environment: ["POSTDESK_CONFIG": path]).out, "[]\n", "the config's database is used")
    }

    func testCheckConfigNeverPrintsASecret() throws {
        let path = try writeConfig(#"{"mailboxes": [{"url": "imaps://h", "user": "u", "password": "hunter2-secret"}]}"#)
        let r = run(["check-config", "--config", path])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertFalse((r.out + r.err).contains("hunter2-secret"))
        XCTAssertTrue(r.out.contains("secret from inline"), r.out)
    }

    // MARK: - Store commands

    func testTicketsOnAnEmptyStorePrintsAnEmptyJSONArray() {
        let r = run(["tickets", "--json", "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(r.out, "[]\n")
        XCTAssertEqual(run(["tickets", "--db", dbPath]).out, "no tickets\n")
    }

    func testTheTicketsTableLinesUpItsColumns() throws {
        let store = try seededStore()
        let now = clock.unixSeconds()
        _ = try store.createTicket(subject: "Printer", requester: "a@example.com", queue: "support", actor: "t", now: now)
        let second = try store.createTicket(subject: "Invoice \u{1B}[31mred\u{1B}[0m wrong", requester: "longer.name@customer.example.org",
                                            queue: "billing", priority: .urgent, actor: "t", now: now + 60)
        _ = try store.createTicket(subject: "VPN", requester: "b@x.io", queue: "it", actor: "t", now: now + 120)
        try store.setStatus(ticketID: second.id, to: .pending, actor: "alice", reason: nil, now: now + 180)

        let r = run(["tickets", "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, r.out)
        let header = lines[0]
        XCTAssertTrue(header.hasPrefix("#  STATUS"), header)
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) }, ["3", "2", "1"], "newest first")
        for column in ["STATUS", "PRIORITY", "QUEUE", "ASSIGNEE", "REQUESTER", "UPDATED", "SUBJECT"] {
            let offset = header.distance(from: header.startIndex, to: header.range(of: column)!.lowerBound)
            for row in lines.dropFirst() {
                let chars = Array(row)
                XCTAssertGreaterThan(chars.count, offset, row)
                XCTAssertNotEqual(chars[offset], " ", "\(column) starts at column \(offset): \(row)")
                XCTAssertEqual(chars[offset - 1], " ", "\(column) starts at column \(offset): \(row)")
            }
        }
        XCTAssertFalse(r.out.contains("\u{1B}"), "control characters from a subject never reach the terminal")
        XCTAssertTrue(lines[2].contains("pending") && lines[2].contains("urgent"), lines[2])
    }

    func testTicketsJSONHasTheDocumentedShape() throws {
        let store = try seededStore()
        _ = try store.createTicket(subject: "Quote \"this\"", requester: "a@example.com", queue: "support", actor: "t", now: clock.unixSeconds())
        let r = run(["tickets", "--json", "--db", dbPath])
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 1)
        XCTAssertEqual(array[0]["number"] as? Int, 1)
        XCTAssertEqual(array[0]["subject"] as? String, "Quote \"this\"")
        XCTAssertEqual(array[0]["status"] as? String, "new")
        XCTAssertEqual(array[0]["created_at"] as? String, "2026-11-18T11:06:40Z")
        XCTAssertTrue(array[0]["assignee"] is NSNull)
    }

    func testShowOfAMissingTicketExits66() {
        let r = run(["show", "42", "--db", dbPath])
        XCTAssertEqual(r.code, 66)
        XCTAssertEqual(r.err, "postdesk: no ticket #42\n")
    }

    func testShowPrintsTheTicketAndItsTimeline() throws {
        let store = try seededStore()
        let t = try store.createTicket(subject: "Printer", requester: "a@example.com", queue: "support", actor: "intake", now: clock.unixSeconds())
        try store.addMessage(ticketID: t.id, direction: "in", messageID: "m1@example.com", sha256: "aa", raw: Array("x".utf8),
                             fromAddress: "a@example.com", subject: "Printer", sentAt: nil, decision: "new-ticket", now: clock.unixSeconds())
        let r = run(["show", "#1", "--db", dbPath])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("Ticket #1: Printer\n"), r.out)
        XCTAssertTrue(r.out.contains("<- message 1 from a@example.com (1 bytes): Printer"), r.out)
        XCTAssertTrue(r.out.contains("** create: - -> new by intake"), r.out)
        let json = run(["show", "1", "--json", "--db", dbPath])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual((object["timeline"] as? [[String: Any]])?.map { $0["kind"] as? String }, ["message", "event"])
    }

    func testRawWritesTheStoredBytesUnchanged() throws {
        let store = try seededStore()
        let raw: [UInt8] = Array("From: a@example.com\r\nSubject: caf".utf8) + [0xE9, 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0xFF, 0x80] + Array("end\r\n".utf8)
        let row = try store.addMessage(ticketID: nil, direction: "in", messageID: "raw-1@example.com", sha256: "bb", raw: raw,
                                       fromAddress: nil, subject: nil, sentAt: nil, decision: nil, now: clock.unixSeconds())
        let byRow = run(["raw", String(row), "--db", dbPath])
        XCTAssertEqual(byRow.code, 0, byRow.err)
        XCTAssertEqual(byRow.stdout, raw)
        XCTAssertEqual(run(["raw", "<raw-1@example.com>", "--db", dbPath]).stdout, raw)
        XCTAssertEqual(run(["raw", "raw-1@example.com", "--db", dbPath]).stdout, raw)
        XCTAssertEqual(run(["raw", "999", "--db", dbPath]).code, 66)
        XCTAssertEqual(run(["raw", "<nobody@example.com>", "--db", dbPath]).code, 66)
    }

    /// A stored mail with a PDF, a hostile-named file and an inline image, as mailers write them.
    func storeMailWithAttachments(_ store: TicketStore) throws -> (row: Int64, pdf: [UInt8]) {
        let pdf: [UInt8] = Array("%PDF-1.4\n".utf8) + (0..<600).map { UInt8(truncatingIfNeeded: $0 * 7) } + [0x00, 0xFF, 0x0D, 0x0A]
        let raw = Array("""
            From: ann@example.org\r
            Subject: files\r
            Message-ID: <att-1@example.org>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary=b\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            see attached\r
            --b\r
            Content-Type: application/pdf; name=invoice.pdf\r
            Content-Transfer-Encoding: base64\r
            Content-Disposition: attachment; filename=invoice.pdf\r
            \r
            \(Data(pdf).base64EncodedString(options: .lineLength76Characters))\r
            --b\r
            Content-Type: text/plain\r
            Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd%0A%1B%5B31m\r
            \r
            root:x:0:0\r
            --b\r
            Content-Type: image/png\r
            Content-Transfer-Encoding: base64\r
            Content-ID: <logo@x>\r
            Content-Disposition: inline\r
            \r
            iVBORw0KGgo=\r
            --b--\r
            """.utf8)
        let row = try store.addMessage(ticketID: nil, direction: "in", messageID: "att-1@example.org", sha256: "cc", raw: raw,
                                       fromAddress: nil, subject: nil, sentAt: nil, decision: nil, now: clock.unixSeconds())
        return (row, pdf)
    }

    func testAttachmentsListsEachFileWithItsNumberAndATerminalSafeName() throws {
        let (row, pdf) = try storeMailWithAttachments(try seededStore())
        let list = run(["attachments", String(row), "--db", dbPath])
        XCTAssertEqual(list.code, 0, list.err)
        let lines = list.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, list.out)
        XCTAssertTrue(lines[0].hasPrefix("N  SIZE"), lines[0])
        XCTAssertEqual(lines[1].split(separator: " ").prefix(4), ["1", "\(pdf.count)", "application/pdf", "no"], lines[1])
        XCTAssertTrue(lines[1].hasSuffix("invoice.pdf"), lines[1])
        XCTAssertFalse(list.out.contains("\u{1B}"), "escape sequences from a file name reach the terminal")
        XCTAssertTrue(lines[3].contains("image/png") && lines[3].contains("yes"), lines[3])
        let json = run(["attachments", "<att-1@example.org>", "--json", "--db", dbPath])
        XCTAssertEqual(json.code, 0, json.err)
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.map { $0["n"] as? Int }, [1, 2, 3])
        XCTAssertEqual(items[1]["filename"] as? String, "../../etc/passwd\n\u{1B}[31m")
        XCTAssertEqual(items[2]["content_id"] as? String, "logo@x")
        XCTAssertEqual(items[0]["sha256"] as? String, SHA256.hex(pdf))
    }

    func testAttachmentWritesTheBytesUnchangedAndNeverUsesTheMailsName() throws {
        let (row, pdf) = try storeMailWithAttachments(try seededStore())
        let out = run(["attachment", String(row), "1", "--db", dbPath])
        XCTAssertEqual(out.code, 0, out.err)
        XCTAssertEqual(out.stdout, pdf)
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertEqual(run(["attachment", String(row), "2", "--db", dbPath]).stdout, Array("root:x:0:0".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/../../etc/passwd\n"))
        let file = directory.appendingPathComponent("saved.pdf").path
        let saved = run(["attachment", String(row), "1", "-o", file, "--db", dbPath])
        XCTAssertEqual(saved.code, 0, saved.err)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: file))), pdf)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let again = run(["attachment", String(row), "3", "--output", file, "--db", dbPath])
        XCTAssertEqual(again.code, 73, "an existing file is never overwritten: EX_CANTCREAT")
        XCTAssertTrue(again.err.contains("not overwritten"), again.err)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: file))), pdf)
        XCTAssertEqual(run(["attachment", String(row), "4", "--db", dbPath]).code, 66)
        XCTAssertEqual(run(["attachment", String(row), "0", "--db", dbPath]).code, 64)
        XCTAssertEqual(run(["attachment", "999", "1", "--db", dbPath]).code, 66)
        XCTAssertEqual(run(["attachment", String(row), "--db", dbPath]).code, 64)
    }

    func testAnAttachmentWhoseWriteFailsLeavesNoFileBehind() throws {
        let file = directory.appendingPathComponent("part.pdf").path
        var calls = 0
        XCTAssertThrowsError(try AttachmentCommand.writeNew(Array(repeating: 7, count: 5000), to: file) { fd, bytes, count in
            calls += 1
            if calls == 1 { return write(fd, bytes, min(count, 1000)) }
            errno = ENOSPC
            return -1
        }) { error in
            XCTAssertEqual((error as? CLIError)?.code, .ioError)
            XCTAssertTrue("\(error)".contains("No space left"), "\(error)")
        }
        XCTAssertEqual(calls, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "no partial file under the asked name")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("part.pdf") }, [],
                       "nor a hidden one beside it")
        try AttachmentCommand.writeNew([1, 2, 3], to: file)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: file))), [1, 2, 3])
        XCTAssertEqual((try? AttachmentCommand.writeNew([9], to: file)).map { _ in 0 }, nil)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: file))), [1, 2, 3], "never overwritten")
        let (row, _) = try storeMailWithAttachments(try seededStore())
        let noDirectory = run(["attachment", String(row), "1", "-o", directory.appendingPathComponent("missing/x.pdf").path, "--db", dbPath])
        XCTAssertEqual(noDirectory.code, 73, noDirectory.err)
    }

    func testMigrateThenMigrateStatus() {
        let before = run(["migrate", "--status", "--db", dbPath])
        XCTAssertEqual(before.code, 0, before.err)
        XCTAssertEqual(before.out, Schema.migrator.migrations.map { "pending  \($0.id)\n" }.joined())

        let migrate = run(["migrate", "--db", dbPath])
        XCTAssertEqual(migrate.code, 0, migrate.err)
        XCTAssertEqual(migrate.out, Schema.migrator.migrations.map { "applied \($0.id)\n" }.joined() + "\(dbPath): migrated\n")

        let after = run(["migrate", "--status", "--db", dbPath])
        XCTAssertEqual(after.out, Schema.migrator.migrations.map { "applied  \($0.id)\n" }.joined())
        XCTAssertTrue(run(["migrate", "--db", dbPath]).out.hasSuffix("schema up to date (\(Schema.migrator.migrations.count) migrations)\n"))
    }

    func testAStoreFromANewerPostdeskExits65() throws {
        let db = try Store.open(path: dbPath, now: 1)
        try db.execute("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)", ["v999-from-the-future", 2])
        let r = run(["tickets", "--db", dbPath])
        XCTAssertEqual(r.code, 65)
        XCTAssertTrue(r.err.contains("v999-from-the-future"), r.err)
        XCTAssertEqual(run(["migrate", "--db", dbPath]).code, 65)
    }

    func testAnUnopenableDatabaseExits74() {
        let r = run(["tickets", "--db", "/nonexistent-dir/x/postdesk.db"])
        XCTAssertEqual(r.code, 74)
        XCTAssertTrue(r.err.contains("/nonexistent-dir/x/postdesk.db"), r.err)
    }
}
