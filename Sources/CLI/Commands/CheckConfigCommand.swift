import Daemon

/// `postdesk check-config`: validate the config and say what it holds, secrets not shown.
enum CheckConfigCommand {
    static let command = Command(
        name: "check-config", synopsis: "[--config FILE] [--strict]",
        summary: "Validate the config file and print what it found (exit 78 on the first problem).",
        help: "Checks every key, refuses unknown ones, and checks that secret files and variables exist.\nPasswords and tokens are never printed; only where they come from.\nA secret that cannot be read is a warning (it may live on another machine); with --strict it\nis an error (exit 78), as in 'postdesk doctor'.",
        flags: ["strict"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let config = try inv.config()
        let io = inv.io
        io.print("config: \(config.file)")
        io.print("database: \(config.database)")
        io.print("state directory: \(config.stateDirectory)")
        io.print("ticket tag: [\(config.tagPrefix.isEmpty ? "" : config.tagPrefix + " ")#1234]")
        io.print("poll interval: \(config.pollInterval)s, max message size: \(config.maxMessageBytes) bytes, log level: \(config.logLevel.rawValue)")
        if let metrics = config.metricsFile { io.print("metrics file: \(metrics)") }
        io.print("mailboxes: \(config.mailboxes.count)")
        var problems: [String] = []
        for (i, box) in config.mailboxes.enumerated() {
            let scheme = box.implicitTLS ? "imaps" : "imap"
            let tls = box.implicitTLS ? "implicit TLS" : (box.tls == .required ? "STARTTLS required" : "no TLS")
            io.print("  \(box.name): \(scheme)://\(box.host):\(box.port) folder \(box.folder) user \(box.user) (\(tls), auth \(box.auth.rawValue), after import: \(box.afterImport))")
            if let secret = box.auth == .plain ? box.password : box.token {
                io.print("    secret from \(secret)")
                if let problem = SecretReader.problem(with: secret, environment: io.environment) {
                    problems.append("\(config.file): mailboxes[\(i)]: \(problem)")
                }
            }
        }
        if let smtp = config.smtp {
            let tls = smtp.implicitTLS ? "implicit TLS" : (smtp.tls == .required ? "STARTTLS required" : "no TLS")
            io.print("smtp: \(smtp.implicitTLS ? "smtps" : "smtp")://\(smtp.host):\(smtp.port) from \(smtp.from) (\(tls)\(smtp.user.map { ", user \($0)" } ?? ""))")
            if let secret = smtp.password, let problem = SecretReader.problem(with: secret, environment: io.environment) {
                problems.append("\(config.file): smtp: \(problem)")
            }
        } else {
            io.print("smtp: not configured (no mail will be sent)")
        }
        // A queue naming its agents shows them: who hears of its unassigned tickets and notes.
        io.print("queues: \(config.queues.isEmpty ? "support (default)" : config.queues.map { q in config.queueMembers.namesMembers(q.name) ? "\(q.name) (\(config.queueMembers.agents(of: q.name).joined(separator: ", ")))" : q.name }.joined(separator: ", "))")
        io.print("agents: \(config.agents.isEmpty ? "none" : config.agents.map(\.email).joined(separator: ", "))")
        if !problems.isEmpty {
            let strict = inv.arguments.has("strict")
            for p in problems { io.error("postdesk: \(strict ? "" : "warning: ")\(p)") }
            if strict { return .config }
        }
        io.print("ok")
        return .ok
    }
}
