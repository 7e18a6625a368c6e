import Foundation
import Store
import Ticketing

/// `postdesk run`: the daemon. Polls every mailbox each `poll_interval`, talks to systemd
/// (READY, STATUS, WATCHDOG, RELOADING, STOPPING), reloads on SIGHUP, and stops cleanly on
/// SIGTERM after the message in hand.
public final class Service {
    public typealias SourceFactory = (MailboxConfig) -> MailboxSource
    public typealias SenderFactory = (SMTPConfig) -> MailSender
    public typealias IdleFactory = (MailboxConfig) -> IdleConnection

    private(set) var config: Config
    let configPath: String
    let databaseOverride: String?
    let clock: any Clock
    let log: Log
    let environment: [String: String]
    let makeSource: SourceFactory
    let makeSender: SenderFactory?
    let makeIdle: IdleFactory?
    /// IDLE listeners while `run` runs (not with `once`): news makes the main loop poll at once.
    private var listeners: IdleWatchers?
    /// Seconds between IDLE renewals (RFC 2177: under 29 minutes).
    public var idleRenewal: Double = 25 * 60
    private var outboxSender: OutboxSender?
    private var pollers: [Poller] = []
    private var db: Database!
    private var intake: Intake!
    private var slaScheduler: SLAScheduler!
    private var lock: ProcessLock?
    /// Checkpoints the store's log on its own thread while `run` is running.
    private var checkpointer: WALCheckpointer?
    private var metrics: Metrics
    public let notifier: SystemdNotifier
    let signals: SignalWatcher?
    /// `--log-level` from the command line: wins over the config's level, also after a reload.
    public var logLevelOverride: LogLevel?
    private var stopAnnounced = false
    /// The store's condition as last logged (nil: writable).
    private var storeCondition: StoreCondition?
    private var loadedKeyFile = ""
    /// Batches of SLA re-timing (after changed SLA settings) done per pass between polls; each
    /// batch is one transaction, and the watchdog is fed between them.
    public var retimeBatchesPerPass = 20

    public init(config: Config, configPath: String, databaseOverride: String?, environment: [String: String],
                clock: any Clock, log: Log, signals: SignalWatcher?, makeSender: SenderFactory? = nil,
                makeIdle: IdleFactory? = nil, makeSource: @escaping SourceFactory) {
        self.makeSender = makeSender
        self.makeIdle = makeIdle
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
        // Each message is ingested in a savepoint of its batch's transaction (so a bad one is
        // undone alone and quarantined). SQLite keeps the before-images of the pages a savepoint
        // changes in a sub-journal, a temporary file by default: 7 of every 8 bytes the intake
        // wrote (180 KB a message). In memory it holds one message's pages and is emptied at
        // each release; a crash loses nothing more, since the batch is not committed yet.
        try db.execute("PRAGMA temp_store=MEMORY")
        // Durable at each commit (an fsync of the log per batch, not only at checkpoints): right
        // after a commit the intake flags or moves the mail on the server and the outbox marks a
        // mail handed over or sent, so a commit lost to a power cut (which `NORMAL` allows in WAL
        // mode; a process crash never loses one) would lose a message the server no longer
        // offers, or send a mail twice.
        try db.execute("PRAGMA synchronous=FULL")
        let key = try SigningKeyFile.loadOrCreate(path: config.signingKeyFile)
        loadedKeyFile = config.signingKeyFile
        intake = Intake(db: db, config: config, clock: clock, log: log, signingKey: key)
        slaScheduler = SLAScheduler(intake: intake, clock: clock, log: log)
        // SLA settings changed while the daemon was down: re-time the open tickets, as a reload
        // does, in batches between polls once READY is sent (a large store would outlast the start timeout).
        slaScheduler.beginRetimeIfSettingsChanged()
        if let totals = try? Metrics.fromStore(db, mailboxNames: config.mailboxes.map(\.name)) { metrics = totals }
        buildPollers()
        // Last, once nothing else in start-up can fail: `run` stops it on the way out. Without
        // it (the second connection would not open) SQLite checkpoints in the commits as usual.
        if databasePath != ":memory:" {
            do {
                let checkpointer = try WALCheckpointer(writer: db)
                checkpointer.onError = { [log] error in log.warning("store.checkpoint_failed", ["error": "\(error)"]) }
                checkpointer.start()
                self.checkpointer = checkpointer
            } catch {
                log.warning("store.checkpointer_unavailable", ["error": "\(error)"])
            }
        }
        if config.agentWorkflow.proof == .none {
            log.warning("config.agent_proof_off", ["reason": "agent_proof is none: a From header naming an agent is taken as the agent"])
        }
        log.info("service.started", ["mailboxes": config.mailboxes.count, "database": databasePath,
                                     "poll_interval_s": config.pollInterval])
    }

