import Foundation
import Store
import Ticketing
import Transport

/// What one poll of one mailbox did.
public struct PollReport: Sendable, Equatable {
    public var mailbox: String
    public var ok = true
    public var error: String?
    public var imported = 0
    public var duplicates = 0
    public var quarantined = 0
    public var ownMail = 0
    /// UIDs listed again that were already taken in (after a fetch gap moved the cursor back).
    public var alreadyTaken = 0
    /// UIDs the server listed but did not return in the fetch; the cursor stays below them.
    public var notReturned = 0
    public var actionsApplied = 0
    public var serverMessages: Int64 = 0
    public var bytes: Int64 = 0
    public var durationSeconds: Double = 0
    public var skippedUntil: Int64?
    /// Folder messages at or below the cursor that no delivery accounts for (the count alarm).
    public var unaccounted: Int64 = 0
    /// Skipped UIDs found by the reconciliation and taken up again this poll.
    public var recovered = 0
    /// Set when the poll failed for the store's sake (full, read-only, …), not the server's.
    public var storeCondition: StoreCondition?
    public init(mailbox: String) { self.mailbox = mailbox }
    public var newMessages: Int { imported + duplicates + quarantined + ownMail }
}

/// Polls one mailbox: reads UIDVALIDITY, redoes after-import actions left by a crash, walks
/// every UID above the cursor in bounded batches (never UNSEEN, never a date window), ingests
/// each message in its own transaction, and only then applies the after-import action.
public final class Poller {
    public let mailbox: MailboxConfig
    let source: MailboxSource
    let intake: Intake
    let store: MailboxStore
    let clock: any Clock
    let log: Log
    public var batchSize: Int
    public var batchBytes: Int64
    /// Batches fetched back to back before the after-import actions are applied: with 200 a
    /// batch, flags lag the import by at most 5 000 messages (a few seconds).
    public var batchesPerRun = 25
    public private(set) var health = MailboxHealth()
    /// The cursor when this poll began: UIDs at or below it are skipped ones taken up again.
    private var reconcileFloor: Int64 = 0
    /// The last unaccounted count, so the alarm is logged when it changes, not every poll.
    private var lastUnaccounted: Int64 = 0
    /// This poll's reconciliation, for the count after the poll went through.
    private var reconciliation: Reconciliation?
    /// Random numbers for backoff jitter; replaceable in tests.
    var jitter: () -> Double = { Double.random(in: 0...1) }
    /// Checked between messages so a stop request finishes the message in hand and no more.
    public var shouldStop: () -> Bool = { false }

    public init(mailbox: MailboxConfig, source: MailboxSource, intake: Intake, clock: any Clock, log: Log,
                batchSize: Int = 200, batchBytes: Int64 = 64 << 20) {
        self.mailbox = mailbox
        self.source = source
        self.intake = intake
        self.store = MailboxStore(db: intake.db)
        self.clock = clock
        self.log = log
        self.batchSize = batchSize
        self.batchBytes = batchBytes
    }

    /// Polls unless the mailbox is in backoff. Never throws: failures are reported and retried.
    public func pollIfDue() -> PollReport {
        let now = clock.unixSeconds()
        guard health.due(now: now) else {
            var r = PollReport(mailbox: mailbox.name)
            r.ok = false
            r.error = health.lastError
            r.skippedUntil = health.nextAttemptAt
            r.storeCondition = health.lastKind.flatMap(StoreCondition.init(rawValue:))
            return r
        }
        return poll()
    }

    public func poll() -> PollReport {
        let started = clock.now()
        var report = PollReport(mailbox: mailbox.name)
        do {
            reconciliation = nil
            try pollOnce(&report)
            if let reconciliation, !shouldStop() { countUnaccounted(reconciliation, report: &report) }
            if health.succeeded(now: clock.unixSeconds()) {
                log.info("mailbox.recovered", ["mailbox": mailbox.name])
            }
        } catch {
            source.close()
            report.ok = false
            report.error = Poller.describe(error)
            let permanent = (error as? TransportErrorLike)?.isPermanent ?? false
            // A store failure backs off like a server error. Its state is the condition, not the
            // message text (which names the statement that hit the full disk), so a store that
            // stays full is logged once, not once per statement that happens to fail.
            let condition = (error as? StoreError)?.condition
            report.storeCondition = condition
            if health.failed(now: clock.unixSeconds(), error: report.error!, kind: condition?.rawValue,
                             permanent: permanent, jitter: jitter()) {
                let retry = health.nextAttemptAt - clock.unixSeconds()
                if let condition {
                    log.error("mailbox.failing", ["mailbox": mailbox.name, "reason": condition.rawValue, "error": report.error,
                                                  "retry_in_s": retry, "database": intake.db.path, "hint": condition.advice])
                } else {
                    let fields: KeyValuePairs<String, Any?> = ["mailbox": mailbox.name, "reason": "server", "error": report.error,
                                                               "retry_in_s": retry]
                    if permanent { log.error("mailbox.failing", fields) } else { log.warning("mailbox.failing", fields) }
                }
            }
        }
        report.durationSeconds = clock.now().timeIntervalSince(started)
        try? store.recordPoll(mailbox.name, now: clock.unixSeconds(), error: report.error,
                              // A store failure comes after the server answered: its count is true.
                              serverMessages: report.ok || report.storeCondition != nil ? report.serverMessages : nil,
                              unaccounted: report.ok ? report.unaccounted : nil)
        return report
    }

