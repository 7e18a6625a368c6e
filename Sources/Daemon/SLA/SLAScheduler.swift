import Foundation
import Store
import Ticketing

/// Runs each poll, driven by the injected clock: sends each SLA warning at its `warn_at` and each
/// breach at its deadline, once per target and cycle (the `sla_alerts` key makes a restart, a
/// reload or a clock jump harmless), and resolves or closes tickets the customer left silent.
/// Reads only clocks whose next alert is due, through an index.
public final class SLAScheduler {
    let intake: Intake
    let clock: any Clock
    let log: Log
    /// Due entries read per tick from each list (alerts, silence).
    public var pageSize = 500
    /// Tickets re-timed per transaction when the SLA settings changed.
    public var retimeBatchSize = 500
    /// Where the last tick's walk of each due list stopped (nil: at the head). A full page goes
    /// on from there next tick, so entries whose change keeps failing cannot hold up the rest.
    var alertCursor: TicketStore.DuePosition?
    var silenceCursor: TicketStore.DuePosition?
    /// Tickets re-timed by the re-time under way, for its closing log line.
    var retimedTickets = 0
    /// Passes in a row in which the re-time got nowhere; at `retimeStallWarning` it is logged once.
    var retimeStalledPasses = 0
    public var retimeStallWarning = 5

    public init(intake: Intake, clock: any Clock, log: Log) {
        self.intake = intake
        self.clock = clock
        self.log = log
    }

    var config: Config { intake.config }
    var tickets: TicketStore { intake.tickets }
    var db: Database { intake.db }

    public struct Report: Equatable, Sendable {
        public var warnings = 0
        public var breaches = 0
        public var autoResolved = 0
        public var autoClosed = 0
        public init() {}
    }

    /// One pass: alerts first, then auto-resolve and auto-close. Each ticket's change commits in
    /// its own transaction with its outbox rows; a failure is logged and retried when the walk
    /// of its list comes round again. While a re-time is under way, tickets it has yet to re-time
    /// (or failed to) wait.
    @discardableResult
    public func tick() -> Report {
        var report = Report()
        let now = clock.unixSeconds()
        do {
            let waiting = try retimeWait
            let page = try tickets.slaAlertsDue(now: now, after: alertCursor, waiting: waiting, limit: pageSize)
            alertCursor = page.count < pageSize ? nil : page.last?.position
            for (record, _) in page {
                do { try db.transaction { try fire(record, now: now, report: &report) } } catch {
                    log.warning("sla.alert_failed", ["ticket": record.number, "target": record.target.rawValue, "error": "\(error)"])
                }
            }
            try autoClose(now: now, waiting: waiting, report: &report)
        } catch {
            log.warning("sla.tick_failed", ["error": "\(error)"])
        }
        return report
    }

    /// Late: more than two polls (at least a minute) after its time, so the daemon was not running.
    func isLate(_ at: Int64, now: Int64) -> Bool { now - at > max(2 * Int64(config.pollInterval), 60) }

    private func fire(_ record: SLARecord, now: Int64, report: inout Report) throws {
        guard let due = record.dueAt else {
            try tickets.setSLANextAlert(ticketID: record.ticketID, target: record.target, at: nil, breachedAt: nil)
            return
        }
        if due <= now {
            // A warning not yet sent is overtaken by its breach: recorded, never mailed.
            if let warn = record.warnAt, warn < due {
                _ = try tickets.recordSLAAlert(ticketID: record.ticketID, target: record.target, cycleStart: record.cycleStart,
                                               kind: "warning", dueAt: warn, late: true, mailed: false, now: now)
            }
            if try tickets.recordSLAAlert(ticketID: record.ticketID, target: record.target, cycleStart: record.cycleStart,
                                          kind: "breach", dueAt: due, late: isLate(due, now: now), mailed: true, now: now) {
                try announce(record, kind: "breach", at: due, now: now)
                report.breaches += 1
            }
            try tickets.setSLANextAlert(ticketID: record.ticketID, target: record.target, at: nil, breachedAt: due)
        } else if let warn = record.warnAt, warn <= now {
            if try tickets.recordSLAAlert(ticketID: record.ticketID, target: record.target, cycleStart: record.cycleStart,
                                          kind: "warning", dueAt: warn, late: isLate(warn, now: now), mailed: true, now: now) {
                try announce(record, kind: "warning", at: due, now: now)
                report.warnings += 1
            }
            try tickets.setSLANextAlert(ticketID: record.ticketID, target: record.target, at: due, breachedAt: nil)
        }
    }

    /// The event on the ticket, the log line, and the mail to the assignee (else the queue's agents) and
    /// the policy's `escalate_to`.
    private func announce(_ record: SLARecord, kind: String, at due: Int64, now: Int64) throws {
        // Met (or given up) after the deadline, before a tick told of the breach: it happened all the same.
        let closedLate = kind == "breach" && (record.phase == .met || record.phase == .stopped)
        let late = !closedLate && isLate(kind == "breach" ? due : (record.warnAt ?? due), now: now)
        let dueText = UTCTimestamp.iso(Date(timeIntervalSince1970: TimeInterval(due)), milliseconds: false)
        var what = kind == "breach" ? "\(record.target.words) overdue since \(dueText)" : "\(record.target.words) due at \(dueText)"
        if closedLate {
            what += record.metAt.map { ", met \(SLADuration.words(Int($0 - due))) late" } ?? ", closed without a reply"
        }
        try tickets.addEvent(ticketID: record.ticketID, type: "sla-\(kind)", field: record.target.rawValue, newValue: dueText,
                             actor: "system", reason: "\(what), policy \(record.policy)\(late ? " (late: the daemon was not running)" : "")",
                             now: now)
        log.info("sla.\(kind)", ["ticket": record.number, "target": record.target.rawValue, "policy": record.policy,
                                 "due": dueText, "late": late])
        let policy = config.sla.policies[record.policy]
        var to = record.assignee.map { [Address.normalised($0)] } ?? config.queueMembers.agents(of: record.queue)
        if let escalate = policy?.escalateTo, !to.contains(escalate) { to.append(escalate) }
        guard !to.isEmpty, let ticket = try tickets.ticket(id: record.ticketID) else { return }
        let left = SLADuration.words(Int(due - now))
        // The template's words, with the specifics of this clock as the message it carries.
        let headline: String
        if closedLate, let met = record.metAt {
            headline = "The \(record.target.words) deadline passed at \(dueText); it was met \(SLADuration.words(Int(met - due))) late, before this alert went out."
        } else if closedLate {
            headline = "The \(record.target.words) deadline passed at \(dueText); the ticket was resolved without a reply."
        } else if kind == "breach" {
            headline = "The \(record.target.words) deadline has passed (\(left) overdue)."
        } else {
            headline = "The \(record.target.words) is due in \(left) (business time counts on)."
        }
        let details = """
            \(headline)
            Policy: \(record.policy)\(late ? "\nThis alert is late: the daemon was not running when it fell due." : "")
            """
        let event: NotificationEvent = kind == "breach" ? .slaBreach : .slaWarning
        guard config.notifications.policy.rule(event, queue: ticket.queue).enabled else { return }
        try intake.router.notifier.queue(PlannedMail(event: event, to: to, messageText: details,
                                                     agent: record.assignee, slaDue: Date(timeIntervalSince1970: TimeInterval(due))),
                                         ticket: ticket, tickets: tickets, outbox: OutboxStore(db: db), now: now)
    }
}
