/// Participants, links and undeliverable addresses: what threading and notifications consult.
extension TicketStore {
    /// Adds a participant; an existing one keeps its first role (a requester stays requester).
    public func addParticipant(ticketID: Int64, address: String, role: String, now: Int64) throws {
        try db.execute("INSERT OR IGNORE INTO ticket_participants (ticket_id, address, role, added_at) VALUES (?, ?, ?, ?)",
                       [ticketID, address.lowercased(), role, now])
    }

    /// Adds several participants in one statement (in order: the first role of an address wins).
    public func addParticipants(ticketID: Int64, _ participants: [(address: String, role: String)], now: Int64) throws {
        // At most 16 rows a statement, so a handful of statement texts are cached, not one per count.
        for start in stride(from: 0, to: participants.count, by: 16) {
            let chunk = participants[start..<min(start + 16, participants.count)]
            let rows = Array(repeating: "(?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            try db.execute("INSERT OR IGNORE INTO ticket_participants (ticket_id, address, role, added_at) VALUES \(rows)",
                           chunk.flatMap { p -> [any SQLBindable] in [ticketID, p.address.lowercased(), p.role, now] })
        }
    }

    public func participants(ticketID: Int64) throws -> [(address: String, role: String)] {
        try db.query("SELECT address, role FROM ticket_participants WHERE ticket_id = ? ORDER BY added_at, address", [ticketID])
            .map { ($0.text("address"), $0.text("role")) }
    }

    public func addLink(ticketID: Int64, otherNumber: Int64, kind: String, now: Int64) throws {
        try db.execute("INSERT INTO ticket_links (ticket_id, other_number, kind, created_at) VALUES (?, ?, ?, ?)",
                       [ticketID, otherNumber, kind, now])
    }

    public func links(ticketID: Int64) throws -> [(number: Int64, kind: String)] {
        try db.query("SELECT other_number, kind FROM ticket_links WHERE ticket_id = ? ORDER BY id", [ticketID])
            .map { ($0.int("other_number"), $0.text("kind")) }
    }

    /// When the ticket last became resolved, from its events.
    public func resolvedAt(ticketID: Int64) throws -> Int64? {
        try db.row("SELECT MAX(created_at) AS t FROM ticket_events WHERE ticket_id = ? AND field = 'status' AND new_value = 'resolved'",
                   [ticketID])?.optionalInt("t")
    }

    /// The ticket that holds a stored message with this Message-ID (without brackets).
    public func ticketNumber(forMessageID messageID: String) throws -> Int64? {
        try db.row("""
            SELECT t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE m.message_id = ? ORDER BY m.id LIMIT 1
            """, [messageID])?.optionalInt("number")
    }

    public func markUndeliverable(address: String, status: String?, diagnostic: String?, messageRow: Int64?,
                                  ticketID: Int64?, now: Int64) throws {
        try db.execute("""
            INSERT INTO undeliverable_addresses (address, status, diagnostic, message_row, ticket_id, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(address) DO UPDATE SET status = excluded.status, diagnostic = excluded.diagnostic,
                message_row = excluded.message_row, ticket_id = excluded.ticket_id, updated_at = excluded.updated_at
            """, [address.lowercased(), status, diagnostic, messageRow, ticketID, now])
    }

    public func isUndeliverable(_ address: String) throws -> Bool {
        try db.row("SELECT 1 FROM undeliverable_addresses WHERE address = ?", [address.lowercased()]) != nil
    }

    public func undeliverable(among addresses: [String]) throws -> [(address: String, status: String?, diagnostic: String?)] {
        try addresses.compactMap { a in
            try db.row("SELECT address, status, diagnostic FROM undeliverable_addresses WHERE address = ?", [a.lowercased()])
                .map { ($0.text("address"), $0.optionalText("status"), $0.optionalText("diagnostic")) }
        }
    }

    /// Applies a field change (priority, assignee) and records it as an event.
    public func setField(ticketID: Int64, field: String, old: String?, new: String?, actor: String, reason: String?, now: Int64) throws {
        switch field {
        case "priority": try db.execute("UPDATE tickets SET priority = ?, updated_at = ? WHERE id = ?", [new ?? "normal", now, ticketID])
        case "assignee": try db.execute("UPDATE tickets SET assignee = ?, updated_at = ? WHERE id = ?", [new, now, ticketID])
        case "status": try db.execute("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?", [new ?? "open", now, ticketID])
        case "queue": try db.execute("UPDATE tickets SET queue = ?, updated_at = ? WHERE id = ?", [new ?? "", now, ticketID])
        default: throw StoreError(kind: .invalid, message: "unknown ticket field \(field)")
        }
        try addEvent(ticketID: ticketID, type: field, field: field, oldValue: old, newValue: new, actor: actor, reason: reason, now: now)
        if field == "status" || field == "queue" { try silenceMayHaveChanged(ticketID: ticketID, now: now) }
    }
}