    private func buildPollers() {
        outboxSender?.sender.close()
        outboxSender = nil
        if let smtp = config.smtp, let makeSender {
            let sender = OutboxSender(db: db, sender: makeSender(smtp), clock: clock, log: log)
            sender.maxAge = Int64(config.notifications.outboxMaxAge)
            // Between sends, like the pollers between messages: feed the watchdog, notice a stop.
            sender.shouldStop = { [weak self] in self?.aliveAndStopRequested() ?? true }
            outboxSender = sender
        }
        for poller in pollers { poller.closeSource() }
        pollers = config.mailboxes.map { box in
            let poller = Poller(mailbox: box, source: makeSource(box), intake: intake, clock: clock, log: log)
            // Called between messages: the loop is alive, so this is where the watchdog is fed.
            poller.shouldStop = { [weak self] in self?.aliveAndStopRequested() ?? true }
            return poller
        }
    }

    /// Called between messages and sends: pings the watchdog when due, and on the first look at
    /// a stop request tells systemd the service is stopping (it finishes what is in hand first).
    private func aliveAndStopRequested() -> Bool {
        _ = notifier.watchdogIfDue()
        guard signals?.stopRequested ?? false else { return false }
        announceStopping("stopping: finishing the message in hand")
        return true
    }

    /// `STOPPING=1`, once.
    private func announceStopping(_ status: String = "stopping") {
        guard !stopAnnounced else { return }
        stopAnnounced = true
        _ = notifier.stopping(status: status)
    }

    /// Polls every due mailbox once (or those in `only`) and returns the reports.
    public func pollAll(only: Set<String>? = nil) -> [PollReport] {
        var reports: [PollReport] = []
        for poller in pollers where only?.contains(poller.mailbox.name) ?? true {
            if signals?.stopRequested ?? false { break }
            let report = poller.pollIfDue()
            reports.append(report)
            if report.skippedUntil == nil {
                metrics.recordPoll(mailbox: report.mailbox, seconds: report.durationSeconds,
                                   succeededAt: report.ok ? clock.unixSeconds() : nil)
                metrics.recordIngested(mailbox: report.mailbox, count: report.imported + report.duplicates + report.ownMail)
                metrics.recordQuarantined(mailbox: report.mailbox, count: report.quarantined)
                if report.ok { metrics.mailboxes[report.mailbox, default: Metrics.Mailbox()].unaccounted = Int(report.unaccounted) }
                if !report.ok && report.storeCondition == nil { metrics.recordIMAPError(mailbox: report.mailbox, kind: "poll") }
            }
        }
        // Tickets that waited for someone to come on duty (the injected clock decides when).
        PendingAssignments(db: db, config: config, clock: clock, log: log, notifier: intake.router.notifier).tick()
        // Re-timing after changed SLA settings goes on a few batches per pass; the tick then acts
        // only on tickets already re-timed.
        if !(signals?.stopRequested ?? false) {
            slaScheduler.advanceRetime(batches: retimeBatchesPerPass) { [weak self] in self?.aliveAndStopRequested() ?? true }
        }
        // SLA alerts and auto-close before the flush, so their mails leave in this pass.
        if !(signals?.stopRequested ?? false) { slaScheduler.tick() }
        if let outboxSender {
            let sent = outboxSender.flush()
            for kind in sent.errorKinds { metrics.recordSMTPError(kind: kind) }
        }
        afterPoll(reports)
        return reports
    }

