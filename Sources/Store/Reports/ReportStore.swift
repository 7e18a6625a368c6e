import Ticketing

/// Reads what a report is made of: one row per ticket from `ticket_metrics` (kept by triggers)
/// and the daily message counts, as plain numbers for `ReportBuilder`.
public struct ReportStore {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// Tickets that matter for [from, to): created before `to` and not done before `from`, or
    /// created in the range. A ticket merged into another counts once, as the one it went into. `queue`/`agent` narrow to one queue or assignee (message counts
    /// are for the whole desk: a message has no queue of its own).
    public func input(from: Int64, to: Int64, queue: String? = nil, agent: String? = nil) throws -> ReportInput {
        var agents = NameTable(), queues = NameTable(), domains = NameTable(), categories = NameTable(), statuses = NameTable()
        var tickets: [TicketFacts] = []
        tickets.reserveCapacity(Int(try db.row("SELECT COUNT(*) AS n FROM tickets WHERE created_at < ?", [to])?.int("n") ?? 0))
        var statusOf: [TicketStatus] = []
        // Categories arrive with routing rules (issue 13): read them when the column exists.
        let category = try hasColumn("tickets", "category") ? "t.category" : "NULL"
        try db.scan("""
            SELECT t.created_at, m.first_response_at, m.first_resolved_at, m.resolved_at, m.closed_at, m.reopened,
                   t.status, m.status_since, t.assignee, t.queue, substr(t.requester, instr(t.requester, '@') + 1), \(category)
            FROM tickets t JOIN ticket_metrics m ON m.ticket_id = t.id
            WHERE t.created_at < ?1 AND (t.created_at >= ?2 OR m.resolved_at IS NULL OR m.resolved_at >= ?2)
              AND (?3 IS NULL OR t.queue = ?3) AND (?4 IS NULL OR t.assignee = ?4)
              AND t.merged_into IS NULL
            """, [to, from, queue, agent?.lowercased()]) { row in
            let key = row.key(6, in: &statuses) ?? 0
            while statusOf.count < statuses.names.count { statusOf.append(TicketStatus(rawValue: statuses.names[statusOf.count]) ?? .open) }
            tickets.append(TicketFacts(
                created: row.int(0), firstResponse: row.optionalInt(1), firstResolved: row.optionalInt(2), resolved: row.optionalInt(3),
                closed: row.optionalInt(4), reopened: Int(row.int(5)), status: statusOf.isEmpty ? .open : statusOf[key],
                statusSince: row.int(7), agent: row.key(8, in: &agents), queue: row.key(9, in: &queues) ?? 0,
                domain: row.key(10, in: &domains) ?? 0, category: row.key(11, in: &categories)))
        }
        var messages: [DailyMessageCount] = []
        try db.scan("SELECT day, class, messages FROM message_daily WHERE day >= ? AND day < ?",
                    [ReportGranularity.day.start(of: from) / 86_400, (to + 86_399) / 86_400]) { row in
            messages.append(DailyMessageCount(day: row.int(0), messageClass: row.text(1) ?? "human", count: row.int(2)))
        }
        return ReportInput(tickets: tickets, agents: agents.names, queues: queues.names.isEmpty ? [""] : queues.names,
                           domains: domains.names.isEmpty ? [""] : domains.names, categories: categories.names, messages: messages,
                           sla: try sla(from: from, to: to, queue: queue, agent: agent))
    }

    /// Met and breached per SLA target, for the tickets created in the range (the SLA clocks'
    /// `ticket_sla`; a target still running and not breached is neither).
    func sla(from: Int64, to: Int64, queue: String?, agent: String?) throws -> [SLACount] {
        guard try db.row("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'ticket_sla'") != nil else { return [] }
        return try db.query("""
            SELECT s.target, SUM(s.met_at IS NOT NULL AND s.breached_at IS NULL) AS met, SUM(s.breached_at IS NOT NULL) AS breached
            FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
            WHERE t.created_at >= ?1 AND t.created_at < ?2 AND (?3 IS NULL OR t.queue = ?3) AND (?4 IS NULL OR t.assignee = ?4)
              AND t.merged_into IS NULL
            GROUP BY s.target ORDER BY s.target
            """, [from, to, queue, agent?.lowercased()]).map { SLACount(target: $0.text("target"), met: Int($0.int("met")), breached: Int($0.int("breached"))) }
    }

    func hasColumn(_ table: String, _ column: String) throws -> Bool {
        try db.query("SELECT name FROM pragma_table_info(?)", [table]).contains { $0.text("name") == column }
    }
}
