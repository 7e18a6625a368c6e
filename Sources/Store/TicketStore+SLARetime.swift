import Foundation

/// Re-timing the open tickets' SLA clocks after the settings changed, in batches by ticket id:
/// each batch commits alone, so a large store is re-timed while the daemon serves mail, and a
/// restart goes on after the last batch that committed.
extension TicketStore {
    /// The settings being applied, and the last ticket id done under them.
    public struct SLARetimeProgress: Equatable, Sendable {
        public let fingerprint: String
        public let throughTicket: Int64
        public init(fingerprint: String, throughTicket: Int64) {
            self.fingerprint = fingerprint
            self.throughTicket = throughTicket
        }
    }

    /// Nil when no re-time is under way.
    public func slaRetimeProgress() throws -> SLARetimeProgress? {
        try db.row("SELECT fingerprint, through_ticket FROM sla_retime_progress WHERE id = 1").map {
            SLARetimeProgress(fingerprint: $0.text("fingerprint"), throughTicket: $0.int("through_ticket"))
        }
    }

    /// Records how far the re-time got; nil: it is finished (or abandoned).
    public func setSLARetimeProgress(_ progress: SLARetimeProgress?, now: Int64) throws {
        guard let progress else {
            try db.execute("DELETE FROM sla_retime_progress")
            return
        }
        try db.execute("""
            INSERT INTO sla_retime_progress (id, fingerprint, through_ticket, updated_at) VALUES (1, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, through_ticket = excluded.through_ticket,
                                           updated_at = excluded.updated_at
            """, [progress.fingerprint, progress.throughTicket, now])
    }

    /// The next tickets that are not closed after `after`, in id order (a walk of the primary key).
    public func openTicketIDs(after: Int64, limit: Int) throws -> [Int64] {
        try db.query("SELECT id FROM tickets WHERE id > ? AND status != 'closed' ORDER BY id LIMIT ?", [after, limit])
            .map { $0.int("id") }
    }
}
