import Store
import Ticketing

extension Metrics {
    /// The figures the store can tell: totals per mailbox, tickets by status, the outbox. The
    /// service starts from these so its counters are totals, not counts since the last restart.
    public static func fromStore(_ db: Database, mailboxNames: [String]) throws -> Metrics {
        var m = Metrics(mailboxNames: mailboxNames)
        let boxes = MailboxStore(db: db)
        for cursor in try boxes.cursors() {
            let counts = try boxes.counts(mailbox: cursor.mailbox)
            var entry = m.mailboxes[cursor.mailbox] ?? Mailbox()
            entry.ingested = Int(counts.imported + counts.duplicate)
            entry.quarantined = Int(counts.quarantined)
            entry.lastSuccess = cursor.lastSuccessAt
            entry.unaccounted = Int(cursor.unaccounted ?? 0)
            m.mailboxes[cursor.mailbox] = entry
        }
        try m.refreshGauges(from: db)
        return m
    }

    /// The gauges the store holds now: tickets by status, outbox pending and failed.
    public mutating func refreshGauges(from db: Database) throws {
        var byStatus: [TicketStatus: Int] = [:]
        for row in try db.query("SELECT status, COUNT(*) AS n FROM tickets WHERE merged_into IS NULL GROUP BY status") {
            if let s = TicketStatus(rawValue: row.text("status")) { byStatus[s] = Int(row.int("n")) }
        }
        tickets = byStatus
        let outbox = OutboxStore(db: db)
        outboxPending = Int(try outbox.count(status: "pending"))
        outboxFailed = Int(try outbox.count(status: "failed"))
        let sla = try TicketStore(db: db).slaCounts()
        slaBreaches = Int(sla.breached)
        slaAtRisk = Int(sla.atRisk)
    }
}
