import Foundation
import Store
import Ticketing
#if canImport(Glibc)
import Glibc
#endif

/// `postdesk doctor`: checks what an operator would check by hand when mail stops arriving:
/// the config, its files' permissions, the store, each mailbox and the SMTP server (connect,
/// TLS, login, and for IMAP the folder and its counts; nothing is sent, nothing is changed).
///
/// Findings are reported as they are made, so a slow server shows where the time goes. The
/// store is opened read-only and never migrated; mailboxes are opened with EXAMINE.
public struct Doctor {
    public let config: Config
    public let databasePath: String
    public let environment: [String: String]
    /// The longest wait for each server (connect, TLS, login, each reply).
    public var timeoutSeconds: Int
    /// False skips the mailbox and SMTP checks (no network).
    public var checkServers: Bool

    public init(config: Config, databasePath: String? = nil, environment: [String: String],
                timeoutSeconds: Int = 20, checkServers: Bool = true) {
        self.config = config
        self.databasePath = databasePath ?? config.database
        self.environment = environment
        self.timeoutSeconds = timeoutSeconds
        self.checkServers = checkServers
    }

    /// Runs every check in order, handing each finding to `report`.
    public func run(_ report: (DoctorFinding) -> Void) {
        let smtp = config.smtp.map { "smtp \($0.host):\($0.port)" } ?? "no smtp (nothing will be sent)"
        report(DoctorFinding(.ok, "config", "\(config.file): valid; \(config.mailboxes.count) mailbox(es), \(smtp)"))
        checkFiles(report)
        checkAgentProof(report)
        checkTemplates(report)
        checkClock(report)
        let db = checkStore(report)
        guard checkServers else { return }
        for (index, mailbox) in config.mailboxes.enumerated() {
            checkMailbox(mailbox, index: index, db: db, report)
        }
        if let smtp = config.smtp { checkSMTP(smtp, report) }
    }

    /// Every finding, collected (for tests and `--json`-like uses).
    public func findings() -> [DoctorFinding] {
        var all: [DoctorFinding] = []
        run { all.append($0) }
        return all
    }

    /// Whether agents' mail must prove itself (issue "Agents by e-mail, safely").
    func checkAgentProof(_ report: (DoctorFinding) -> Void) {
        let w = config.agentWorkflow
        if w.proof == .none {
            report(DoctorFinding(.warn, "agents: proof", "agent_proof is none: anyone who writes an agent's address in From acts as that agent",
                                 hint: "set agent_proof to reply-or-dkim (the default) and trusted_authserv_ids to your MX's authserv-id"))
        } else {
            let dkim = w.trustedAuthservIDs.isEmpty ? "no trusted_authserv_ids (DKIM proof off)" : "trusted: \(w.trustedAuthservIDs.joined(separator: ", "))"
            report(DoctorFinding(.ok, "agents: proof", "agent_proof \(w.proof.rawValue); \(dkim)"))
        }
    }

    // MARK: - Store

