import CLI
import Daemon
import Foundation
import Store
import Ticketing
import Transport

/// A postdesk set up against the real mail servers for one test: a config file, a fresh
/// store in a temp directory, and ways to run `postdesk` in-process or as a real process.
public final class TestDesk {
    public let servers: MailServers
    public let directory: URL
    public let user: String
    public var configPath: String { directory.appendingPathComponent("config.json").path }
    /// Where the store lives: in the desk's directory unless a test puts it elsewhere (a small
    /// filesystem of its own, for the fault tests); `writeConfig` writes it.
    public var databasePath: String { databaseOverride ?? directory.appendingPathComponent("postdesk.db").path }
    public var databaseOverride: String?

    /// `user`: whose INBOX plays the support mailbox (reset first). Extra top-level JSON keys
    /// (e.g. `"max_message_bytes": 4096`) go in `extra`.
    public init(servers: MailServers, user: String, afterImport: String = "seen", extra: String = "",
                agents: [String] = ["agent1"], pollInterval: Int = 1, reset: Bool = true) throws {
        self.servers = servers
        self.user = user
        directory = Fixtures.temporaryDirectory("postdesk-it")
        if reset { try servers.reset(user: user) }
        try writeConfig(afterImport: afterImport, extra: extra, agents: agents, pollInterval: pollInterval)
    }

    public func writeConfig(afterImport: String = "seen", extra: String = "", agents: [String] = ["agent1"], pollInterval: Int = 1) throws {
        let secret = directory.appendingPathComponent("imap-password")
        try Data((servers.password + "\n").utf8).write(to: secret)
        chmod(secret.path, 0o600)
        let agentList = agents.map { "{\"email\": \"\(servers.address($0))\"}" }.joined(separator: ", ")
        let json = """
            {
              "database": "\(databasePath)",
              "state_directory": "\(directory.path)",
              "poll_interval": \(pollInterval),
              \(extra.isEmpty ? "" : extra + ",")
              "mailboxes": [{"name": "support", "url": "imap://\(servers.host):\(servers.imapPort)", "tls": "required",
                             "ca_file": "\(servers.caFile)", "user": "\(servers.address(user))",
                             "password_file": "\(secret.path)", "after_import": "\(afterImport)"}],
              "smtp": {"url": "smtp://\(servers.host):\(servers.smtpPort)", "tls": "required", "ca_file": "\(servers.caFile)",
                       "from": "Support <\(servers.address(user))>"},
              "agents": [\(agentList)],
              "queues": [{"name": "support", "address": "\(servers.address(user))"}]
            }
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: configPath))
        chmod(configPath, 0o600)
    }

    /// An IMAP connection to the support mailbox (for appending and checking flags).
    public func imap() throws -> CurlIMAPClient { try servers.connectedIMAP(user: user) }

    /// Appends messages and returns their UIDs.
    @discardableResult
    public func append(_ messages: [[UInt8]], folder: String = "INBOX") throws -> [UInt32] {
        let c = try imap()
        defer { c.logout() }
        return try messages.map { try c.append($0, to: folder) ?? 0 }
    }

    /// Runs the CLI in this process; returns exit code, stdout, stderr.
    @discardableResult
    public func cli(_ arguments: [String], clock: any Clock = SystemClock()) -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(["--config", configPath] + arguments, io: captured.io(environment: ProcessInfo.processInfo.environment), clock: clock)
        return (code, captured.out, captured.err)
    }

    public func store() throws -> Database { try Store.open(path: databasePath, now: 0) }

    public func count(_ sql: String) throws -> Int64 { try store().row(sql)?[0].int ?? -1 }

    // MARK: - The real binary

    /// The built `postdesk` executable (`POSTDESK_BIN`, else .build/debug/postdesk).
    public static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["POSTDESK_BIN"], !bin.isEmpty { return bin }
        return Fixtures.root.appendingPathComponent(".build/debug/postdesk").path
    }

    /// Starts `postdesk --config … <arguments>` as a child process with stderr to `logFile`.
    public func spawn(_ arguments: [String], logFile: String, environment: [String: String] = [:]) throws -> pid_t {
        try Self.spawnProcess([Self.binary, "--config", configPath] + arguments, logFile: logFile, environment: environment)
    }

    public static func spawnProcess(_ argv: [String], logFile: String, environment: [String: String] = [:]) throws -> pid_t {
        try ChildProcess.spawn(argv, outputFile: logFile, environment: environment)
    }

    /// Waits for a child; returns its exit code (or 128+signal, or -1 after a kill at the timeout).
    public static func wait(_ pid: pid_t, timeoutSeconds: Double = 120) -> Int32 {
        ChildProcess.wait(pid, timeoutSeconds: timeoutSeconds)
    }
}
