import Foundation
import Ticketing

/// Where a secret comes from. Secrets are never required inline in the config.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case environment(String)
    case command(String)
    case inline(String)

    public var description: String {
        switch self {
        case .file(let p): return "file \(p)"
        case .environment(let n): return "environment variable \(n)"
        case .command(let c): return "command \(c)"
        case .inline: return "inline (in the config file)"
        }
    }
}

/// What happens on the server to a message once it is safely stored.
public enum AfterImport: Sendable, Equatable, CustomStringConvertible {
    case seen
    case move(String)
    case delete

    public var description: String {
        switch self {
        case .seen: return "seen"
        case .move(let f): return "move:\(f)"
        case .delete: return "delete"
        }
    }
}

public enum TLSMode: String, Sendable {
    /// imaps:// or smtps:// (implicit TLS), or STARTTLS required on the plain port.
    case required
    /// Plain text. Only for loopback test servers.
    case none
}

public enum AuthMechanism: String, Sendable {
    case plain, xoauth2
}

public struct MailboxConfig: Sendable, Equatable {
    public var name: String
    public var url: URLComponents
    public var host: String
    public var port: Int
    public var implicitTLS: Bool
    public var tls: TLSMode
    public var caFile: String?
    public var user: String
    public var auth: AuthMechanism
    public var password: SecretSource?
    public var token: SecretSource?
    public var folder: String
    public var afterImport: AfterImport
    public var queue: String?
    /// Listen with IMAP IDLE when the server offers it (`idle: false` polls only).
    public var idle: Bool = true
}

public struct SMTPConfig: Sendable, Equatable {
    public var url: URLComponents
    public var host: String
    public var port: Int
    public var implicitTLS: Bool
    public var tls: TLSMode
    public var caFile: String?
    public var user: String?
    public var password: SecretSource?
    public var from: String
}

public struct AgentConfig: Sendable, Equatable {
    /// Lowercased.
    public var email: String
    public var name: String?
    public var groups: [String] = []
    /// Working hours (`hours`, e.g. `mon-fri 09:00-17:30`) in the agent's `time_zone` (default
    /// UTC); nil: always on duty.
    public var hours: WorkingCalendar? = nil
    public var away = false
    /// Open+new+pending tickets the agent may hold before assignment skips them.
    public var maxOpen: Int? = nil
}

public struct QueueConfig: Sendable, Equatable {
    public var name: String
    /// The addresses that feed the queue (`address` and `addresses`), as written.
    public var addresses: [String] = []
    /// Priority of a new ticket when no rule sets one.
    public var priority: TicketPriority? = nil
    /// Name of a calendar (working hours, time zone) under `calendars`.
    public var calendar: String? = nil
    public var timeZone: TimeZone? = nil
    /// Default language of the queue's customers.
    public var language: String? = nil
    /// The queue's own agents (`agents`, addresses once the config is read) and `groups`;
    /// neither: every agent (see `Config.queueMembers`).
    public var agents: [String] = []
    public var groups: [String] = []

    /// The queue's first address (the `address` key).
    public var address: String? { addresses.first }
}

