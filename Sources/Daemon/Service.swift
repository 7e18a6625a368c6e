import Foundation
import Store
import Ticketing

/// `postdesk run`: the daemon. Polls every mailbox each `poll_interval`, talks to systemd
/// (READY, STATUS, WATCHDOG, RELOADING, STOPPING), reloads on SIGHUP, and stops cleanly on
/// SIGTERM after the message in hand.
public final class Service {
    public typealias SourceFactory = (MailboxConfig) -> MailboxSource
    public typealias SenderFactory = (SMTPConfig) -> MailSender

    private(set) var config: Config
    let configPath: String
    let databaseOverride: String?
    let clock: any Clock
    let log: Log
    let environment: [String: String]
    let makeSource: SourceFactory
    let makeSender: SenderFactory?
    private var outboxSender: OutboxSender?
    private var pollers: [Poller] = []
    private var db: Database!
    private var intake: Intake!
    private var lock: ProcessLock?
    private var metrics: Metrics
    public let notifier: SystemdNotifier
    let signals: SignalWatcher?

    public init(config: Config, configPath: String, databaseOverride: String?, environment: [String: String],
                clock: any Clock, log: Log, signals: SignalWatcher?, makeSender: SenderFactory? = nil,
                makeSource: @escaping SourceFactory) {
        self.makeSender = makeSender
        self.config = config
        self.configPath = configPath
        self.databaseOverride = databaseOverride
        self.environment = environment
        self.clock = clock
        self.log = log
        self.signals = signals
        self.makeSource = makeSource
        self.notifier = SystemdNotifier(environment: environment)
        self.metrics = Metrics(mailboxNames: config.mailboxes.map(\.name))
    }

    var databasePath: String { databaseOverride ?? config.database }

    /// Opens the store (migrating it) and takes the poller lock.
    public func start() throws {
        if databasePath != ":memory:" {
            let dir = (databasePath as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            lock = try ProcessLock(databasePath: databasePath)
        }
        db = try Store.open(path: databasePath, now: clock.unixSeconds())
        let key = try SigningKeyFile.loadOrCreate(path: config.signingKeyFile)
        intake = Intake(db: db, config: config, clock: clock, log: log, signingKey: key)
        if let totals = try? Metrics.fromStore(db, mailboxNames: config.mailboxes.map(\.name)) { metrics = totals }
        buildPollers()
        log.info("service.started", ["mailboxes": config.mailboxes.count, "database": databasePath,
                                     "poll_interval_s": config.pollInterval])
    }

    private func buildPollers() {
        outboxSender?.sender.close()
        outboxSender = nil
        if let smtp = config.smtp, let makeSender {
            let sender = OutboxSender(db: db, sender: makeSender(smtp), clock: clock, log: log)
            sender.shouldStop = { [weak self] in self?.signals?.stopRequested ?? false }
            outboxSender = sender
        }
        for poller in pollers { poller.closeSource() }
        pollers = config.mailboxes.map { box in
            let poller = Poller(mailbox: box, source: makeSource(box), intake: intake, clock: clock, log: log)
            poller.shouldStop = { [weak self] in
                guard let self else { return true }
                // Called between messages: the loop is alive, so this is where the watchdog is fed.
                _ = self.notifier.watchdogIfDue()
                return self.signals?.stopRequested ?? false
            }
            return poller
        }
    }

    /// Polls every due mailbox once and returns the reports.
    public func pollAll() -> [PollReport] {
        var reports: [PollReport] = []
        for poller in pollers {
            if signals?.stopRequested ?? false { break }
            let report = poller.pollIfDue()
            reports.append(report)
            if report.skippedUntil == nil {
                metrics.recordPoll(mailbox: report.mailbox, seconds: report.durationSeconds,
                                   succeededAt: report.ok ? clock.unixSeconds() : nil)
                metrics.recordIngested(mailbox: report.mailbox, count: report.imported + report.duplicates + report.ownMail)
                metrics.recordQuarantined(mailbox: report.mailbox, count: report.quarantined)
                if !report.ok { metrics.recordIMAPError(mailbox: report.mailbox, kind: "poll") }
            }
        }
        if let outboxSender {
            let sent = outboxSender.flush()
            for kind in sent.errorKinds { metrics.recordSMTPError(kind: kind) }
        }
        afterPoll(reports)
        return reports
    }

    private func afterPoll(_ reports: [PollReport]) {
        let ok = reports.filter(\.ok).count
        let new = reports.reduce(0) { $0 + $1.newMessages }
        let held = (try? QuarantineStore(db: db).heldCount()) ?? 0
        let outbox = (try? OutboxStore(db: db).count(status: "pending")) ?? 0
        let summary = "\(ok)/\(config.mailboxes.count) mailboxes ok, \(new) new, outbox \(outbox), quarantine \(held)"
        _ = notifier.status(summary)
        log.debug("service.polled", ["summary": summary])
        refreshStoreMetrics()
        if let path = config.metricsFile {
            do { try MetricsFile(path: path).write(metrics) } catch {
                log.warning("metrics.write_failed", ["path": path, "error": "\(error)"])
            }
        }
    }

    private func refreshStoreMetrics() {
        var byStatus: [TicketStatus: Int] = [:]
        for row in (try? db.query("SELECT status, COUNT(*) AS n FROM tickets GROUP BY status")) ?? [] {
            if let s = TicketStatus(rawValue: row.text("status")) { byStatus[s] = Int(row.int("n")) }
        }
        metrics.tickets = byStatus
        metrics.outboxPending = Int((try? db.row("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")?.int("n")) ?? 0)
        metrics.outboxFailed = Int((try? db.row("SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed'")?.int("n")) ?? 0)
    }

    /// Re-reads the config; keeps the running one when the new one is invalid.
    public func reload() {
        _ = notifier.reloading()
        do {
            let fresh = try Config.load(path: configPath)
            config = fresh
            intake.config = fresh
            log.level = fresh.logLevel
            buildPollers()
            log.info("service.reloaded", ["mailboxes": fresh.mailboxes.count])
        } catch {
            log.error("service.reload_rejected", ["reason": "\(error)", "kept": "running config"])
        }
        _ = notifier.ready()
    }

    /// The main loop. `once`: poll each mailbox once and return (cron, tests).
    public func run(once: Bool) throws {
        try start()
        _ = notifier.ready(status: "started, \(config.mailboxes.count) mailboxes")
        defer {
            _ = notifier.stopping()
            for poller in pollers { poller.closeSource() }
            log.info("service.stopped", [:])
        }
        while true {
            _ = notifier.watchdogIfDue()
            _ = pollAll()
            if once || (signals?.stopRequested ?? false) { return }
            // Sleep until the next poll, waking for signals and to feed the watchdog.
            let deadline = clock.now().addingTimeInterval(TimeInterval(config.pollInterval))
            while clock.now() < deadline {
                let slice = min(deadline.timeIntervalSince(clock.now()), notifier.watchdogInterval.map { Double($0.components.seconds) + 0.001 } ?? 1.0, 1.0)
                if let signals {
                    signals.wait(timeout: .milliseconds(Int(max(slice, 0.01) * 1000)))
                    if signals.stopRequested { return }
                    if signals.takeReloadRequest() { reload() }
                } else {
                    Thread.sleep(forTimeInterval: max(slice, 0.01))
                }
                _ = notifier.watchdogIfDue()
            }
        }
    }
}

extension Poller {
    func closeSource() { source.close() }
}
