import Daemon
import Foundation
import Store
import Ticketing

/// `postdesk run [--once]`: the daemon.
enum RunCommand {
    static let command = Command(
        name: "run", synopsis: "[--once]",
        summary: "Run the daemon: listen with IMAP IDLE where offered, poll every poll_interval seconds (systemd Type=notify).",
        help: """
              --once   poll each mailbox once, then exit (for cron, tests and first imports; no IDLE)
            Signals: SIGTERM/SIGINT finish the message in hand and exit 0 (a second one exits at once);
            SIGHUP reloads the config, keeping the running one if the new one is invalid.
            Only one 'postdesk run' may use a database at a time; a second exits 75.
            """,
        flags: ["once"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let config = try inv.config()
        let clock = inv.clock
        var level = config.logLevel
        if let text = inv.arguments.value("log-level") {
            guard let l = LogLevel(rawValue: text) else { throw CLIError(.usage, "--log-level must be debug, info, warning or error", showUsage: true) }
            level = l
        }
        let log = Log.standardError(level: level, environment: inv.io.environment, clock: { clock.now() })
        if let file = clock as? FileClock {
            log.warning("clock.from_file", ["variable": FileClock.variable, "path": file.path,
                                            "now": UTCTimestamp.iso(file.now(), milliseconds: false),
                                            "reason": "the time comes from this file, not the system clock: for tests and rehearsals only"])
        }
        let signals = try SignalWatcher.install()
        let environment = inv.io.environment
        let service = Service(config: config, configPath: inv.configPath, databaseOverride: inv.arguments.value("db"),
                              environment: environment, clock: clock, log: log, signals: signals,
                              makeSender: { CurlMailSender(config: $0, environment: environment, log: log) },
                              makeIdle: { CurlIdleConnection(mailbox: $0, environment: environment, log: log) }) { box in
            CurlMailboxSource(mailbox: box, environment: environment, log: log)
        }
        if inv.arguments.value("log-level") != nil { service.logLevelOverride = level }
        do {
            try service.run(once: inv.arguments.has("once"))
        } catch let failed as Service.OnceFailed {
            throw CLIError(failed.condition == .busy ? .tempFail : .ioError, "postdesk: \(failed)")
        } catch let busy as ProcessLock.Busy {
            throw CLIError(.tempFail, "postdesk: \(busy)")
        } catch let error as StoreError {
            log.error("service.store_failed", ["error": "\(error)"])
            throw CLIError(error.isBusy ? .tempFail : .ioError, "postdesk: \(error)")
        }
        return .ok
    }
}