public enum LogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error
    public static func < (a: LogLevel, b: LogLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The validated configuration. Built only by `Config.load`/`Config.parse`, which name the
/// file, key and reason of the first problem.
public struct Config: Sendable, Equatable {
    public var file: String
    public var database: String
    public var stateDirectory: String
    public var tagPrefix: String
    public var pollInterval: Int
    public var logLevel: LogLevel
    public var maxMessageBytes: Int
    public var metricsFile: String?
    public var mailboxes: [MailboxConfig]
    public var smtp: SMTPConfig?
    public var agents: [AgentConfig]
    public var queues: [QueueConfig]
    /// Routing (RulesConfig.swift): agent groups, known customers, the ordered rules.
    public var groups: [GroupConfig] = []
    public var customers = CustomerDirectory()
    public var rules = RuleSet.empty
    /// "The queue's agents" (`queues[].agents`/`groups`), resolved once per config.
    public var queueMembers = QueueMembers()
    /// Agents by e-mail (AgentWorkflowConfig.swift): proof, commands, macros, attachments.
    public var agentWorkflow = AgentWorkflowConfig()
    /// What a stranger's message that names someone else's ticket does: `new` ticket (linked) or `hold`.
    public var strangerPolicy: String
    /// Days after resolving during which a customer reply reopens the ticket.
    public var reopenWindowDays: Int
    /// Put a short HMAC token in subject tags (`[#1234-k7f3q]`).
    public var tagTokens: Bool
    /// Send customers an acknowledgement when their mail opens a ticket.
    public var acknowledge: Bool
    /// Automatic mails per address per hour before going silent (loop defence).
    public var autoReplyLimit: Int
    /// Seconds the CPU-bound part of processing one message may take before it is quarantined.
    public var messageTimeLimit: Int
    /// The HMAC key that signs our Message-IDs and tag tokens; created on first run.
    public var signingKeyFile: String
    /// Named working calendars (`calendars`); `24x7` is built in (see `calendar(named:)`).
    public var calendars: [String: WorkingCalendar]
    /// SLA policies, defaults, pause statuses and auto-close (see `SLAConfig`).
    public var sla: SLASettings
    /// Who is notified of what, in which words (`notifications`, `ticket_url`, `outbox_max_age`).
    public var notifications: NotificationsConfig
    /// Non-fatal findings (e.g. a world-readable file holding a password).
    public var warnings: [String]

    public var defaultQueue: String { queues.first?.name ?? "support" }

    public static let defaultPath = "/etc/postdesk/config.json"

    /// Reads and validates `path`.
    public static func load(path: String) throws -> Config {
        let name = path
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file (permissions?)" : "no such file"
            throw ConfigError(file: name, key: nil, reason: reason)
        }
        var config = try parse(Array(data), file: name)
        if config.holdsInlineSecret, let attrs = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = attrs[.posixPermissions] as? Int, mode & 0o004 != 0 {
            config.warnings.append("\(name): holds a password but is readable by every user (chmod 600 \(path), or use password_file)")
        }
        return config
    }

    var holdsInlineSecret: Bool {
        mailboxes.contains { if case .inline = $0.password { return true }; if case .inline = $0.token { return true }; return false }
            || { if case .inline = smtp?.password { return true }; return false }()
    }

    public static func parse(_ bytes: [UInt8], file: String) throws -> Config {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch let e as JSON.SyntaxError {
            throw ConfigError(file: file, key: nil, reason: "not valid JSON: \(e)")
        }
        let root = ConfigReader(file: file, path: "", value: json)
        _ = try root.object(allowed: Set(["database", "state_directory", "tag_prefix", "poll_interval", "log_level",
                                      "max_message_bytes", "metrics_file", "mailboxes", "smtp", "agents", "queues",
                                      "stranger_policy", "reopen_window_days", "tag_tokens", "acknowledge",
                                      "auto_reply_limit", "signing_key_file", "message_time_limit", "calendars",
                                      "rules", "rules_file", "groups", "customers", "sla_policies", "sla_defaults",
                                      "pause_statuses", "auto_resolve_after", "auto_close_after",
                                      "notifications", "ticket_url", "outbox_max_age"] + AgentWorkflowConfig.keys))
        let stateDirectory = try root.string("state_directory") ?? "/var/lib/postdesk"
        var config = Config(
            file: file,
            database: try root.string("database") ?? "\(stateDirectory)/postdesk.db",
            stateDirectory: stateDirectory,
            tagPrefix: try root.string("tag_prefix") ?? "",
            pollInterval: try root.int("poll_interval", range: 1...86_400) ?? 30,
            logLevel: LogLevel(rawValue: try root.choice("log_level", LogLevel.allCases.map(\.rawValue)) ?? "info")!,
            maxMessageBytes: try root.int("max_message_bytes", range: 1024...2_000_000_000) ?? 50 * 1024 * 1024,
            metricsFile: try root.string("metrics_file"),
            mailboxes: [], smtp: nil, agents: [], queues: [],
            strangerPolicy: try root.choice("stranger_policy", ["new", "hold"]) ?? "new",
            reopenWindowDays: try root.int("reopen_window_days", range: 0...3650) ?? 14,
            tagTokens: try root.bool("tag_tokens") ?? true,
            acknowledge: try root.bool("acknowledge") ?? true,
            autoReplyLimit: try root.int("auto_reply_limit", range: 0...1000) ?? 5,
            messageTimeLimit: try root.int("message_time_limit", range: 1...3600) ?? 60,
            signingKeyFile: try root.string("signing_key_file") ?? "\(stateDirectory)/signing.key",
            calendars: try CalendarConfig.parse(root),
            sla: SLASettings(),
            notifications: try .defaults(), warnings: [])
        if config.tagPrefix.contains(where: { "[]#".contains($0) }) {
            throw root.fail("must not contain [, ] or #", at: "tag_prefix")
        }
        if let queues = root.child("queues") {
            for q in try queues.items() {
                let queue = try RulesConfig.parseQueue(q)
                if config.queues.contains(where: { $0.name == queue.name }) { throw q.fail("duplicate queue name", at: "name") }
                config.queues.append(queue)
            }
        }
        if let agents = root.child("agents") {
            for a in try agents.items() {
                let agent = try RulesConfig.parseAgent(a)
                if config.agents.contains(where: { $0.email == agent.email }) { throw a.fail("duplicate agent", at: "email") }
                config.agents.append(agent)
            }
        }
        if let boxes = root.child("mailboxes") {
            for m in try boxes.items() {
                let box = try parseMailbox(m, queues: config.queues)
                if config.mailboxes.contains(where: { $0.name == box.name }) { throw m.fail("duplicate mailbox name", at: "name") }
                config.mailboxes.append(box)
            }
        }
        if let s = root.child("smtp") { config.smtp = try parseSMTP(s) }
        config.sla = try SLAConfig.parse(root, calendars: config.calendars, queues: config.queues,
                                         reopenWindowDays: config.reopenWindowDays)
        try RulesConfig.parse(root, into: &config)
        config.notifications = try NotificationsConfig.parse(root, queues: config.queues.map(\.name), queueLanguages: Set(config.queues.compactMap(\.language)))
        config.warnings += config.notifications.templates.warnings
        try AgentWorkflowConfig.parse(root, into: &config)
        return config
    }

    static func secret(_ r: ConfigReader, prefix: String) throws -> SecretSource? {
        let sources: [SecretSource] = [
            try r.string("\(prefix)_file").map { .file($0) },
            try r.string("\(prefix)_env").map { .environment($0) },
            try r.string("\(prefix)_command").map { .command($0) },
            try r.string(prefix).map { .inline($0) },
        ].compactMap { $0 }
        guard sources.count <= 1 else {
            throw r.fail("give only one of \(prefix), \(prefix)_file, \(prefix)_env, \(prefix)_command")
        }
        return sources.first
    }

    static func endpoint(_ r: ConfigReader, schemes: (plain: String, tls: String), defaultPorts: (Int, Int))
        throws -> (URLComponents, String, Int, Bool) {
        let raw = try r.requiredString("url")
        guard let url = URLComponents(string: raw), let scheme = url.scheme?.lowercased() else {
            throw r.fail("not a URL", at: "url")
        }
        guard scheme == schemes.plain || scheme == schemes.tls else {
            throw r.fail("scheme must be \(schemes.plain) or \(schemes.tls)", at: "url")
        }
        guard let host = url.host, !host.isEmpty else { throw r.fail("has no host", at: "url") }
        guard url.user == nil, url.password == nil else {
            throw r.fail("must not carry credentials; use user and password_file", at: "url")
        }
        let implicitTLS = scheme == schemes.tls
        return (url, host, url.port ?? (implicitTLS ? defaultPorts.1 : defaultPorts.0), implicitTLS)
    }

    static func parseMailbox(_ m: ConfigReader, queues: [QueueConfig]) throws -> MailboxConfig {
        _ = try m.object(allowed: ["name", "url", "tls", "ca_file", "user", "auth", "password", "password_file",
                                   "password_env", "password_command", "token_file", "token_command", "folder",
                                   "after_import", "queue", "idle"])
        let (url, host, port, implicitTLS) = try endpoint(m, schemes: ("imap", "imaps"), defaultPorts: (143, 993))
        let auth = AuthMechanism(rawValue: try m.choice("auth", ["plain", "xoauth2"]) ?? "plain")!
        let password = try secret(m, prefix: "password")
        let token: SecretSource? = try {
            let file = try m.string("token_file"), command = try m.string("token_command")
            if file != nil && command != nil { throw m.fail("give only one of token_file, token_command") }
            return file.map { .file($0) } ?? command.map { .command($0) }
        }()
        switch auth {
        case .plain where password == nil:
            throw m.fail("needs password_file, password_env or password_command (or auth: xoauth2 with token_file)")
        case .xoauth2 where token == nil:
            throw m.fail("auth xoauth2 needs token_file or token_command")
        default: break
        }
        let actionText = try m.string("after_import") ?? "seen"
        let action: AfterImport
        switch actionText {
        case "seen": action = .seen
        case "delete": action = .delete
        case _ where actionText.hasPrefix("move:") && actionText.count > 5: action = .move(String(actionText.dropFirst(5)))
        default: throw m.fail("must be seen, delete or move:<folder>", at: "after_import")
        }
        let queue = try m.string("queue")
        if let queue, !queues.isEmpty, !queues.contains(where: { $0.name == queue }) {
            throw m.fail("names no queue defined under queues", at: "queue")
        }
        let folder = try m.string("folder") ?? "INBOX"
        if folder.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) { throw m.fail("has a control character", at: "folder") }
        return MailboxConfig(
            name: try m.string("name") ?? "\(try m.requiredString("user"))@\(host)/\(folder)",
            url: url, host: host, port: port, implicitTLS: implicitTLS,
            tls: TLSMode(rawValue: try m.choice("tls", ["required", "none"]) ?? "required")!,
            caFile: try m.string("ca_file"), user: try m.requiredString("user"), auth: auth,
            password: password, token: token, folder: folder, afterImport: action, queue: queue,
            idle: try m.bool("idle") ?? true)
    }

    static func parseSMTP(_ s: ConfigReader) throws -> SMTPConfig {
        _ = try s.object(allowed: ["url", "tls", "ca_file", "user", "password", "password_file", "password_env",
                                   "password_command", "from"])
        let (url, host, port, implicitTLS) = try endpoint(s, schemes: ("smtp", "smtps"), defaultPorts: (587, 465))
        let from = try s.requiredString("from")
        guard from.contains("@") else { throw s.fail("must be an e-mail address", at: "from") }
        let user = try s.string("user")
        let password = try secret(s, prefix: "password")
        if user != nil && password == nil { throw s.fail("user is set but no password source is") }
        return SMTPConfig(url: url, host: host, port: port, implicitTLS: implicitTLS,
                          tls: TLSMode(rawValue: try s.choice("tls", ["required", "none"]) ?? "required")!,
                          caFile: try s.string("ca_file"), user: user, password: password, from: from)
    }
}