    /// Opens the store read-only and checks its integrity and schema; nil when it cannot be used.
    func checkStore(_ report: (DoctorFinding) -> Void) -> Database? {
        let path = databasePath
        if path == ":memory:" {
            report(DoctorFinding(.ok, "store: open", "in memory (nothing is kept between runs)"))
            return nil
        }
        guard FileManager.default.fileExists(atPath: path) else {
            if let blocked = Self.unwritableAncestor(of: path) {
                report(DoctorFinding(.fail, "store: open", "\(path) does not exist and \(blocked) is not writable by \(Self.userName(geteuid()))",
                                     hint: "create the directory owned by the service user (the package's StateDirectory=postdesk does), or set database"))
            } else {
                report(DoctorFinding(.ok, "store: open", "\(path) does not exist yet; 'postdesk migrate' or the first 'postdesk run' creates it"))
            }
            return nil
        }
        // Even read-only, SQLite creates a missing -wal and -shm, owned by whoever runs doctor;
        // root-owned ones would lock the service out of its own store.
        var info = stat()
        if stat(path, &info) == 0, info.st_uid != geteuid() {
            let missing = ["-wal", "-shm"].filter { !FileManager.default.fileExists(atPath: path + $0) }
            if !missing.isEmpty {
                let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "#\(info.st_uid)"
                report(DoctorFinding(.warn, "store: open", "not opened: \(path) belongs to \(Self.userName(info.st_uid)); as \(Self.userName(geteuid())) "
                                     + "SQLite would create \(missing.map { path + $0 }.joined(separator: " and ")) that the service could not use",
                                     hint: "run doctor as the store's owner: sudo -u \(owner) postdesk doctor"))
                return nil
            }
        }
        let db: Database
        do {
            db = try Database(path: path, readOnly: true)
        } catch {
            report(DoctorFinding(.fail, "store: open", "cannot open \(path): \(error)",
                                 hint: "check the file's owner and mode; the service user must be able to read and write it"))
            return nil
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64) ?? 0
        report(DoctorFinding(.ok, "store: open", "\(path) (\(size / 1024) KiB)"))
        checkStoreSpace(path, report)

        do {
            let result = try db.quickCheck()
            if result == "ok" {
                report(DoctorFinding(.ok, "store: integrity", "PRAGMA quick_check: ok"))
            } else {
                report(DoctorFinding(.fail, "store: integrity", "PRAGMA quick_check: \(result.prefix(300))",
                                     hint: "stop postdesk and restore the database from a backup (or try sqlite3 \(path) .recover)"))
            }
        } catch {
            report(DoctorFinding(.fail, "store: integrity", "\(path) cannot be checked: \(error)",
                                 hint: "is it a postdesk database? restore it from a backup"))
            return nil
        }

        let known = Schema.migrator.migrations.map(\.id)
        let hasTable = (try? db.row("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")?.int("n")) ?? 0
        let applied = hasTable > 0 ? ((try? db.query("SELECT id FROM schema_migrations ORDER BY rowid").map { $0.text("id") }) ?? []) : []
        let unknown = applied.filter { !known.contains($0) }
        let pending = known.filter { !applied.contains($0) }
        if !unknown.isEmpty {
            report(DoctorFinding(.fail, "store: schema", "made by a newer postdesk: unknown migrations \(unknown.joined(separator: ", "))",
                                 hint: "run the postdesk version that created this database, or restore a backup"))
        } else if !pending.isEmpty {
            report(DoctorFinding(.warn, "store: schema", "\(applied.count) of \(known.count) migrations applied; pending: \(pending.joined(separator: ", "))",
                                 hint: "run 'postdesk migrate' (the daemon also migrates when it starts)"))
        } else {
            report(DoctorFinding(.ok, "store: schema", "up to date (\(known.count) migrations, last \(known.last ?? "-"))"))
        }
        return hasTable > 0 && pending.isEmpty && unknown.isEmpty ? db : nil
    }

    // MARK: - Helpers

    /// The nearest existing ancestor directory of `path` when this user cannot create files in it.
    static func unwritableAncestor(of path: String) -> String? {
        var dir = (path as NSString).deletingLastPathComponent
        if dir.isEmpty { dir = "." }
        while !FileManager.default.fileExists(atPath: dir) {
            let up = (dir as NSString).deletingLastPathComponent
            if up.isEmpty || up == dir { break }
            dir = up
        }
        return access(dir, W_OK | X_OK) == 0 ? nil : dir
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }

    /// The config key a secret comes from, e.g. `mailboxes[0].password_file`.
    static func secretKey(_ source: SecretSource, prefix: String, base: String) -> String {
        switch source {
        case .file: return "\(base).\(prefix)_file"
        case .environment: return "\(base).\(prefix)_env"
        case .command: return "\(base).\(prefix)_command"
        case .inline: return "\(base).\(prefix)"
        }
    }
}
