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

    /// The language stored on ticket `number`, nil when it has none (or there is no such ticket).
    public func language(ticketNumber: Int64) throws -> String? {
        try db.row("SELECT language FROM tickets WHERE number = ?", [ticketNumber])?.optionalText("language")
    }

    /// Sets the given routing fields (nil leaves a field as it is).
    public func setRouting(ticketID: Int64, language: String?, category: String?) throws {
        try db.execute("UPDATE tickets SET language = COALESCE(?, language), category = COALESCE(?, category) WHERE id = ?",
                       [language, category, ticketID])
    }

    public func setAssignPending(ticketID: Int64, target: String?) throws {
        try db.execute("UPDATE tickets SET assign_pending = ? WHERE id = ?", [target, ticketID])
    }

    /// Adds the tags the ticket does not have yet, in their order: one statement per 16.
    public func addTags(ticketID: Int64, _ tags: [String]) throws {
        for start in stride(from: 0, to: tags.count, by: 16) {
            let chunk = tags[start..<min(start + 16, tags.count)]
            try db.execute(Self.addTagsSQL[chunk.count], [ticketID] + chunk.map { $0 as any SQLBindable })
        }
    }

    /// `addTags`' statement for 1…16 tags (index = tags), made once.
    private static let addTagsSQL: [String] = (0...16).map { count in
        "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES " + (0..<count).map { "(?1, ?\($0 + 2))" }.joined(separator: ", ")
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
    public func agentLoads(of agents: [String]) throws -> [String: AgentLoad] {
        // Per agent, by index: the open count is a range of tickets_assignee_status, the last
        // assignment one seek into ticket_events_assigned (a GROUP BY over every assignee read
        // the whole index for each assignment, growing with the store).
        var loads: [String: AgentLoad] = [:]
        for agent in Set(agents) {
            let open = try db.row("""
                SELECT COUNT(*) AS n FROM tickets WHERE assignee = ? AND status IN ('new', 'open', 'pending')
                """, [agent])?.int("n") ?? 0
            let last = try db.row("""
                SELECT MAX(created_at) AS at FROM ticket_events WHERE type = 'assignee' AND new_value = ?
                """, [agent])?.optionalInt("at")
            loads[agent] = AgentLoad(open: Int(open), lastAssignedAt: last.map { Date(timeIntervalSince1970: TimeInterval($0)) })
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
