import Foundation
import Ticketing

/// One stored SLA clock of a ticket, with the ticket it runs on (read by the same column list
/// and row reader as every other ticket: `TicketStore.ticketColumns`, `TicketRecord(row:)`).
public struct SLARecord: Sendable, Equatable {
    public var ticket: TicketRecord
    public var target: SLATarget
    public var policy: String
    public var phase: SLATargetState.Phase
    public var cycleStart: Int64
    public var dueAt: Int64?
    public var warnAt: Int64?
    public var metAt: Int64?
    public var breachedAt: Int64?
    public var usedSeconds: Int64
    public var targetSeconds: Int64
    public var nextAlertAt: Int64?

    public var ticketID: Int64 { ticket.id }
    public var number: Int64 { ticket.number }
    public var subject: String { ticket.subject }
    public var queue: String { ticket.queue }
    public var assignee: String? { ticket.assignee }
    public var status: TicketStatus { ticket.status }

    init(row: Row) {
        ticket = TicketRecord(row: row)
        target = SLATarget(rawValue: row.text("target")) ?? .resolution
        policy = row.text("policy")
        phase = SLATargetState.Phase(rawValue: row.text("phase")) ?? .running
        cycleStart = row.int("cycle_start")
        dueAt = row.optionalInt("due_at")
        warnAt = row.optionalInt("warn_at")
        metAt = row.optionalInt("met_at")
        breachedAt = row.optionalInt("breached_at")
        usedSeconds = row.int("used_seconds")
        targetSeconds = row.int("target_seconds")
        nextAlertAt = row.optionalInt("next_alert_at")
    }
}

/// SLA clocks: the history they are computed from, the stored result, and the alerts sent.
extension TicketStore {
    /// `t`: the ticket (tickets), `s`: the clock (ticket_sla).
    static let slaColumns = ticketColumns(of: "t") + """
        , s.target, s.policy, s.phase, s.cycle_start,
        s.due_at, s.warn_at, s.met_at, s.breached_at, s.used_seconds, s.target_seconds, s.next_alert_at
        """

    /// Event types that record SLA facts the other events do not carry.
    public static let customerWroteEvent = "customer-wrote"
    public static let agentRepliedEvent = "agent-replied"

    /// The facts of a ticket's history that move its SLA clocks, in order.
    public func slaHistory(ticketID: Int64) throws -> [SLAFact] {
        try db.query("""
            SELECT type, new_value, created_at FROM ticket_events
            WHERE ticket_id = ? AND type IN ('create', 'status', ?, ?) ORDER BY id
            """, [ticketID, Self.customerWroteEvent, Self.agentRepliedEvent]).compactMap { row in
            let at = Date(timeIntervalSince1970: TimeInterval(row.int("created_at")))
            switch row.text("type") {
            case "create": return SLAFact(.created(TicketStatus(rawValue: row.text("new_value")) ?? .new), at: at)
            case "status": return TicketStatus(rawValue: row.text("new_value")).map { SLAFact(.status($0), at: at) }
            case Self.customerWroteEvent: return SLAFact(.customerWrote, at: at)
            case Self.agentRepliedEvent: return SLAFact(.agentReplied, at: at)
            default: return nil
            }
        }
    }

    /// The policy a rule asked for and the one in force, if recorded.
    public func slaPolicy(ticketID: Int64) throws -> (requested: String?, policy: String?)? {
        try db.row("SELECT requested, policy FROM ticket_sla_policy WHERE ticket_id = ?", [ticketID])
            .map { ($0.optionalText("requested"), $0.optionalText("policy")) }
    }

