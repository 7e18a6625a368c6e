import Foundation
import Glibc
import Transport
import XCTest

/// The real Dovecot and Postfix that integration tests talk to, run by `scripts/mailservers.sh`.
///
/// `MailServers.shared()` uses the instance in `POSTDESK_MAILSERVERS_DIR` when the test command
/// set it (starting it there if it is down), and otherwise starts a private instance on free
/// ports in a temporary directory, once per test process, stopped again at exit. When the
/// servers cannot run (not root, packages missing and not installable) it throws `XCTSkip`
/// saying why, unless `POSTDESK_REQUIRE_MAILSERVERS=1`, where it fails instead.
public final class MailServers: @unchecked Sendable {
    public let directory: URL
    public let host: String
    public let domain: String
    public let imapPort: Int
    public let imapsPort: Int
    public let smtpPort: Int
    /// SMTP with AUTH (PLAIN/LOGIN against the same users and password).
    public let submissionPort: Int
    /// SMTP with implicit TLS and AUTH.
    public let smtpsPort: Int
    public let lmtpPort: Int
    /// Local parts of the test users: support, agent1, agent2, customer1…3, catchall, postmaster.
    public let users: [String]
    /// Every user's password.
    public let password: String
    /// The self-signed certificate the servers present; trust it as the CA.
    public let caFile: String
    private let dovecotConfig: String

    // MARK: - Getting the instance

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: Result<MailServers, Unavailable>?
    /// The directory of a private instance, stopped by the exit hook.
    nonisolated(unsafe) private static var privateDirectory: String?

    /// The running servers, started on first use. Throws XCTSkip (or, when required, a failure).
    public static func shared() throws -> MailServers {
        let result = lock.withLock {
            if let instance { return instance }
            let made = Result { try start() }.mapError { $0 as? Unavailable ?? Unavailable(description: "\($0)") }
            instance = made
            return made
        }
        switch result {
        case .success(let servers): return servers
        case .failure(let why):
            if ProcessInfo.processInfo.environment["POSTDESK_REQUIRE_MAILSERVERS"] == "1" {
                throw Unavailable(description: "mail servers required (POSTDESK_REQUIRE_MAILSERVERS=1) but unavailable: \(why)")
            }
            throw XCTSkip("real mail servers unavailable: \(why)")
        }
    }

