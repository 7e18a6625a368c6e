import Ticketing

/// Reads what a report is made of: one row per ticket from `ticket_metrics` (kept by triggers)
/// and the daily message counts, as plain numbers for `ReportBuilder`.
public struct ReportStore {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// Tickets that matter for [from, to): created before `to` and not done before `from`, or
    /// created in the range. A ticket merged into another counts once, as the one it went into.
    /// `queue`/`agent` narrow to one queue or assignee (message counts are for the whole desk: a
    /// message has no queue of its own).
    ///
    /// Reads `ticket_metrics` alone: the times, the group keys (`report_names`) and the SLA
    /// outcomes are kept there by triggers, so a year of a million tickets is one narrow row each,
    /// with no join and no text.
    public func input(from: Int64, to: Int64, queue: String? = nil, agent: String? = nil) throws -> ReportInput {
        let names = try ReportNames(db: db)
        var input = try context(from: from, to: to, queue: queue, agent: agent, names: names)
        input.tickets.reserveCapacity(try expectedTickets())
        try scanTickets(from: from, to: to, queue: queue, agent: agent, names: names) { input.tickets.append($0) }
        return input
    }

    /// The report of [from, to), its tickets streamed from the scan into the figures (no array of
    /// a million `TicketFacts`); the same figures as `ReportBuilder.build` of `input(...)`.
    /// `spamClassified`: the config has a spam rule (spam counts even when none was marked).
    public func report(from: Int64, to: Int64, queue: String? = nil, agent: String? = nil, granularity: ReportGranularity,
                       now: Int64, business: (any BusinessClock)? = nil, spamClassified: Bool = false) throws -> Report {
        let names = try ReportNames(db: db)
        var input = try context(from: from, to: to, queue: queue, agent: agent, names: names)
        if spamClassified { input.spamClassified = true }
        var accumulator = ReportAccumulator(input, from: from, to: to, granularity: granularity, now: now, business: business,
                                            expectedTickets: try expectedTickets())
        try scanTickets(from: from, to: to, queue: queue, agent: agent, names: names) { accumulator.add($0) }
        return accumulator.report()
    }

    private func expectedTickets() throws -> Int {
        Int(try db.row("SELECT COALESCE(MAX(ticket_id), 0) AS n FROM ticket_metrics")?.int("n") ?? 0)
    }

    /// Hands each ticket of the range to `body`, in no particular order.
    func scanTickets(from: Int64, to: Int64, queue: String?, agent: String?, names: ReportNames,
                     _ body: (TicketFacts) -> Void) throws {
        // A NULL time comes as `none` (one call per column instead of a type test and a read). A
        // NULL key reads as 0, which no name has (report_names' ids start at 1): no position.
        let none = Int64.min
        var filter: [any SQLBindable] = [to, from, none]
        var sql = """
            SELECT created_at, IFNULL(first_response_at, ?3), IFNULL(first_resolved_at, ?3), IFNULL(resolved_at, ?3),
                   IFNULL(closed_at, ?3), reopened, status_key, status_since, agent_key, queue_key, domain_key, category_key,
                   sla_outcomes
            FROM ticket_metrics
            WHERE created_at < ?1 AND (created_at >= ?2 OR resolved_at IS NULL OR resolved_at >= ?2) AND merged = 0
            """
        // A queue or agent nobody has used has no key: no tickets, but still a report.
        if let queue { sql += " AND queue_key = ?\(filter.count + 1)"; filter.append(names.id(.queue, queue) ?? -1) }
        if let agent { sql += " AND agent_key = ?\(filter.count + 1)"; filter.append(names.id(.agent, agent.lowercased()) ?? -1) }
        func time(_ value: Int64) -> Int64? { value == none ? nil : value }
        try db.scan(sql, filter) { row in
            body(TicketFacts(
                created: row.int(0), firstResponse: time(row.int(1)), firstResolved: time(row.int(2)), resolved: time(row.int(3)),
                closed: time(row.int(4)), reopened: Int(row.int(5)), status: names.status(row.int(6)),
                statusSince: row.int(7), agent: names.index(row.int(8)), queue: names.index(row.int(9)) ?? 0,
                domain: names.index(row.int(10)) ?? 0, category: names.index(row.int(11)), sla: SLAOutcomes(bits: Int(row.int(12)))))
        }
    }

    /// Everything but the tickets: the name lists, ratings and daily message counts.
    func context(from: Int64, to: Int64, queue: String?, agent: String?, names: ReportNames) throws -> ReportInput {
        // Satisfaction: each ticket's last rating as of the range's end (the last one counts),
        // when given in the range; by the ticket's assignee and queue now.
        var ratings: [RatingFacts] = []
        try db.scan("""
            SELECT e.created_at, e.new_value = 'good', t.assignee, t.queue
            FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
            WHERE e.type = 'rating' AND e.created_at >= ?2 AND e.created_at < ?1
              AND e.id = (SELECT MAX(r.id) FROM ticket_events r WHERE r.ticket_id = e.ticket_id AND r.type = 'rating' AND r.created_at < ?1)
              AND (?3 IS NULL OR t.queue = ?3) AND (?4 IS NULL OR t.assignee = ?4)
            ORDER BY e.created_at
            """, [to, from, queue, agent?.lowercased()]) { row in
            let agent = row.text(2).flatMap { names.id(.agent, $0) }.flatMap(names.index)
            let queue = row.text(3).flatMap { names.id(.queue, $0) }.flatMap(names.index) ?? 0
            ratings.append(RatingFacts(at: row.int(0), good: row.int(1) == 1, agent: agent, queue: queue))
        }
        var messages: [DailyMessageCount] = []
        try db.scan("SELECT day, class, messages FROM message_daily WHERE day >= ? AND day < ?",
                    [ReportGranularity.day.start(of: from) / 86_400, (to + 86_399) / 86_400]) { row in
            messages.append(DailyMessageCount(day: row.int(0), messageClass: row.text(1) ?? "human", count: row.int(2)))
        }
        let queues = names.names(.queue), domains = names.names(.domain)
        var input = ReportInput(tickets: [], agents: names.names(.agent), queues: queues.isEmpty ? [""] : queues,
                                domains: domains.isEmpty ? [""] : domains, categories: names.names(.category), messages: messages,
                                ratings: ratings)
        // A message a rule marked spam, ever, means spam is classified here (the caller also
        // says so when the config has a spam rule).
        input.spamClassified = try db.row("SELECT 1 AS x FROM message_daily WHERE class = 'spam' LIMIT 1") != nil
        return input
    }
}
