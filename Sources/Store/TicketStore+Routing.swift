import Foundation
import Ticketing

/// What routing stores on a ticket (language, category, SLA policy, tags, a waiting assignment)
/// and the reads assignment needs (open load per agent, a requester's last agent, the rotation).
extension TicketStore {
    public struct Routing: Sendable, Equatable {
        public var language: String?
        public var category: String?
        /// The assignment target waiting for someone on duty, as `AssignTarget.description` writes it.
        public var assignPending: String?
        public var tags: [String]
    }

    public func routing(ticketID: Int64) throws -> Routing {
        let row = try db.row("SELECT language, category, assign_pending FROM tickets WHERE id = ?", [ticketID])
        return Routing(language: row?.optionalText("language"), category: row?.optionalText("category"),
                       assignPending: row?.optionalText("assign_pending"),
                       tags: try tags(ticketID: ticketID))
    }

    /// Sets the given routing fields (nil leaves a field as it is).
    public func setRouting(ticketID: Int64, language: String?, category: String?) throws {
        try db.execute("UPDATE tickets SET language = COALESCE(?, language), category = COALESCE(?, category) WHERE id = ?",
                       [language, category, ticketID])
    }

    public func setAssignPending(ticketID: Int64, target: String?) throws {
        try db.execute("UPDATE tickets SET assign_pending = ? WHERE id = ?", [target, ticketID])
    }

    public func addTags(ticketID: Int64, _ tags: [String]) throws {
        for tag in tags {
            try db.execute("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?, ?)", [ticketID, tag])
        }
    }

    public func tags(ticketID: Int64) throws -> [String] {
        try db.query("SELECT tag FROM ticket_tags WHERE ticket_id = ? ORDER BY rowid", [ticketID]).map { $0.text("tag") }
    }

    /// Tickets waiting for someone to come on duty: unassigned and still active.
    public func waitingForAssignment(limit: Int = 500) throws -> [(ticket: TicketRecord, target: String)] {
        try db.query("""
            SELECT \(Self.ticketColumns), assign_pending FROM tickets
            WHERE assign_pending IS NOT NULL ORDER BY number LIMIT ?
            """, [limit]).map { (TicketRecord(row: $0), $0.text("assign_pending")) }
    }

    /// Each agent's new+open+pending tickets and when they were last given one.
    public func agentLoads() throws -> [String: AgentLoad] {
        var loads: [String: AgentLoad] = [:]
        for row in try db.query("""
            SELECT assignee, COUNT(*) AS n FROM tickets
            WHERE assignee IS NOT NULL AND status IN ('new', 'open', 'pending') GROUP BY assignee
            """) {
            loads[row.text("assignee"), default: AgentLoad()].open = Int(row.int("n"))
        }
        for row in try db.query("""
            SELECT new_value, MAX(created_at) AS at FROM ticket_events
            WHERE type = 'assignee' AND new_value IS NOT NULL GROUP BY new_value
            """) {
            loads[row.text("new_value"), default: AgentLoad()].lastAssignedAt = Date(timeIntervalSince1970: TimeInterval(row.int("at")))
        }
        return loads
    }

    /// The assignee of the requester's most recently active assigned ticket.
    public func lastAgent(forRequester address: String) throws -> String? {
        try db.row("""
            SELECT assignee FROM tickets WHERE requester = ? AND assignee IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT 1
            """, [Address.normalised(address)])?.optionalText("assignee")
    }

    public func rotation() throws -> [String: String] {
        Dictionary(try db.query("SELECT group_name, last_agent FROM assignment_rotation").map { ($0.text("group_name"), $0.text("last_agent")) },
                   uniquingKeysWith: { a, _ in a })
    }

    public func setRotation(group: String, lastAgent: String, now: Int64) throws {
        try db.execute("""
            INSERT INTO assignment_rotation (group_name, last_agent, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (group_name) DO UPDATE SET last_agent = excluded.last_agent, updated_at = excluded.updated_at
            """, [group, lastAgent, now])
    }
}