    private static func start() throws -> MailServers {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["POSTDESK_MAILSERVERS_DIR"], !given.isEmpty {
            let dir = URL(fileURLWithPath: given)
            if (try? script(["status", dir.path])) == nil { try script(["start", dir.path]) }
            return try MailServers(directory: dir)
        }
        guard geteuid() == 0 else {
            throw Unavailable(description: "starting Dovecot/Postfix needs root; run the tests as root, "
                + "or start them with `sudo scripts/mailservers.sh start DIR` and set POSTDESK_MAILSERVERS_DIR=DIR")
        }
        stopAbandonedInstances()
        let dir = "/tmp/postdesk-mail-\(getpid())"
        var ports: [String: String] = [:]
        for name in ["IMAP", "IMAPS", "SMTP", "SUBMISSION", "SMTPS", "LMTP"] {
            ports["POSTDESK_\(name)_PORT"] = String(try freePort(avoiding: ports.values.compactMap { Int($0) }))
        }
        try script(["start", dir], environment: ports)
        privateDirectory = dir
        atexit {
            guard let dir = MailServers.privateDirectory else { return }
            _ = try? MailServers.script(["stop", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        return try MailServers(directory: URL(fileURLWithPath: dir))
    }

    /// Stops servers left behind by test processes that died before their exit hook ran.
    private static func stopAbandonedInstances() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where entry.hasPrefix("postdesk-mail-") {
            guard let pid = Int32(entry.dropFirst("postdesk-mail-".count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            _ = try? script(["stop", "/tmp/\(entry)"])
            try? FileManager.default.removeItem(atPath: "/tmp/\(entry)")
        }
    }

    /// Reads the instance description the script wrote (`servers.env`).
    public init(directory: URL) throws {
        let file = directory.appendingPathComponent("servers.env")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw Unavailable(description: "no \(file.path): the mail servers were never started there")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        func port(_ key: String) throws -> Int {
            guard let v = values[key].flatMap(Int.init) else { throw Unavailable(description: "\(file.path) lacks \(key)") }
            return v
        }
        self.directory = directory
        host = values["HOST"] ?? "127.0.0.1"
        domain = values["DOMAIN"] ?? "example.test"
        imapPort = try port("IMAP_PORT")
        imapsPort = try port("IMAPS_PORT")
        smtpPort = try port("SMTP_PORT")
        submissionPort = try port("SUBMISSION_PORT")
        smtpsPort = (try? port("SMTPS_PORT")) ?? 0   // absent in instances started by older scripts
        lmtpPort = try port("LMTP_PORT")
        users = (values["USERS"] ?? "").split(separator: " ").map(String.init)
        password = values["PASSWORD"] ?? "secret"
        caFile = values["CA_FILE"] ?? directory.appendingPathComponent("tls/cert.pem").path
        dovecotConfig = values["DOVECOT_CONF"] ?? directory.appendingPathComponent("dovecot/dovecot.conf").path
    }

    // MARK: - Endpoints

    public enum Security { case startTLS, implicitTLS, none }

    /// `support` → `support@example.test`.
    public func address(_ user: String) -> String { user.contains("@") ? user : "\(user)@\(domain)" }

    public func imapEndpoint(user: String = "support", security: Security = .startTLS, password: String? = nil,
                             timeoutSeconds: Int = 30) -> IMAPEndpoint {
        IMAPEndpoint(host: host, port: security == .implicitTLS ? imapsPort : imapPort, implicitTLS: security == .implicitTLS,
                     requireTLS: security != .none, caFile: caFile, user: address(user),
                     credential: .password(password ?? self.password), timeoutSeconds: timeoutSeconds)
    }

    /// Plain SMTP (port 25 style, no AUTH), STARTTLS required unless `.none`.
    public func smtpEndpoint(security: Security = .startTLS, timeoutSeconds: Int = 30) -> SMTPEndpoint {
        SMTPEndpoint(host: host, port: smtpPort, requireTLS: security != .none, caFile: caFile,
                     heloName: "postdesk.test", timeoutSeconds: timeoutSeconds)
    }

    /// Submission with AUTH as `user`: STARTTLS on the submission port, or implicit TLS (smtps).
    public func submissionEndpoint(user: String = "support", password: String? = nil, implicitTLS: Bool = false) -> SMTPEndpoint {
        SMTPEndpoint(host: host, port: implicitTLS ? smtpsPort : submissionPort, implicitTLS: implicitTLS, requireTLS: true,
                     caFile: caFile, user: address(user), credential: .password(password ?? self.password), heloName: "postdesk.test")
    }

    /// A logged-in client for `user`; the caller logs out.
    public func connectedIMAP(user: String = "support") throws -> CurlIMAPClient {
        let client = CurlIMAPClient(endpoint: imapEndpoint(user: user))
        try client.connect()
        return client
    }

    // MARK: - Isolation

    /// Runs `doveadm` against this instance's configuration and returns its output.
    @discardableResult
    public func doveadm(_ arguments: [String]) throws -> String {
        try Self.run("/usr/bin/doveadm", ["-c", dovecotConfig] + arguments)
    }

    /// Empties `user`'s INBOX and special folders and deletes every other folder.
    public func reset(user: String) throws {
        let keep: Set<String> = ["INBOX", "Archive", "Sent", "Trash"]
        let folders = try doveadm(["mailbox", "list", "-u", address(user)]).split(separator: "\n").map(String.init)
        for folder in folders.sorted(by: { $0.count > $1.count }) where !keep.contains(folder) {
            try doveadm(["mailbox", "delete", "-u", address(user), "-s", folder])
        }
        for folder in keep { try doveadm(["expunge", "-u", address(user), "mailbox", folder, "all"]) }
    }

    /// Gives `mailbox` a new UIDVALIDITY, as a server does after a rebuild.
    public func changeUIDValidity(user: String, mailbox: String = "INBOX", to validity: UInt32) throws {
        try doveadm(["mailbox", "update", "-u", address(user), "--uid-validity", String(validity), mailbox])
    }

    /// `scripts/mailservers.sh COMMAND DIR` for this instance (e.g. "restart" mid-test).
    public func control(_ command: String) throws {
        try Self.script([command, directory.path])
    }

    // MARK: - Processes

    @discardableResult
    static func script(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let path = Fixtures.root.appendingPathComponent("scripts/mailservers.sh").path
        return try run("/bin/bash", [path] + arguments, environment: environment)
    }

    /// Runs a program and returns its output (see `ChildProcess` for why not Foundation's Process).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "postdesk-run-\(getpid())-\(UInt32.random(in: 0 ... .max)).log"
        defer { unlink(outputPath) }
        let pid: pid_t
        do { pid = try ChildProcess.spawn([executable] + arguments, outputFile: outputPath, append: false, environment: environment) } catch {
            throw Unavailable(description: "\(error)")
        }
        let code = ChildProcess.wait(pid)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard code == 0 else {
            throw Unavailable(description: "\(URL(fileURLWithPath: arguments.first ?? executable).lastPathComponent) "
                + "\(arguments.dropFirst().joined(separator: " ")) failed (exit \(code)): \(text.suffix(600))")
        }
        return text
    }

    /// A loopback TCP port nobody listens on right now.
    static func freePort(avoiding taken: [Int]) throws -> Int {
        for _ in 0 ..< 20 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { break }
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            let port = Int(UInt16(bigEndian: addr.sin_port))
            if ok, port > 0, !taken.contains(port) { return port }
        }
        throw Unavailable(description: "no free loopback port")
    }
}
