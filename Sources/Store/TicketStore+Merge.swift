import Ticketing

/// Merging and linking tickets (see `TicketMerge` for what may be merged).
extension TicketStore {
    /// Moves ticket `from` into `into`: its messages (with their files and search entries, which
    /// hang on the message rows), events, outbox rows, participants, tags and links go to `into`;
    /// `from` stays as a closed stub with `merged_into` set, which threading follows. Its
    /// requester becomes a Cc of `into`, so she gets its replies. Both tickets get a `merged`
    /// event naming who merged and why, and a `merged` link to each other.
    public func merge(_ from: TicketRecord, into: TicketRecord, actor: String, reason: String, now: Int64) throws {
        guard from.id != into.id, from.mergedInto == nil, into.mergedInto == nil else {
            throw StoreError(kind: .invalid, message: "cannot merge ticket #\(from.number) into #\(into.number)")
        }
        try db.transaction {
            let args: [SQLValue] = [.integer(into.id), .integer(from.id)]
            try db.execute("UPDATE messages SET ticket_id = ?1 WHERE ticket_id = ?2", args)
            // A's creation and status changes stay A's: the other ticket's SLA clocks run on its
            // own lifecycle (with the customer and agent messages that moved in).
            try db.execute("UPDATE ticket_events SET ticket_id = ?1 WHERE ticket_id = ?2 AND type NOT IN ('create', 'status')", args)
            try db.execute("UPDATE outbox SET ticket_id = ?1 WHERE ticket_id = ?2", args)
            try db.execute("""
                INSERT OR IGNORE INTO ticket_participants (ticket_id, address, role, added_at)
                SELECT ?1, address, CASE role WHEN 'requester' THEN 'cc' ELSE role END, added_at
                FROM ticket_participants WHERE ticket_id = ?2
                """, args)
            if from.requester.lowercased() != into.requester.lowercased() {
                try addParticipant(ticketID: into.id, address: from.requester, role: "cc", now: now)
            }
            try db.execute("DELETE FROM ticket_participants WHERE ticket_id = ?", [from.id])
            try db.execute("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) SELECT ?1, tag FROM ticket_tags WHERE ticket_id = ?2", args)
            try db.execute("DELETE FROM ticket_tags WHERE ticket_id = ?", [from.id])
            try db.execute("UPDATE ticket_links SET ticket_id = ?1 WHERE ticket_id = ?2 AND other_number <> ?3",
                           args + [.integer(into.number)])
            try db.execute("DELETE FROM ticket_links WHERE ticket_id = ?", [from.id])
            try db.execute("DELETE FROM ticket_links WHERE ticket_id = ? AND other_number = ?", [into.id, from.number])
            // The customer's wait is now the other ticket's: the stub's clocks stop, no alerts, and
            // silence neither resolves nor closes it.
            try db.execute("""
                UPDATE ticket_sla SET phase = 'stopped', next_alert_at = NULL, updated_at = ?
                WHERE ticket_id = ? AND phase IN ('running', 'paused')
                """, [now, from.id])
            try db.execute("UPDATE ticket_sla_policy SET silence_action = NULL, silence_due_at = NULL WHERE ticket_id = ?", [from.id])
            try db.execute("UPDATE tickets SET merged_into = ?, assign_pending = NULL, updated_at = ? WHERE id = ?",
                           [into.number, now, from.id])
            if from.status != .closed {
                try db.execute("UPDATE tickets SET status = 'closed' WHERE id = ?", [from.id])
                try addEvent(ticketID: from.id, type: "status", field: "status", oldValue: from.status.rawValue, newValue: "closed",
                             actor: actor, reason: "merged into #\(into.number)", now: now)
            }
            try addEvent(ticketID: from.id, type: "merged", field: "merged_into", newValue: "#\(into.number)", actor: actor,
                         reason: reason, now: now)
            try addEvent(ticketID: into.id, type: "merged", field: "merged_from", newValue: "#\(from.number)", actor: actor,
                         reason: reason, now: now)
            try addLink(ticketID: from.id, otherNumber: into.number, kind: "merged", now: now)
            try addLink(ticketID: into.id, otherNumber: from.number, kind: "merged", now: now)
            try touch(ticketID: into.id, now: now)
        }
    }

    /// Links two tickets as related, both ways, with a `linked` event on each. False when they
    /// already were.
    @discardableResult
    public func linkRelated(_ a: TicketRecord, _ b: TicketRecord, actor: String, now: Int64) throws -> Bool {
        guard a.id != b.id else { throw StoreError(kind: .invalid, message: "cannot link ticket #\(a.number) with itself") }
        return try db.transaction {
            guard try db.row("SELECT 1 AS x FROM ticket_links WHERE ticket_id = ? AND other_number = ? AND kind = 'related'",
                             [a.id, b.number]) == nil else { return false }
            for (this, other) in [(a, b), (b, a)] {
                try addLink(ticketID: this.id, otherNumber: other.number, kind: "related", now: now)
                try addEvent(ticketID: this.id, type: "linked", field: "related", newValue: "#\(other.number)", actor: actor,
                             reason: "related ticket", now: now)
            }
            return true
        }
    }
}