    private func afterPoll(_ reports: [PollReport]) {
        recordListenModes()
        indexOlderMessages()
        do { try metrics.refreshGauges(from: db) } catch {
            log.warning("metrics.store_read_failed", ["error": "\(error)"])
        }
        let ok = reports.filter(\.ok).count
        let new = reports.reduce(0) { $0 + $1.newMessages }
        let held = (try? QuarantineStore(db: db).heldCount()) ?? 0
        var summary = "\(ok)/\(config.mailboxes.count) mailboxes ok, \(new) new, outbox \(metrics.outboxPending), quarantine \(held)"
        noteStoreCondition(reports)
        if let condition = storeCondition {
            // What `systemctl status postdesk` shows first: the mail waits on the server.
            summary = "\(condition.words): mail waits on the server until it is fixed; " + summary
        }
        _ = notifier.status(summary)
        log.debug("service.polled", ["summary": summary])
        if let path = config.metricsFile {
            do { try MetricsFile(path: path).write(metrics) } catch {
                log.warning("metrics.write_failed", ["path": path, "error": "\(error)"])
            }
        }
    }

    /// Messages stored before the search index existed are indexed a batch per poll, so an
    /// upgraded store becomes searchable without holding up intake (`postdesk migrate` does all).
    private func indexOlderMessages() {
        do {
            let n = try SearchIndex(db: db).backfill(limit: 200) { SearchText.body(raw: $0.raw) }
            if n > 0 { log.info("search.backfill", ["messages": n]) }
        } catch {
            log.warning("search.backfill_failed", ["error": "\(error)"])
        }
    }

    /// Logs the store's condition once per change (`store.failing reason=store-full`, then
    /// `store.recovered`), not once per mailbox and poll. A mailbox in backoff reports the
    /// condition it last failed with; a successful poll clears it.
    private func noteStoreCondition(_ reports: [PollReport]) {
        let failing = reports.compactMap(\.storeCondition).first
        let polledOK = reports.contains { $0.ok && $0.skippedUntil == nil }
        let now: StoreCondition? = failing ?? (polledOK ? nil : storeCondition)
        guard now != storeCondition else { return }
        if let now {
            let space = db.path == ":memory:" ? nil : FilesystemSpace.of(Doctor.directory(of: db.path))
            log.error("store.failing", ["reason": now.rawValue, "database": db.path, "free_bytes": space.map { Int64($0.free) },
                                        "read_only_filesystem": space?.readOnly, "hint": now.advice])
        } else if let before = storeCondition {
            log.info("store.recovered", ["was": before.rawValue])
        }
        storeCondition = now
    }

    /// Re-reads the config; keeps the running one when the new one is invalid.
    public func reload() {
        _ = notifier.reloading()
        do {
            let fresh = try Config.load(path: configPath)
            // The open store and the loaded signing key stay; changing them needs a restart.
            if databaseOverride == nil && fresh.database != db.path {
                log.warning("service.reload_needs_restart", ["key": "database", "running": db.path, "configured": fresh.database])
            }
            if fresh.signingKeyFile != loadedKeyFile {
                log.warning("service.reload_needs_restart", ["key": "signing_key_file", "running": loadedKeyFile, "configured": fresh.signingKeyFile])
            }
            config = fresh
            intake.config = fresh
            // Stored deadlines were computed under the old policies: re-time them from history
            // (in batches between polls, from the next pass on).
            slaScheduler.beginRetimeIfSettingsChanged()
            log.level = logLevelOverride ?? fresh.logLevel
            buildPollers()
            if listeners != nil { startListeners() }
            log.info("service.reloaded", ["mailboxes": fresh.mailboxes.count, "log_level": log.level.rawValue])
        } catch {
            log.error("service.reload_rejected", ["reason": "\(error)", "kept": "running config"])
        }
        _ = notifier.ready()
    }