    /// Replaces the ticket's stored clocks with `states` (computed under `policy`) and its silence
    /// deadline, and works out each clock's next alert from the alerts already sent for its cycle.
    public func saveSLA(ticketID: Int64, requested: String?, policy: String?, states: [SLATargetState],
                        silence: SilenceDeadline? = nil, now: Int64) throws {
        // No savepoint of its own inside a transaction (the intake's message has one).
        try db.atomically {
            try db.execute("""
                INSERT INTO ticket_sla_policy (ticket_id, requested, policy, updated_at, silence_action, silence_due_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (ticket_id) DO UPDATE SET requested = excluded.requested, policy = excluded.policy,
                updated_at = excluded.updated_at, silence_action = excluded.silence_action, silence_due_at = excluded.silence_due_at
                """, [ticketID, requested, policy, now, silence?.action.rawValue, silence.map { seconds($0.at) }])
            var before: [String: StoredClock] = [:]
            for row in try db.query("SELECT target, phase, cycle_start, next_alert_at FROM ticket_sla WHERE ticket_id = ?", [ticketID]) {
                before[row.text("target")] = StoredClock(phase: row.text("phase"), cycleStart: row.int("cycle_start"),
                                                         nextAlertAt: row.optionalInt("next_alert_at"))
            }
            let kept = states.map(\.target.rawValue)
            for old in before.keys where !kept.contains(old) {
                try db.execute("DELETE FROM ticket_sla WHERE ticket_id = ? AND target = ?", [ticketID, old])
            }
            for state in states {
                let cycle = seconds(state.cycleStart)
                let sent = Set(try db.query("SELECT kind FROM sla_alerts WHERE ticket_id = ? AND target = ? AND cycle_start = ?",
                                            [ticketID, state.target.rawValue, cycle]).map { $0.text("kind") })
                try db.execute("""
                    INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, due_at, warn_at, met_at, breached_at,
                                            used_seconds, target_seconds, next_alert_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (ticket_id, target) DO UPDATE SET policy = excluded.policy, phase = excluded.phase,
                        cycle_start = excluded.cycle_start, due_at = excluded.due_at, warn_at = excluded.warn_at,
                        met_at = excluded.met_at, breached_at = excluded.breached_at, used_seconds = excluded.used_seconds,
                        target_seconds = excluded.target_seconds, next_alert_at = excluded.next_alert_at,
                        updated_at = excluded.updated_at
                    """, [ticketID, state.target.rawValue, policy ?? "", state.phase.rawValue, cycle, state.due.map(seconds),
                          state.warnAt.map(seconds), state.metAt.map(seconds), state.breachedAt.map(seconds),
                          Int64(state.usedSeconds), Int64(state.targetSeconds),
                          Self.nextAlert(state, sent: sent, before: before[state.target.rawValue]), now])
            }
        }
    }

    /// A clock as stored before a save: whether it was still open, for the late-met breach.
    struct StoredClock {
        var phase: String
        var cycleStart: Int64
        var nextAlertAt: Int64?
    }

    /// The next alert a clock owes: its warning, then its breach, each once; none while paused
    /// before its deadline. A target met (or stopped) after its deadline but before a tick told
    /// of the breach still owes the breach: it happened. Only a clock that was open until this
    /// save (or still owed it) does, so a reload with a stricter policy does not announce breaches
    /// of targets long met under the old one.
    static func nextAlert(_ state: SLATargetState, sent: Set<String>, before: StoredClock? = nil) -> Int64? {
        guard !sent.contains("breach"), let due = state.due else { return nil }
        switch state.phase {
        case .running, .paused:
            if !sent.contains("warning"), let warn = state.warnAt, warn < due { return seconds(warn) }
            return seconds(due)
        case .met, .stopped:
            guard state.breachedAt != nil, let before, before.cycleStart == seconds(state.cycleStart),
                  before.phase == "running" || before.phase == "paused" || before.nextAlertAt != nil else { return nil }
            return seconds(due)
        }
    }

    /// A status or queue change moves the silence deadline, and the store cannot work it out
    /// (that takes the config): the scheduler checks the ticket at its next tick and stores the
    /// real one. The intake's own save, later in the same transaction, replaces this at once.
    func silenceMayHaveChanged(ticketID: Int64, now: Int64) throws {
        try db.execute("""
            INSERT INTO ticket_sla_policy (ticket_id, updated_at, silence_action, silence_due_at) VALUES (?, ?, 'resolve', ?)
            ON CONFLICT (ticket_id) DO UPDATE SET silence_action = excluded.silence_action, silence_due_at = excluded.silence_due_at
            """, [ticketID, now, now])
    }