    static func describe(_ error: Error) -> String {
        String("\(error)".prefix(300))
    }

    private func pollOnce(_ report: inout PollReport) throws {
        let snapshot = try source.open()
        report.serverMessages = snapshot.exists
        let now = clock.unixSeconds()
        var cursor = try store.cursor(mailbox.name)
        if let c = cursor, c.uidValidity != 0, c.uidValidity != snapshot.uidValidity {
            // The server renumbered the folder: walk it again; known messages are matched
            // by Message-ID + content hash, not imported twice.
            log.warning("mailbox.uidvalidity_changed", ["mailbox": mailbox.name, "old": c.uidValidity, "new": snapshot.uidValidity])
            _ = try store.abandonActions(mailbox: mailbox.name, otherThan: snapshot.uidValidity, now: now)
            try store.setCursor(mailbox.name, uidValidity: snapshot.uidValidity, lastUID: 0, now: now)
            cursor = try store.cursor(mailbox.name)
        } else if cursor == nil || cursor?.uidValidity == 0 {
            try store.setCursor(mailbox.name, uidValidity: snapshot.uidValidity, lastUID: cursor?.lastUID ?? 0, now: now)
            cursor = try store.cursor(mailbox.name)
        }

        // Actions committed but not confirmed applied (a crash, or the server went away).
        report.actionsApplied += try applyPendingActions(uidValidity: snapshot.uidValidity)

        let lastUID = cursor?.lastUID ?? 0
        let fresh = try source.listUIDs(above: lastUID).filter { $0.uid > lastUID }
        // The deliveries table is the truth, the cursor an optimisation: what the folder holds
        // at or below the cursor without a delivery row was skipped (by a fault, a bug, or a
        // server that listed out of order) and is taken in now like new mail.
        let folder = try Reconciliation(uidValidity: snapshot.uidValidity, cursor: lastUID,
                                        folder: lastUID > 0 ? source.allUIDs(exists: snapshot.exists) : UIDSet([UInt32]()),
                                        store: store, mailbox: mailbox.name)
        let recovered = folder.skipped.isEmpty ? [] : try source.sizes(of: folder.skipped)
        report.recovered = recovered.count
        reconcileFloor = lastUID
        reconciliation = folder
        let listed = recovered + fresh
        guard !listed.isEmpty else { return }

        // Bounded batches, fetched back to back by one pipe (a run); an oversized message is
        // taken on its own between runs.
        var steps: [PollStep] = []
        var batch: [(uid: Int64, size: Int64)] = []
        var batchSize: Int64 = 0
        func endBatch() {
            guard !batch.isEmpty else { return }
            steps.append(.batch(batch))
            batch.removeAll()
            batchSize = 0
        }
        for item in listed {
            if item.size > Int64(intake.config.maxMessageBytes) {
                endBatch()
                steps.append(.oversized(item))
                continue
            }
            batch.append(item)
            batchSize += item.size
            if batch.count >= self.batchSize || batchSize >= batchBytes { endBatch() }
        }
        endBatch()

        var next = 0
        // After a fetch gap the cursor sits below it: later UIDs wait for the next poll, or
        // the cursor would jump the gap again.
        while next < steps.count, !shouldStop(), report.notReturned == 0 {
            switch steps[next] {
            case .oversized(let item):
                try ingestOversized(item, uidValidity: snapshot.uidValidity, report: &report)
                next += 1
            case .batch:
                var run: [[(uid: Int64, size: Int64)]] = []
                while next < steps.count, run.count < batchesPerRun, case .batch(let b) = steps[next] {
                    run.append(b)
                    next += 1
                }
                try ingestRun(run, uidValidity: snapshot.uidValidity, report: &report)
            }
        }
        guard report.notReturned == 0 else { return }

        // Counting alarm: the server listed N new UIDs; each must have become exactly one delivery.
        let accounted = report.newMessages + report.alreadyTaken
        if accounted != listed.count && !shouldStop() {
            log.warning("mailbox.count_mismatch", ["mailbox": mailbox.name, "server_new": listed.count, "taken": accounted,
                                                   "not_returned": report.notReturned])
        }
    }