    /// `run(once: true)` whose poll could not store mail: nothing was taken in or flagged.
    public struct OnceFailed: Error, CustomStringConvertible {
        public let condition: StoreCondition
        public var description: String { "\(condition.words): mail not stored waits on the server; fix it and run again (see the log)" }
    }

    /// The main loop. `once`: poll each mailbox once and return (cron, tests); throws
    /// `OnceFailed` when the store failed during that poll.
    public func run(once: Bool) throws {
        AllocatorSettings.apply()
        try start()
        // One pass is all cron's `--once` gets: it finishes any re-time (each batch still its own transaction).
        if once { retimeBatchesPerPass = .max }
        _ = notifier.ready(status: "started, \(config.mailboxes.count) mailboxes")
        if !once { startListeners() }
        defer {
            announceStopping()
            listeners?.stop()
            recordListenModes()
            for poller in pollers { poller.closeSource() }
            checkpointer?.stop()
            checkpointer = nil
            log.info("service.stopped", [:])
        }
        while true {
            _ = notifier.watchdogIfDue()
            let retimeBefore = slaScheduler.retimedThrough
            _ = pollAll()
            // Cron and scripts see a store that could not take the mail (it waits on the server).
            if once, let storeCondition { throw OnceFailed(condition: storeCondition) }
            if once || (signals?.stopRequested ?? false) { return }
            if let retimed = slaScheduler.retimedThrough, retimed != retimeBefore {
                // Re-timing SLA clocks: the next pass at once (mailboxes still poll only when due);
                // a pass that got nowhere (a failing batch) waits for the next poll like any retry.
                if signals?.takeReloadRequest() ?? false { reload() }
                continue
            }
            // Sleep until the next poll, waking for signals and to feed the watchdog.
            let slept = clock.now()
            let deadline = slept.addingTimeInterval(TimeInterval(config.pollInterval))
            // A clock set back (by hand, or a test's clock file) ends the wait instead of stretching it.
            while clock.now() < deadline && clock.now() >= slept {
                // Wake at least every second (signals also wake us), and at half the ping interval,
                // so no gap between pings exceeds 1.5 × interval = ¾ of WATCHDOG_USEC.
                let ping = notifier.watchdogInterval.map { Double(SignalWatcher.microseconds($0)) / 2_000_000 } ?? 1.0
                let slice = min(deadline.timeIntervalSince(clock.now()), ping, 1.0)
                if let signals {
                    signals.wait(timeout: .milliseconds(Int(max(slice, 0.01) * 1000)), until: { listeners?.hasNews ?? false })
                    if signals.stopRequested {
                        announceStopping()
                        return
                    }
                    if signals.takeReloadRequest() { reload() }
                } else {
                    Thread.sleep(forTimeInterval: max(slice, 0.01))
                }
                _ = notifier.watchdogIfDue()
                // A listener heard news: the normal poll of those mailboxes, now (the interval stays the safety net).
                if let news = listeners?.takeNews(), !news.isEmpty { _ = pollAll(only: news) }
            }
        }
    }
}

extension Service {
    /// One IDLE listener per mailbox that wants it; `poll_interval` polls the others (and all, as a net).
    private func startListeners() {
        guard let makeIdle else { return }
        let watchers = listeners ?? IdleWatchers(wake: { SignalWatcher.nudge() })
        watchers.start(config.mailboxes, log: log, renewAfter: idleRenewal, connect: makeIdle)
        listeners = watchers
        recordListenModes()
    }

    /// Writes what each mailbox is doing (`idle`, `polling`) where `postdesk mailboxes` reads it.
    private func recordListenModes() {
        guard let modes = listeners?.takeModes(), !modes.isEmpty else { return }
        let store = MailboxStore(db: db)
        for (mailbox, state) in modes {
            do { try store.setListenMode(mailbox, mode: state.mode, detail: state.detail, now: clock.unixSeconds()) } catch {
                log.warning("mailbox.mode_not_recorded", ["mailbox": mailbox, "error": "\(error)"])
            }
        }
    }
}

extension Poller {
    func closeSource() { source.close() }
}