    /// Where a walk of a due list stopped: the due time and row of the last entry read. The next
    /// page starts after it, so entries that keep failing at the head cannot hide the rest.
    public struct DuePosition: Equatable, Sendable {
        public let at: Int64
        public let row: Int64
        public init(at: Int64, row: Int64) {
            self.at = at
            self.row = row
        }
    }

    /// Tickets whose silence deadline has come (the `ticket_sla_policy_silence` index), soonest
    /// first, from `after` on; none of the tickets still `waiting` for an SLA re-time.
    public func silenceDue(now: Int64, after: DuePosition? = nil, waiting: SLARetimeWait = .none, limit: Int = 500) throws
        -> [(ticketID: Int64, number: Int64, action: SilenceDeadline.Action, position: DuePosition)] {
        let start = after ?? DuePosition(at: .min, row: .min)
        return try db.query("""
            SELECT p.ticket_id, t.number, p.silence_action, p.silence_due_at FROM ticket_sla_policy p JOIN tickets t ON t.id = p.ticket_id
            WHERE p.silence_due_at IS NOT NULL AND p.silence_due_at <= ?1 AND (p.silence_due_at, p.ticket_id) > (?2, ?3)
              AND (p.ticket_id <= ?4 OR p.ticket_id > ?5)
              AND NOT EXISTS (SELECT 1 FROM sla_retime_failed f WHERE f.ticket_id = p.ticket_id)
            ORDER BY p.silence_due_at, p.ticket_id LIMIT ?6
            """, [now, start.at, start.row, waiting.after, waiting.through, limit]).compactMap { row in
            SilenceDeadline.Action(rawValue: row.text("silence_action")).map {
                (row.int("ticket_id"), row.int("number"), $0, DuePosition(at: row.int("silence_due_at"), row: row.int("ticket_id")))
            }
        }
    }

    /// The SLA settings the stored clocks were last computed under (nil: never recorded).
    public func appliedSLASettings() throws -> String? {
        try db.row("SELECT fingerprint FROM sla_settings_applied WHERE id = 1")?.text("fingerprint")
    }

    public func recordAppliedSLASettings(_ fingerprint: String, now: Int64) throws {
        try db.execute("""
            INSERT INTO sla_settings_applied (id, fingerprint, applied_at) VALUES (1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, applied_at = excluded.applied_at
            """, [fingerprint, now])
    }

    /// The stored clocks of one ticket, in target order.
    public func slaRecords(ticketID: Int64) throws -> [SLARecord] {
        try db.query("""
            SELECT \(Self.slaColumns) FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id WHERE s.ticket_id = ?
            """, [ticketID]).map(SLARecord.init).sorted { $0.target < $1.target }
    }

    /// Clocks whose next alert is due at `now`, soonest first (the `ticket_sla_next_alert` index),
    /// from `after` on; none of the tickets still `waiting` for an SLA re-time.
    public func slaAlertsDue(now: Int64, after: DuePosition? = nil, waiting: SLARetimeWait = .none, limit: Int = 500) throws
        -> [(record: SLARecord, position: DuePosition)] {
        let start = after ?? DuePosition(at: .min, row: .min)
        return try db.query("""
            SELECT \(Self.slaColumns), s.rowid AS due_row FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
            WHERE s.next_alert_at IS NOT NULL AND s.next_alert_at <= ?1 AND (s.next_alert_at, s.rowid) > (?2, ?3)
              AND (s.ticket_id <= ?4 OR s.ticket_id > ?5)
              AND NOT EXISTS (SELECT 1 FROM sla_retime_failed f WHERE f.ticket_id = s.ticket_id)
            ORDER BY s.next_alert_at, s.rowid LIMIT ?6
            """, [now, start.at, start.row, waiting.after, waiting.through, limit]).map {
            (SLARecord(row: $0), DuePosition(at: $0.int("next_alert_at"), row: $0.int("due_row")))
        }
    }