    /// Counts what the folder holds at or below the cursor that no delivery accounts for: a
    /// skipped UID that could not be taken in this time, and (for `move`/`delete`) a message
    /// whose action was confirmed but which is still there. Logged when the number changes.
    private func countUnaccounted(_ folder: Reconciliation, report: inout PollReport) {
        do {
            let (missing, stayed) = try folder.unaccounted(store: store, mailbox: mailbox.name, afterImport: mailbox.afterImport)
            report.unaccounted = Int64(missing.count + stayed.count)
            if report.unaccounted != lastUnaccounted, report.unaccounted > 0 {
                log.warning("mailbox.count_mismatch", ["mailbox": mailbox.name, "unaccounted": report.unaccounted,
                                                       "not_taken": missing.count, "first_not_taken": missing.first,
                                                       "acted_on_but_still_there": stayed.count, "first_still_there": stayed.first])
            }
            lastUnaccounted = report.unaccounted
        } catch {
            // Counting is advice; a store that cannot answer now fails the next poll anyway.
            log.debug("mailbox.count_failed", ["mailbox": mailbox.name, "error": "\(error)"])
        }
    }

    /// Fetches a run of batches through one pipe and ingests each batch in ONE transaction
    /// (each message in its own savepoint, so a poisonous one is quarantined alone). The next
    /// batch downloads while this one commits. Deliveries and the cursor commit with the
    /// messages; only then are outcomes logged, and after-import actions are applied when the
    /// run has ended. A connection lost half-way still commits what arrived; a store failure
    /// rolls the batch in hand back for the next poll.
    private func ingestRun(_ batches: [[(uid: Int64, size: Int64)]], uidValidity: Int64, report: inout PollReport) throws {
        let action = mailbox.afterImport.description
        let box = UncheckedBox(value: source)
        let pipe = FetchPipe.start(batches: batches.map { $0.map(\.uid) }, prepare: intake.earlyPreparer) { uids, deliver in
            try box.value.fetch(uids: uids) { uid, raw in try deliver(uid, raw) }
        }
        var stopped = false
        var fetchEnded = false
        // Whatever ends this function early (a store error), the fetch thread lets go of the
        // connection before anyone else uses it. Both calls are no-ops once it has finished.
        defer {
            pipe.cancel()
            _ = pipe.finish()
        }
        for batch in batches {
            var processed: [(uid: Int64, outcome: IntakeOutcome, started: Date, ended: Date)] = []
            var bytes: Int64 = 0
            var missing: [Int64] = []
            // A store failure throws out of here with nothing of this batch committed; the
            // defer above frees the connection.
            try intake.batch {
                while let item = pipe.next() {
                    guard case .message(let uid, let raw, let prepared) = item else {
                        // The batch is complete. The server may not return a UID that vanished
                        // between listing and fetching, or after a hiccup: the cursor goes back
                        // below the first such UID in this same transaction, so it never
                        // jumps one (the next poll asks again; what was taken above it is
                        // recognised by its delivery row, never stored twice).
                        try intake.writeDeferredCursors()  // the batch's messages moved it; read it as they left it
                        let returned = Set(processed.map(\.uid))
                        missing = batch.map(\.uid).filter { !returned.contains($0) }
                        // A skipped UID taken up again is not a reason to move the cursor:
                        // the next reconciliation asks for it again anyway.
                        if let first = missing.filter({ $0 > reconcileFloor }).min(), let cursor = try store.cursor(mailbox.name), cursor.lastUID >= first {
                            try store.setCursor(mailbox.name, uidValidity: uidValidity, lastUID: first - 1, now: clock.unixSeconds())
                        }
                        return
                    }
                    let started = clock.now()
                    let key = DeliveryKey(mailbox: mailbox.name, uidValidity: uidValidity, uid: uid, action: action)
                    let outcome = try intake.ingest(raw: raw, key: key, prepared: prepared)
                    bytes += Int64(raw.count)
                    processed.append((uid, outcome, started, clock.now()))
                    if shouldStop() {
                        stopped = true
                        pipe.cancel()
                    }
                }
                fetchEnded = true
            }
            report.bytes += bytes
            for p in processed {
                record(p.outcome, uid: p.uid, into: &report, milliseconds: Int(p.ended.timeIntervalSince(p.started) * 1000))
            }
            if stopped || fetchEnded { break }
            if let first = missing.min() {
                // Later batches must wait for the next poll. Those already on their way are read
                // and dropped, so the connection stays usable for the after-import actions.
                report.notReturned += missing.count
                log.info("mailbox.fetch_gap", ["mailbox": mailbox.name, "uids": missing.count, "first": first])
                pipe.stopAfterCurrentBatch()
                while pipe.next() != nil {
                    if !stopped && shouldStop() {  // also feeds the watchdog while draining
                        stopped = true
                        pipe.cancel()
                    }
                }
                break
            }
        }
        var fetchError = pipe.finish()
        if fetchError is FetchStopped { fetchError = nil }
        if let fetchError { throw fetchError }
        // When stopping, the connection was dropped mid-fetch; the next start applies the actions.
        guard !stopped else { return }
        report.actionsApplied += try applyPendingActions(uidValidity: uidValidity)
    }

