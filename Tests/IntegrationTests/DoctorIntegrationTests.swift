import Foundation
import TestSupport
import XCTest

/// `postdesk doctor` against the real Dovecot and Postfix: every check passes on a sound setup,
/// and a wrong password, a missing folder or a careless file mode fail with a hint naming the fix.
final class DoctorIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    /// A desk whose SMTP is the submission port with AUTH as `user`, so doctor checks a login there too.
    func makeDesk(user: String = "customer3", folder: String? = nil) throws -> TestDesk {
        let desk = try TestDesk(servers: servers, user: user)
        var text = try String(contentsOfFile: desk.configPath, encoding: .utf8)
        let secret = desk.directory.appendingPathComponent("imap-password").path
        text = text.replacingOccurrences(
            of: "\"smtp://\(servers.host):\(servers.smtpPort)\", \"tls\": \"required\",",
            with: "\"smtp://\(servers.host):\(servers.submissionPort)\", \"tls\": \"required\", "
                + "\"user\": \"\(servers.address(user))\", \"password_file\": \"\(secret)\",")
        if let folder {
            text = text.replacingOccurrences(of: "\"after_import\": \"seen\"", with: "\"after_import\": \"seen\", \"folder\": \"\(folder)\"")
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: desk.configPath))
        XCTAssertTrue(text.contains(String(servers.submissionPort)), "the config now names the submission port")
        return desk
    }

    func line(_ output: String, _ check: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.dropFirst(6).hasPrefix(check + "  ") }
    }

    func testASoundSetupPassesEveryCheckAndExitsZero() throws {
        let desk = try makeDesk()
        try desk.append([Self.mail(1), Self.mail(2)])
        let log = desk.directory.appendingPathComponent("run.log").path
        let pid = try desk.spawn(["run", "--once"], logFile: log)
        XCTAssertEqual(TestDesk.wait(pid), 0, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        // Made by hand under umask 022; the service's UMask=0077 gives 0600.
        chmod(desk.databasePath, 0o600)
        try desk.append([Self.mail(3)])

        // Messages Postfix took in, counted once our own marker mail shows in its log: all handed
        // to it before the marker are logged by then (one log daemon, in order), so no sleep.
        let postfixLog = servers.directory.appendingPathComponent("log/postfix.log").path
        func accepted(through marker: String) throws -> Int {
            try servers.send(from: "customer3", to: "catchall", "From: <\(servers.address("customer3"))>\nSubject: marker\nMessage-ID: <\(marker)>\n\nmarker\n")
            var log = ""
            for _ in 0..<400 {
                log = (try? String(contentsOfFile: postfixLog, encoding: .utf8)) ?? ""
                if log.contains("message-id=<\(marker)>") { break }
                usleep(50_000)
            }
            XCTAssertTrue(log.contains("message-id=<\(marker)>"), "Postfix logs the marker mail")
            return log.components(separatedBy: "/cleanup[").count
        }
        let acceptedBefore = try accepted(through: "doctor-before@marker.test")

        let result = desk.cli(["doctor"])
        XCTAssertEqual(result.code, 0, result.out + result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        for l in lines { XCTAssertTrue(l.hasPrefix("ok    "), "every check ok: \(l)") }
        for check in ["config", "file: config", "file: mailboxes[0].password_file", "file: smtp.password_file", "file: signing key",
                      "file: database", "store: open", "store: integrity", "store: schema",
                      "mailbox support: secret", "mailbox support: connect", "mailbox support: tls", "mailbox support: login",
                      "mailbox support: folder", "mailbox support: count", "smtp: connect", "smtp: tls", "smtp: auth"] {
            XCTAssertNotNil(line(result.out, check), "doctor checks \(check):\n\(result.out)")
        }
        XCTAssertTrue(line(result.out, "store: integrity")?.contains("quick_check: ok") ?? false)
        XCTAssertTrue(line(result.out, "mailbox support: tls")?.contains("STARTTLS, certificate verified") ?? false)
        XCTAssertTrue(line(result.out, "mailbox support: folder")?.contains("\"INBOX\" exists: 3 messages") ?? false, result.out)
        let count = line(result.out, "mailbox support: count") ?? ""
        XCTAssertTrue(count.contains("server 3 messages, 1 waiting"), count)
        XCTAssertTrue(count.contains("imported 2"), count)
        XCTAssertTrue(line(result.out, "smtp: auth")?.contains("authenticated as \(servers.address("customer3"))") ?? false, result.out)
        XCTAssertEqual(try accepted(through: "doctor-after@marker.test"), acceptedBefore + 1, "the SMTP check hands Postfix no message")
    }

    func testImplicitTLSOnImapsAndSmtpsIsCheckedAndNamed() throws {
        guard servers.smtpsPort != 0 else { throw XCTSkip("these mail servers were started without an smtps port") }
        let desk = try makeDesk()
        let text = try String(contentsOfFile: desk.configPath, encoding: .utf8)
            .replacingOccurrences(of: "imap://\(servers.host):\(servers.imapPort)", with: "imaps://\(servers.host):\(servers.imapsPort)")
            .replacingOccurrences(of: "smtp://\(servers.host):\(servers.submissionPort)", with: "smtps://\(servers.host):\(servers.smtpsPort)")
        try Data(text.utf8).write(to: URL(fileURLWithPath: desk.configPath))
        let result = desk.cli(["doctor"])
        XCTAssertEqual(result.code, 0, result.out)
        XCTAssertTrue(line(result.out, "mailbox support: tls")?.contains("implicit TLS (imaps://)") ?? false, result.out)
        XCTAssertTrue(line(result.out, "smtp: tls")?.contains("implicit TLS (smtps://)") ?? false, result.out)
        XCTAssertTrue(line(result.out, "smtp: auth")?.hasPrefix("ok") ?? false, result.out)
    }

    func testAWrongPasswordFailsTheLoginsWithAHintNamingThePasswordFile() throws {
        let desk = try makeDesk()
        let secret = desk.directory.appendingPathComponent("imap-password")
        try Data("not-the-password\n".utf8).write(to: secret)
        chmod(secret.path, 0o600)

        let result = desk.cli(["doctor"])
        XCTAssertEqual(result.code, 1, result.out)
        let login = line(result.out, "mailbox support: login") ?? ""
        XCTAssertTrue(login.hasPrefix("fail  "), result.out)
        XCTAssertTrue(login.contains("the server refused the login for user \(servers.address("customer3"))"), login)
        XCTAssertTrue(login.contains("(fix: check mailboxes[0].password_file"), login)
        XCTAssertTrue(line(result.out, "mailbox support: connect")?.hasPrefix("ok") ?? false, "the connection itself worked")
        XCTAssertTrue(line(result.out, "mailbox support: tls")?.hasPrefix("ok") ?? false, "and so did TLS")
        XCTAssertNil(line(result.out, "mailbox support: folder"), "nothing after a failed login is tried")
        let auth = line(result.out, "smtp: auth") ?? ""
        XCTAssertTrue(auth.hasPrefix("fail  ") && auth.contains("(fix: check smtp.password_file"), result.out)
        XCTAssertFalse(result.out.contains("not-the-password"), "the wrong password is not printed either")
    }

    func testAMissingFolderFailsWithAHintNamingTheFolderKey() throws {
        let desk = try makeDesk(folder: "Tickets/Missing")
        let result = desk.cli(["doctor"])
        XCTAssertEqual(result.code, 1, result.out)
        let folder = line(result.out, "mailbox support: folder") ?? ""
        XCTAssertTrue(folder.hasPrefix("fail  "), result.out)
        XCTAssertTrue(folder.contains("no folder \"Tickets/Missing\""), folder)
        XCTAssertTrue(folder.contains("(fix: check mailboxes[0].folder"), folder)
        XCTAssertTrue(line(result.out, "mailbox support: login")?.hasPrefix("ok") ?? false)
    }

    func testASecretFileReadableByEveryUserFailsWithAChmodHint() throws {
        let desk = try makeDesk()
        let secret = desk.directory.appendingPathComponent("imap-password").path
        chmod(secret, 0o644)
        let result = desk.cli(["doctor", "--offline"])
        XCTAssertEqual(result.code, 1)
        let file = line(result.out, "file: mailboxes[0].password_file") ?? ""
        XCTAssertTrue(file.hasPrefix("fail  ") && file.contains("readable by every user (mode 0644)"), result.out)
        XCTAssertTrue(file.contains("(fix: chmod 600 \(secret)"), file)
        XCTAssertNil(line(result.out, "mailbox support: connect"), "--offline talks to no server")
    }

    func testAnInvalidConfigFailsTheConfigCheckAndExits78() throws {
        let desk = try makeDesk()
        try Data("{\"mailboxes\": [], \"poll_intervall\": 5}".utf8).write(to: URL(fileURLWithPath: desk.configPath))
        let result = desk.cli(["doctor"])
        XCTAssertEqual(result.code, 78)
        XCTAssertTrue(result.out.hasPrefix("fail  config  "), result.out)
        XCTAssertTrue(result.out.contains("poll_intervall"), "names the bad key: \(result.out)")
    }

    static func mail(_ n: Int) -> [UInt8] {
        Array("From: Customer \(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nSubject: Doctor \(n)\r\nMessage-ID: <doctor-\(n)@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nmy order is late #\(n)\r\n".utf8)
    }
}
