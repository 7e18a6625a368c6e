import Foundation
@testable import Daemon
import TestSupport
import XCTest

final class ConfigTests: XCTestCase {
    /// The smallest useful config: one mailbox with a password file.
    static let minimal = """
        {"mailboxes": [{"name": "support", "url": "imaps://imap.example.com", "user": "support@example.com",
                        "password_file": "/etc/postdesk/secrets/support"}]}
        """

    func parse(_ text: String) throws -> Config { try Config.parse(Array(text.utf8), file: "config.json") }

    /// The error `text` produces, as the operator reads it.
    func problem(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(text)
            XCTFail("expected a config error", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is ConfigError, "\(type(of: error)): \(error)", file: file, line: line)
            return "\(error)"
        }
    }

    /// `minimal` with the first mailbox's keys replaced by `mailbox`.
    func withMailbox(_ mailbox: String) -> String { #"{"mailboxes": [\#(mailbox)]}"# }

    // MARK: - Good configs

    func testTheShippedExampleParses() throws {
        let path = Fixtures.root.appendingPathComponent("config.example.json").path
        let config = try Config.load(path: path)
        XCTAssertFalse(config.mailboxes.isEmpty, "the example shows at least one mailbox")
        XCTAssertNotNil(config.smtp, "the example shows SMTP")
        XCTAssertEqual(config.warnings, [], "the example holds no inline password")
        for box in config.mailboxes { XCTAssertEqual(box.tls, .required, "\(box.name): the example keeps TLS on") }
    }

    func testDefaultsFillWhatIsLeftOut() throws {
        let config = try parse(Self.minimal)
        XCTAssertEqual(config.database, "/var/lib/postdesk/postdesk.db")
        XCTAssertEqual(config.stateDirectory, "/var/lib/postdesk")
        XCTAssertEqual(config.pollInterval, 30)
        XCTAssertEqual(config.logLevel, .info)
        XCTAssertEqual(config.tagPrefix, "")
        XCTAssertNil(config.metricsFile)
        XCTAssertNil(config.smtp)
        XCTAssertEqual(config.defaultQueue, "support")
        let box = try XCTUnwrap(config.mailboxes.first)
        XCTAssertEqual(box.host, "imap.example.com")
        XCTAssertEqual(box.port, 993)
        XCTAssertTrue(box.implicitTLS)
        XCTAssertEqual(box.folder, "INBOX")
        XCTAssertEqual(box.afterImport, .seen)
        XCTAssertEqual(box.password, .file("/etc/postdesk/secrets/support"))
    }

    func testTheDatabaseFollowsTheStateDirectory() throws {
        XCTAssertEqual(try parse(#"{"state_directory": "/srv/pd"}"#).database, "/srv/pd/postdesk.db")
    }

    func testPlainIMAPAndSMTPGetTheirStandardPorts() throws {
        let config = try parse("""
            {"mailboxes": [{"url": "imap://mail.example.com", "user": "u", "password_env": "P"}],
             "smtp": {"url": "smtp://mail.example.com", "from": "help@example.com"}}
            """)
        XCTAssertEqual(config.mailboxes[0].port, 143)
        XCTAssertFalse(config.mailboxes[0].implicitTLS)
        XCTAssertEqual(config.mailboxes[0].name, "u@mail.example.com/INBOX", "a mailbox without a name is named for what it reads")
        XCTAssertEqual(config.smtp?.port, 587)
    }

    func testAfterImportAcceptsSeenDeleteAndMove() throws {
        func action(_ text: String) throws -> AfterImport {
            try parse(withMailbox(#"{"url": "imaps://h", "user": "u", "password_env": "P", "after_import": "\#(text)"}"#)).mailboxes[0].afterImport
        }
        XCTAssertEqual(try action("seen"), .seen)
        XCTAssertEqual(try action("delete"), .delete)
        XCTAssertEqual(try action("move:Processed"), .move("Processed"))
        XCTAssertThrowsError(try action("move:"))
        XCTAssertThrowsError(try action("archive"))
    }

    // MARK: - Errors name the key path

    func testAnUnknownKeyIsNamedWithADidYouMean() {
        let text = problem(withMailbox(#"{"url": "imaps://h", "user": "u", "pasword_file": "/x"}"#))
        XCTAssertEqual(text, #"config.json: mailboxes[0].pasword_file: unknown key (did you mean "password_file"?)"#)
    }

    func testAnUnknownTopLevelKeyFarFromAnyKnownOneGetsNoGuess() {
        XCTAssertEqual(problem(#"{"colour_scheme": "dark"}"#), "config.json: colour_scheme: unknown key")
    }

    func testAnUnknownKeyInSMTPIsNamed() {
        XCTAssertTrue(problem(#"{"smtp": {"url": "smtp://h", "from": "a@b", "form": "x"}}"#)
            .hasPrefix(#"config.json: smtp.form: unknown key (did you mean "from"?)"#))
    }

    func testAWrongSchemeIsNamed() {
        XCTAssertEqual(problem(withMailbox(#"{"url": "pop3://h", "user": "u", "password_env": "P"}"#)),
                       "config.json: mailboxes[0].url: scheme must be imap or imaps")
        XCTAssertEqual(problem(#"{"smtp": {"url": "imaps://h", "from": "a@b"}}"#),
                       "config.json: smtp.url: scheme must be smtp or smtps")
    }

    func testCredentialsInTheURLAreRefused() {
        XCTAssertTrue(problem(withMailbox(#"{"url": "imaps://u:secret@h", "user": "u", "password_env": "P"}"#))
            .hasPrefix("config.json: mailboxes[0].url: must not carry credentials"))
    }

    func testWrongTypesAreNamed() {
        XCTAssertEqual(problem(#"{"poll_interval": "30"}"#), "config.json: poll_interval: must be a whole number")
        XCTAssertEqual(problem(#"{"poll_interval": 2.5}"#), "config.json: poll_interval: must be a whole number")
        XCTAssertEqual(problem(#"{"poll_interval": 0}"#), "config.json: poll_interval: must be between 1 and 86400")
        XCTAssertEqual(problem(#"{"poll_interval": 1e400}"#), "config.json: poll_interval: must be a whole number")
        XCTAssertEqual(problem(#"{"database": 5}"#), "config.json: database: must be a string")
        XCTAssertEqual(problem(#"{"mailboxes": {}}"#), "config.json: mailboxes: must be an array")
        XCTAssertEqual(problem(#"{"mailboxes": ["support"]}"#), "config.json: mailboxes[0]: must be an object")
        XCTAssertEqual(problem(#"[]"#), "config.json: must be an object")
        XCTAssertEqual(problem(#"{"log_level": "loud"}"#), "config.json: log_level: must be one of debug, info, warning, error")
    }

    func testRequiredKeysAreNamed() {
        XCTAssertEqual(problem(withMailbox(#"{"url": "imaps://h", "password_env": "P"}"#)), "config.json: mailboxes[0].user: is required")
        XCTAssertEqual(problem(withMailbox(#"{"user": "u", "password_env": "P"}"#)), "config.json: mailboxes[0].url: is required")
        XCTAssertEqual(problem(#"{"smtp": {"url": "smtp://h"}}"#), "config.json: smtp.from: is required")
        XCTAssertEqual(problem(withMailbox(#"{"url": "imaps://h", "user": "", "password_env": "P"}"#)),
                       "config.json: mailboxes[0].user: must not be empty")
    }

    func testDuplicateNamesAreRefused() {
        let box = #"{"name": "support", "url": "imaps://h", "user": "u", "password_env": "P"}"#
        XCTAssertEqual(problem(#"{"mailboxes": [\#(box), \#(box)]}"#), "config.json: mailboxes[1].name: duplicate mailbox name")
        XCTAssertEqual(problem(#"{"queues": [{"name": "a"}, {"name": "a"}]}"#), "config.json: queues[1].name: duplicate queue name")
    }

    func testSecretSourcesAreExclusive() {
        XCTAssertEqual(problem(withMailbox(#"{"url": "imaps://h", "user": "u", "password_file": "/a", "password_env": "B"}"#)),
                       "config.json: mailboxes[0]: give only one of password, password_file, password_env, password_command")
        XCTAssertEqual(problem(withMailbox(#"{"url": "imaps://h", "user": "u", "auth": "xoauth2", "token_file": "/a", "token_command": "b"}"#)),
                       "config.json: mailboxes[0]: give only one of token_file, token_command")
        XCTAssertTrue(problem(#"{"smtp": {"url": "smtp://h", "from": "a@b", "password": "x", "password_env": "P"}}"#)
            .hasPrefix("config.json: smtp: give only one of"))
    }

    func testAMailboxNeedsTheSecretItsAuthUses() {
        XCTAssertTrue(problem(withMailbox(#"{"url": "imaps://h", "user": "u"}"#)).hasPrefix("config.json: mailboxes[0]: needs password_file"))
        XCTAssertEqual(problem(withMailbox(#"{"url": "imaps://h", "user": "u", "auth": "xoauth2", "password_env": "P"}"#)),
                       "config.json: mailboxes[0]: auth xoauth2 needs token_file or token_command")
        XCTAssertTrue(problem(#"{"smtp": {"url": "smtp://h", "from": "a@b", "user": "u"}}"#).hasPrefix("config.json: smtp: user is set but no password"))
    }

    func testCrossReferencesAndValuesAreChecked() {
        XCTAssertEqual(problem(#"{"queues": [{"name": "support"}], "mailboxes": [{"url": "imaps://h", "user": "u", "password_env": "P", "queue": "sales"}]}"#),
                       "config.json: mailboxes[0].queue: names no queue defined under queues")
        XCTAssertEqual(problem(#"{"tag_prefix": "ACME#"}"#), "config.json: tag_prefix: must not contain [, ] or #")
        XCTAssertEqual(problem(#"{"agents": [{"email": "alice"}]}"#), "config.json: agents[0].email: must be an e-mail address")
        XCTAssertEqual(problem(withMailbox(#"{"url": "imaps://h", "user": "u", "password_env": "P", "folder": "IN\nBOX"}"#)),
                       "config.json: mailboxes[0].folder: has a control character")
    }

    // MARK: - JSON syntax

    func testSyntaxErrorsNameLineAndColumn() {
        XCTAssertEqual(problem("{\n  \"poll_interval\": 30,\n}\n"), #"config.json: not valid JSON: line 3 column 1: expected a "key""#)
        XCTAssertEqual(problem("{\n  \"a\": tru\n}"), "config.json: not valid JSON: line 2 column 8: unexpected character")
        XCTAssertEqual(problem("{\"a\": \"unterminated"), "config.json: not valid JSON: line 1 column 20: unterminated string")
        XCTAssertEqual(problem(""), "config.json: not valid JSON: line 1 column 1: unexpected end of file")
        XCTAssertEqual(problem("{} {}"), "config.json: not valid JSON: line 1 column 4: unexpected text after the JSON value")
    }

    func testADuplicateJSONKeyIsAnError() {
        XCTAssertTrue(problem(#"{"poll_interval": 30, "poll_interval": 60}"#).contains(#"duplicate key "poll_interval""#))
    }

    func testDeepNestingIsRefusedNotRecursedWithoutBound() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertTrue(problem(deep).contains("nesting deeper than 64"))
    }

    func testJSONEscapesDecode() throws {
        let json = try JSON.parse(Array(#"{"s": "a\"b\\c\/d\n\u00e9\ud83d\ude00"}"#.utf8))
        XCTAssertEqual(json["s"], .string("a\"b\\c/d\né😀"))
    }

    func testABrokenSurrogatePairBecomesAReplacementCharacterNotACrash() throws {
        XCTAssertEqual(try JSON.parse(Array(#""\ud800\u0041""#.utf8)), .string("\u{FFFD}A"))
        XCTAssertEqual(try JSON.parse(Array(#""\ud800x""#.utf8)), .string("\u{FFFD}x"))
    }

    // MARK: - The file

    func temporaryConfig(_ text: String, mode: Int) throws -> String {
        let dir = Fixtures.temporaryDirectory("config")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("config.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static let inlinePassword = #"{"mailboxes": [{"url": "imaps://h", "user": "u", "password": "hunter2"}]}"#

    func testAWorldReadableConfigWithAnInlinePasswordWarns() throws {
        let path = try temporaryConfig(Self.inlinePassword, mode: 0o644)
        let config = try Config.load(path: path)
        XCTAssertEqual(config.warnings.count, 1)
        XCTAssertTrue(config.warnings[0].contains("readable by every user"), config.warnings[0])
        XCTAssertTrue(config.warnings[0].contains("chmod 600"), config.warnings[0])
        XCTAssertFalse(config.warnings[0].contains("hunter2"), "the warning never shows the password")
    }

    func testAPrivateConfigWithAnInlinePasswordDoesNotWarn() throws {
        XCTAssertEqual(try Config.load(path: try temporaryConfig(Self.inlinePassword, mode: 0o600)).warnings, [])
    }

    func testAWorldReadableConfigWithoutInlineSecretsDoesNotWarn() throws {
        XCTAssertEqual(try Config.load(path: try temporaryConfig(Self.minimal, mode: 0o644)).warnings, [])
    }

    func testErrorsFromAFileNameThatFile() throws {
        let path = try temporaryConfig(#"{"poll_interval": -1}"#, mode: 0o600)
        XCTAssertThrowsError(try Config.load(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): poll_interval: must be between 1 and 86400")
        }
    }

    func testAMissingFileIsAConfigError() {
        XCTAssertThrowsError(try Config.load(path: "/nonexistent/postdesk.json")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/postdesk.json: no such file")
        }
    }
}