    private func ingestOversized(_ item: (uid: Int64, size: Int64), uidValidity: Int64, report: inout PollReport) throws {
        let key = DeliveryKey(mailbox: mailbox.name, uidValidity: uidValidity, uid: item.uid, action: mailbox.afterImport.description)
        // Keep the bytes: quarantine must let an operator retry after raising the limit.
        try source.fetch(uids: [item.uid]) { uid, raw in
            let started = clock.now()
            let outcome = try intake.quarantineOversized(raw: raw, key: key, declaredSize: item.size)
            report.bytes += Int64(raw.count)
            record(outcome, uid: uid, into: &report, milliseconds: Int(clock.now().timeIntervalSince(started) * 1000))
        }
        report.actionsApplied += try applyPendingActions(uidValidity: uidValidity)
    }

    private func record(_ outcome: IntakeOutcome, uid: Int64, into report: inout PollReport, milliseconds ms: Int) {
        if uid <= reconcileFloor {
            // Below the cursor, so skipped before: said once, when it is finally taken in.
            log.warning("mailbox.recovered_skipped", ["mailbox": mailbox.name, "uid": uid, "outcome": outcome.label])
        }
        switch outcome {
        case .imported(let ticket, let row, let decision):
            report.imported += 1
            log.info("intake.accepted", ["mailbox": mailbox.name, "uid": uid, "message": row, "ticket": ticket,
                                         "decision": decision, "duration_ms": ms])
        case .duplicate(let row):
            report.duplicates += 1
            log.info("intake.duplicate", ["mailbox": mailbox.name, "uid": uid, "message": row, "duration_ms": ms])
        case .quarantined(let id, let reason):
            report.quarantined += 1
            log.warning("intake.quarantined", ["mailbox": mailbox.name, "uid": uid, "quarantine": id, "reason": reason])
        case .ownMail(let row, let reason):
            report.ownMail += 1
            log.info("intake.own_mail_dropped", ["mailbox": mailbox.name, "uid": uid, "message": row, "reason": reason])
        case .alreadyTaken:
            report.alreadyTaken += 1
            log.debug("intake.already_taken", ["mailbox": mailbox.name, "uid": uid])
        }
    }

    /// Applies after-import actions recorded in the store but not yet confirmed, grouped by action.
    private func applyPendingActions(uidValidity: Int64) throws -> Int {
        let pending = try store.pendingActions(mailbox: mailbox.name, uidValidity: uidValidity)
        guard !pending.isEmpty else { return 0 }
        var applied = 0
        for (actionText, group) in Dictionary(grouping: pending, by: \.action).sorted(by: { $0.key < $1.key }) {
            guard let action = AfterImport(stored: actionText) else { continue }
            try source.apply(action, uids: group.map(\.uid))
            do {
                try store.markActionsDone(group.map(\.deliveryID), now: clock.unixSeconds())
            } catch let error as StoreError {
                // Applied but not recorded: the next poll applies it again (harmless); whatever
                // SQLite said, this is the store's failure, not any message's.
                throw error.asStoreFailure(while: "the after-import record")
            }
            applied += group.count
        }
        return applied
    }
}

/// One step of a poll: a batch fetched with others through one pipe, or an oversized message
/// taken alone (fetched in full so quarantine keeps its bytes).
enum PollStep {
    case batch([(uid: Int64, size: Int64)])
    case oversized((uid: Int64, size: Int64))
}

/// Errors that know whether retrying can help (TransportError conforms in CurlMailboxSource).
public protocol TransportErrorLike {
    var isPermanent: Bool { get }
}
