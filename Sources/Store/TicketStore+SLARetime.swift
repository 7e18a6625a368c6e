import Foundation

/// Re-timing the open tickets' SLA clocks after the settings changed, in batches by ticket id:
/// each batch commits alone, so a large store is re-timed while the daemon serves mail, and a
/// restart goes on after the last batch that committed. Tickets whose re-time failed are kept
/// (`sla_retime_failed`) and tried again; the settings count as applied only once none is left.
extension TicketStore {
    /// The settings being applied, the last ticket id done under them (`Int64.max`: every ticket
    /// was walked, only failed ones are left), the highest ticket id when the re-time began (nil:
    /// unknown, a re-time begun before v21), and how many tickets wait to be tried again.
    public struct SLARetimeProgress: Equatable, Sendable {
        public let fingerprint: String
        public let throughTicket: Int64
        public let lastTicket: Int64?
        public let failed: Int
        public init(fingerprint: String, throughTicket: Int64, lastTicket: Int64? = nil, failed: Int = 0) {
            self.fingerprint = fingerprint
            self.throughTicket = throughTicket
            self.lastTicket = lastTicket
            self.failed = failed
        }

        /// The walk is over; what is left are the tickets whose re-time failed.
        public var walked: Bool { throughTicket == .max }

        /// The ticket ids not yet re-timed by the walk: after `throughTicket`, up to `lastTicket`.
        public var waiting: SLARetimeWait { SLARetimeWait(after: throughTicket, through: lastTicket ?? .max) }
    }

    /// Tickets whose stored SLA clocks may still be those of older settings: ids in
    /// `after+1 ... through`, and any in `sla_retime_failed`. Their alerts and silence wait.
    public struct SLARetimeWait: Equatable, Sendable {
        public let after: Int64
        public let through: Int64
        public init(after: Int64, through: Int64) {
            self.after = after
            self.through = through
        }

        /// No re-time under way: nothing waits.
        public static let none = SLARetimeWait(after: 0, through: 0)
    }

    /// Nil when no re-time is under way.
    public func slaRetimeProgress() throws -> SLARetimeProgress? {
        try db.row("SELECT fingerprint, through_ticket, last_ticket, failed FROM sla_retime_progress WHERE id = 1").map {
            SLARetimeProgress(fingerprint: $0.text("fingerprint"), throughTicket: $0.int("through_ticket"),
                              lastTicket: $0.optionalInt("last_ticket"), failed: Int($0.int("failed")))
        }
    }

    /// Records how far the re-time got (its `failed` is counted from `sla_retime_failed`, not
    /// taken from `progress`); nil: it is finished or abandoned, and its failures are forgotten.
    public func setSLARetimeProgress(_ progress: SLARetimeProgress?, now: Int64) throws {
        guard let progress else {
            try db.execute("DELETE FROM sla_retime_progress")
            try db.execute("DELETE FROM sla_retime_failed")
            return
        }
        try db.execute("""
            INSERT INTO sla_retime_progress (id, fingerprint, through_ticket, last_ticket, failed, updated_at)
            VALUES (1, ?1, ?2, ?3, (SELECT COUNT(*) FROM sla_retime_failed), ?4)
            ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, through_ticket = excluded.through_ticket,
                                           last_ticket = excluded.last_ticket, failed = excluded.failed,
                                           updated_at = excluded.updated_at
            """, [progress.fingerprint, progress.throughTicket, progress.lastTicket, now])
    }

    /// The next tickets that are not closed after `after` and up to `through`, in id order (a walk
    /// of the primary key).
    public func openTicketIDs(after: Int64, through: Int64 = .max, limit: Int) throws -> [Int64] {
        try db.query("SELECT id FROM tickets WHERE id > ? AND id <= ? AND status != 'closed' ORDER BY id LIMIT ?", [after, through, limit])
            .map { $0.int("id") }
    }

    /// The highest ticket id (0 for an empty store).
    public func lastTicketID() throws -> Int64 {
        try db.row("SELECT COALESCE(MAX(id), 0) FROM tickets")?[0].int ?? 0
    }

    /// A ticket whose re-time failed (again).
    public func recordSLARetimeFailure(ticketID: Int64, now: Int64) throws {
        try db.execute("""
            INSERT INTO sla_retime_failed (ticket_id, attempts, tried_at) VALUES (?1, 1, ?2)
            ON CONFLICT (ticket_id) DO UPDATE SET attempts = attempts + 1, tried_at = excluded.tried_at
            """, [ticketID, now])
    }

    public func clearSLARetimeFailure(ticketID: Int64) throws {
        try db.execute("DELETE FROM sla_retime_failed WHERE ticket_id = ?", [ticketID])
    }

    /// Failed tickets to try again, least recently tried first, so more than `limit` take turns.
    public func slaRetimeFailures(limit: Int) throws -> [Int64] {
        try db.query("SELECT ticket_id FROM sla_retime_failed ORDER BY tried_at, ticket_id LIMIT ?", [limit])
            .map { $0.int("ticket_id") }
    }

    public func slaRetimeFailureCount() throws -> Int {
        Int(try db.row("SELECT COUNT(*) FROM sla_retime_failed")?[0].int ?? 0)
    }
}
