import Foundation
import Glibc
@testable import Daemon
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk doctor` without a network: the line format, file permissions and the store checks.
final class DoctorTests: XCTestCase {
    var dir: URL!
    var configPath: String { dir.appendingPathComponent("config.json").path }
    var secretPath: String { dir.appendingPathComponent("imap-password").path }
    var databasePath: String { dir.appendingPathComponent("postdesk.db").path }

    override func setUpWithError() throws {
        dir = Fixtures.temporaryDirectory("postdesk-doctor")
        try write(secretPath, "hunter2\n", mode: 0o600)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func write(_ path: String, _ text: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    /// A config with one mailbox whose password comes from `secret` (or inline), mode `mode`.
    func doctor(inlinePassword: Bool = false, mode: mode_t = 0o600) throws -> Doctor {
        let secret = inlinePassword ? "\"password\": \"hunter2\"" : "\"password_file\": \"\(secretPath)\""
        try write(configPath, """
            {"state_directory": "\(dir.path)",
             "mailboxes": [{"name": "support", "url": "imaps://imap.example.com", "user": "support@example.com", \(secret)}]}
            """, mode: mode)
        return Doctor(config: try Config.load(path: configPath), environment: [:], checkServers: false)
    }

    func finding(_ findings: [DoctorFinding], _ check: String, file: StaticString = #filePath, line: UInt = #line) -> DoctorFinding? {
        let found = findings.first { $0.check == check }
        XCTAssertNotNil(found, "no \(check) in \(findings.map(\.line))", file: file, line: line)
        return found
    }

    // MARK: - The line

    func testALineIsStatusCheckDetailAndForProblemsTheFix() {
        XCTAssertEqual(DoctorFinding(.ok, "store: integrity", "PRAGMA quick_check: ok", hint: "ignored").line,
                       "ok    store: integrity  PRAGMA quick_check: ok")
        XCTAssertEqual(DoctorFinding(.fail, "mailbox a: login", "refused", hint: "check mailboxes[0].password_file").line,
                       "fail  mailbox a: login  refused  (fix: check mailboxes[0].password_file)")
        XCTAssertEqual(DoctorFinding(.warn, "x", "two\nlines", hint: "a\nb").line, "warn  x  two lines  (fix: a b)",
                       "a server's multi-line reply stays on one line")
    }

    // MARK: - Files

    func testASoundSetupOfflineIsAllOkAndTalksToNoServer() throws {
        let findings = try doctor().findings()
        XCTAssertTrue(findings.allSatisfy { $0.status == .ok }, findings.map(\.line).joined(separator: "\n"))
        XCTAssertEqual(finding(findings, "file: mailboxes[0].password_file")?.detail.contains("mode 0600"), true)
        XCTAssertTrue(finding(findings, "file: signing key")?.detail.contains("the first run creates it") ?? false)
        XCTAssertTrue(finding(findings, "store: open")?.detail.contains("does not exist yet") ?? false)
        XCTAssertFalse(findings.contains { $0.check.hasPrefix("mailbox ") || $0.check.hasPrefix("smtp") })
    }

    func testALanguageWhoseStatusesAreNotNamedIsAWarningNamingTheFile() throws {
        XCTAssertEqual(finding(try doctor().findings(), "templates")?.detail.hasSuffix("in de, en, ru, uk; 0 overridden"), true)
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try write(templates.appendingPathComponent("ack.fr.txt").path, "Subject: Reçu ({{ticket.status}})\n\nMerci.\n", mode: 0o644)
        try write(configPath, #"{"state_directory": "\#(dir.path)", "notifications": {"templates": "\#(templates.path)"}}"#, mode: 0o600)
        let config = try Config.load(path: configPath)
        let expected = "names.fr.txt: missing: statuses and priorities in fr mails are named in English (add the file to the notifications.templates directory)"
        XCTAssertEqual(config.warnings, [expected], "every command that loads the config warns")
        let findings = Doctor(config: config, environment: [:], checkServers: false).findings()
        let f = finding(findings, "templates: names")
        XCTAssertEqual(f?.status, .warn)
        XCTAssertEqual(f?.detail, expected)
        XCTAssertEqual(finding(findings, "templates")?.detail.hasSuffix("in de, en, fr, ru, uk; 1 overridden"), true)

        try write(templates.appendingPathComponent("names.fr.txt").path, LocalisedNames.keys.map { "\($0) = \($0)-fr" }.joined(separator: "\n"), mode: 0o644)
        XCTAssertEqual(try Config.load(path: configPath).warnings, [], "named: no warning")
    }

    func testAPasswordFileReadableByEveryUserFailsWithAChmodFix() throws {
        chmod(secretPath, 0o644)
        let f = finding(try doctor().findings(), "file: mailboxes[0].password_file")
        XCTAssertEqual(f?.status, .fail)
        XCTAssertTrue(f?.detail.contains("readable by every user (mode 0644)") ?? false, f?.line ?? "")
        XCTAssertTrue(f?.hint?.hasPrefix("chmod 600 \(secretPath)") ?? false, f?.line ?? "")
    }

    func testAConfigHoldingAPasswordMustNotBeWorldReadableButOneWithoutMayBe() throws {
        XCTAssertEqual(finding(try doctor(inlinePassword: true, mode: 0o644).findings(), "file: config")?.status, .fail)
        XCTAssertEqual(finding(try doctor(inlinePassword: false, mode: 0o644).findings(), "file: config")?.status, .ok)
        XCTAssertEqual(finding(try doctor(inlinePassword: false, mode: 0o666).findings(), "file: config")?.status, .fail,
                       "writable by everyone: anyone could redirect the mail")
    }

    func testAMissingPasswordFileFails() throws {
        let doctor = try doctor()
        unlink(secretPath)
        let f = finding(doctor.findings(), "file: mailboxes[0].password_file")
        XCTAssertEqual(f?.status, .fail)
        XCTAssertTrue(f?.hint?.contains("mailboxes[0].password_file") ?? false)
    }

    func testASigningKeyThatIsNotAKeyFailsAndAGoodOneIsOk() throws {
        let keyPath = dir.appendingPathComponent("signing.key").path
        try write(keyPath, "not hex at all\n", mode: 0o600)
        XCTAssertEqual(finding(try doctor().findings(), "file: signing key")?.status, .fail)
        unlink(keyPath)
        _ = try SigningKeyFile.loadOrCreate(path: keyPath)
        XCTAssertEqual(finding(try doctor().findings(), "file: signing key")?.status, .ok)
        chmod(keyPath, 0o644)
        XCTAssertEqual(finding(try doctor().findings(), "file: signing key")?.status, .fail, "a readable key lets anyone forge tags")
    }

    // MARK: - Store

    func testAnEmptyKeyFileLeftByAKilledFirstRunIsReplacedNotFatal() throws {
        let dir = Fixtures.temporaryDirectory("signing-key")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("signing.key").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        let key = try SigningKeyFile.loadOrCreate(path: path)
        XCTAssertEqual(try SigningKeyFile.loadOrCreate(path: path).hex, key.hex, "written whole, read back the same")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["signing.key"], "no temporary file left")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testAMigratedStorePassesOpenIntegrityAndSchema() throws {
        _ = try Store.open(path: databasePath, now: 0)
        chmod(databasePath, 0o600)
        let findings = try doctor().findings()
        for check in ["store: open", "store: integrity", "store: schema", "file: database"] {
            XCTAssertEqual(finding(findings, check)?.status, .ok, findings.map(\.line).joined(separator: "\n"))
        }
        XCTAssertTrue(finding(findings, "store: schema")?.detail.contains("up to date (\(Schema.migrator.migrations.count) migrations") ?? false)
    }

    func testAStoreWithPendingMigrationsWarnsAndNamesMigrate() throws {
        let db = try Database(path: databasePath)
        try Migrator(migrations: Array(Schema.migrator.migrations.prefix(1))).migrate(db, now: 0)
        let f = finding(try doctor().findings(), "store: schema")
        XCTAssertEqual(f?.status, .warn)
        XCTAssertTrue(f?.hint?.contains("postdesk migrate") ?? false)
    }

    func testAStoreFromANewerPostdeskFails() throws {
        let db = try Store.open(path: databasePath, now: 0)
        try db.execute("INSERT INTO schema_migrations (id, applied_at) VALUES ('v99-from-the-future', 0)")
        let f = finding(try doctor().findings(), "store: schema")
        XCTAssertEqual(f?.status, .fail)
        XCTAssertTrue(f?.detail.contains("v99-from-the-future") ?? false)
    }

    func testAFileThatIsNotADatabaseFails() throws {
        try write(databasePath, String(repeating: "this is not sqlite\n", count: 400), mode: 0o600)
        let findings = try doctor().findings()
        let problems = findings.filter { $0.check.hasPrefix("store:") && $0.status == .fail }
        XCTAssertFalse(problems.isEmpty, findings.map(\.line).joined(separator: "\n"))
    }

    func testAStoreWithRoomAndWriteAccessSaysHowMuchIsFree() throws {
        _ = try Store.open(path: databasePath, now: 0)
        chmod(databasePath, 0o600)
        let findings = try doctor().findings()
        let space = try XCTUnwrap(finding(findings, "store: space"))
        XCTAssertTrue(space.detail.contains("free of") && space.detail.contains(dir.path), space.line)
        XCTAssertEqual(finding(findings, "store: writable")?.status, .ok, findings.map(\.line).joined(separator: "\n"))
    }

    func testLowSpaceWarnsUnderTenPercentOrFiveHundredMegabytes() {
        let gb: UInt64 = 1_000_000_000
        XCTAssertEqual(Doctor.spaceFinding(FilesystemSpace(free: 60 * gb, size: 100 * gb, readOnly: false), directory: "/var/lib/postdesk").status, .ok)
        let tenth = Doctor.spaceFinding(FilesystemSpace(free: 9 * gb, size: 100 * gb, readOnly: false), directory: "/var/lib/postdesk")
        XCTAssertEqual(tenth.status, .warn, "9 GB is plenty, but under 10 %")
        XCTAssertTrue(tenth.hint?.contains("df -h /var/lib/postdesk") ?? false, tenth.line)
        XCTAssertEqual(Doctor.spaceFinding(FilesystemSpace(free: 400_000_000, size: 2 * gb, readOnly: false), directory: "/d").status, .warn,
                       "20 % of a small disk, but under 500 MB")
        XCTAssertEqual(Doctor.spaceFinding(FilesystemSpace(free: 0, size: 1_500_000, readOnly: false), directory: "/d").status, .warn)
    }

    func testAReadOnlyFilesystemOrAnUnwritableStoreFails() throws {
        _ = try Store.open(path: databasePath, now: 0)
        XCTAssertEqual(Doctor.writableFinding(path: databasePath, readOnlyFilesystem: true).status, .fail)
        XCTAssertTrue(Doctor.writableFinding(path: databasePath, readOnlyFilesystem: true).detail.contains("read-only"))
        chmod(databasePath, 0o400)
        let f = Doctor.writableFinding(path: databasePath, readOnlyFilesystem: false)
        XCTAssertEqual(f.status, .fail, f.line)
        XCTAssertTrue(f.detail.contains("not writable"), f.line)
    }

    func testTheStoreIsOpenedReadOnlyAndNeverMigrated() throws {
        let db = try Database(path: databasePath)
        try Migrator(migrations: Array(Schema.migrator.migrations.prefix(1))).migrate(db, now: 0)
        _ = try doctor().findings()
        XCTAssertEqual(try Schema.migrator.pending(in: db).count, Schema.migrator.migrations.count - 1)
    }
}

extension DoctorTests {
    func testAStoreOwnedBySomeoneElseIsNotOpenedWhenThatWouldCreateItsWALFiles() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to give the store to another user") }
        let db = try Store.open(path: databasePath, now: 0)
        _ = db
        unlink(databasePath + "-wal")
        unlink(databasePath + "-shm")
        chown(databasePath, 65534, 65534)
        let f = finding(try doctor().findings(), "store: open")
        XCTAssertEqual(f?.status, .warn, f?.line ?? "")
        XCTAssertTrue(f?.hint?.contains("sudo -u") ?? false, f?.line ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + "-shm"), "no root-owned -shm left for the service")
    }
}