    /// Records an alert; false when this one was already sent (the unique key makes it once only).
    public func recordSLAAlert(ticketID: Int64, target: SLATarget, cycleStart: Int64, kind: String, dueAt: Int64,
                               late: Bool, mailed: Bool, now: Int64) throws -> Bool {
        try db.execute("""
            INSERT INTO sla_alerts (ticket_id, target, cycle_start, kind, due_at, fired_at, late, mailed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, [ticketID, target.rawValue, cycleStart, kind, dueAt, now, late, mailed])
        return db.changes > 0
    }

    public func setSLANextAlert(ticketID: Int64, target: SLATarget, at: Int64?, breachedAt: Int64?) throws {
        try db.execute("""
            UPDATE ticket_sla SET next_alert_at = ?, breached_at = COALESCE(?, breached_at) WHERE ticket_id = ? AND target = ?
            """, [at, breachedAt, ticketID, target.rawValue])
    }

    /// Running or paused clocks of open tickets, soonest deadline first (paused ones last), for
    /// `postdesk sla` and `tickets --sort due`.
    public func slaAtRisk(queue: String? = nil, breachedOnly: Bool = false, dueBefore: Int64? = nil, limit: Int = 500) throws -> [SLARecord] {
        try db.query("""
            SELECT \(Self.slaColumns) FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
            WHERE s.phase IN ('running', 'paused') AND (?1 IS NULL OR t.queue = ?1)
              AND (?2 = 0 OR s.breached_at IS NOT NULL) AND (?3 IS NULL OR (s.due_at IS NOT NULL AND s.due_at <= ?3))
            ORDER BY s.due_at IS NULL, s.due_at, t.number LIMIT ?4
            """, [queue, breachedOnly, dueBefore, limit]).map(SLARecord.init)
    }

    /// Tickets by their soonest running SLA deadline (overdue first), tickets without one last,
    /// newest first among those.
    public func ticketsByDue(status: TicketStatus? = nil, queue: String? = nil, limit: Int = 50,
                             includeMerged: Bool = false) throws -> [TicketRecord] {
        var conditions: [String] = [], values: [any SQLBindable] = []
        if let status { conditions.append("status = ?"); values.append(status.rawValue) }
        if let queue { conditions.append("queue = ?"); values.append(queue) }
        if !includeMerged { conditions.append("merged_into IS NULL") }
        let filter = conditions.map { " AND " + $0 }.joined()
        // Running clocks in deadline order from `ticket_sla_due`, each ticket at its soonest
        // one, up to the limit: a million tickets cost what the first page does.
        let due = try db.query("""
            SELECT \(Self.ticketColumns), s.due FROM (
                SELECT ticket_id, due_at AS due FROM ticket_sla c INDEXED BY ticket_sla_due
                WHERE phase = 'running' AND due_at IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM ticket_sla o WHERE o.ticket_id = c.ticket_id AND o.phase = 'running'
                      AND (o.due_at < c.due_at OR (o.due_at = c.due_at AND o.target < c.target)))) s
            JOIN tickets ON tickets.id = s.ticket_id WHERE 1\(filter)
            ORDER BY s.due, number DESC LIMIT ?
            """, values + [limit]).map(TicketRecord.init)
        guard due.count < limit else { return due }
        // Fewer than a page have a deadline: the rest newest first, by the filter's index.
        let rest = try db.query("""
            SELECT \(Self.ticketColumns), NULL AS due FROM tickets WHERE NOT EXISTS (
                SELECT 1 FROM ticket_sla s WHERE s.ticket_id = tickets.id AND s.phase = 'running' AND s.due_at IS NOT NULL)\(filter)
            ORDER BY number DESC LIMIT ?
            """, values + [limit - due.count]).map(TicketRecord.init)
        return due + rest
    }

    /// Counts for the metrics file, as the scheduler last left them: clocks of open tickets past
    /// their deadline, and clocks warned but not yet due.
    public func slaCounts() throws -> (breached: Int64, atRisk: Int64) {
        let row = try db.row("""
            SELECT COUNT(*) FILTER (WHERE breached_at IS NOT NULL) AS breached,
                   COUNT(*) FILTER (WHERE breached_at IS NULL AND next_alert_at IS NOT NULL AND next_alert_at = due_at
                                    AND warn_at IS NOT NULL AND warn_at < due_at) AS at_risk
            FROM ticket_sla WHERE phase IN ('running', 'paused')
            """)
        return (row?.int("breached") ?? 0, row?.int("at_risk") ?? 0)
    }
}

private func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
