import Daemon

/// `postdesk doctor`: one line per check (config, files, store, each mailbox, SMTP), each
/// ok, warn or fail with a fix hint; exit 0 only when every check is ok.
enum DoctorCommand {
    static let command = Command(
        name: "doctor", synopsis: "[--offline] [--warn-ok] [--timeout SECONDS]",
        summary: "Check the config, file permissions, the store, each mailbox and SMTP; print a fix for each problem.",
        help: """
              --offline          skip the mailbox and SMTP checks (no network)
              --warn-ok          exit 0 when nothing failed, even with warnings
              --timeout SECONDS  the longest wait for each server (default 20)
            Each line is `ok|warn|fail  CHECK  DETAIL`, with `(fix: ...)` after a warn or fail.
            Mailboxes: secret, connect, TLS, login, folder (EXAMINE: nothing is changed), and the
            server's message count against what the store took. SMTP: connect, TLS and AUTH, then
            QUIT: nothing is sent. The store is opened read-only and never migrated.
            Exit status: 0 when every check is ok; 1 when one failed or warned (with --warn-ok,
            only when one failed); 78 when the config cannot be read or is invalid.
            """,
        values: ["timeout"], flags: ["offline", "warn-ok"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let config: Config
        do {
            config = try Config.load(path: inv.configPath)
        } catch {
            inv.io.print(DoctorFinding(.fail, "config", "\(error)", hint: "correct the config, then run 'postdesk check-config'").line)
            return .config
        }
        let doctor = Doctor(config: config, databasePath: inv.arguments.value("db"), environment: inv.io.environment,
                            timeoutSeconds: try inv.intOption("timeout", default: 20, range: 1...600),
                            checkServers: !inv.arguments.has("offline"))
        var worst = DoctorFinding.Status.ok
        doctor.run { finding in
            inv.io.print(finding.line)
            if finding.status == .fail || (finding.status == .warn && worst == .ok) { worst = finding.status }
        }
        switch worst {
        case .ok: return .ok
        case .warn: return inv.arguments.has("warn-ok") ? .ok : .failure
        case .fail: return .failure
        }
    }
}
