import Ticketing

/// Reads and writes tickets, their events and their messages. Callers wrap related writes in
/// `db.transaction` so a message, its ticket change and the mailbox cursor commit together.
public struct TicketStore {
    public let db: Database
    /// Messages from this size on keep their bytes in `message_raw`, written in pieces
    /// (`Database.writeBlob`): a 25 MB message is then held once by us, never also whole in
    /// SQLite's record. Smaller ones stay in `messages.raw` (one statement, fastest).
    public var largeMessageBytes = 4 << 20

    public init(db: Database) { self.db = db }

    static let ticketColumns = baseTicketColumns + ", merged_into"
    /// What a new ticket returns (never merged): also works on a store older than `merged_into`.
    static let baseTicketColumns = "id, number, subject, status, priority, queue, assignee, requester, created_at, updated_at"
    /// `ticketColumns` of the tickets table named `alias` in a join, for `TicketRecord(row:)`.
    static func ticketColumns(of alias: String) -> String {
        ticketColumns.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }
    /// An inbound message stored before the class column (migration v18) has no class: it is
    /// read from the decision text, where the intake used to append it.
    static let messageColumns = """
        id, ticket_id, direction, message_id, sha256, size, from_address, subject, created_at, decision,
        CASE WHEN class IS NOT NULL OR direction <> 'in' THEN class ELSE \(classFromDecision("decision")) END AS class
        """
    /// The sender class an inbound message's decision text names ("…; auto-reply (…)"), as SQL
    /// over the column `decision`. v7's trigger and v18 (shipped, frozen) spell the same CASE;
    /// MigratorTests holds them to it.
    static func classFromDecision(_ decision: String) -> String {
        "CASE WHEN \(decision) LIKE '%; bounce%' THEN 'bounce' WHEN \(decision) LIKE '%; auto-reply%' THEN 'auto-reply' "
            + "WHEN \(decision) LIKE '%; list%' THEN 'list' ELSE 'human' END"
    }

    // MARK: - Tickets

    /// Creates a ticket with the next free number and records its `create` event. Inside a
    /// transaction it adds no savepoint: a failure rolls back the caller's (see `atomically`).
    public func createTicket(subject: String, requester: String, queue: String,
                             priority: TicketPriority = .normal, status: TicketStatus = .new,
                             actor: String, now: Int64) throws -> TicketRecord {
        try db.atomically {
            // The number in the same statement: one read of the number index fewer.
            let row = try db.row("""
                INSERT INTO tickets (number, subject, status, priority, queue, requester, created_at, updated_at)
                SELECT COALESCE(MAX(number), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM tickets RETURNING \(Self.baseTicketColumns)
                """, [subject, status.rawValue, priority.rawValue, queue, requester, now, now])!
            let ticket = TicketRecord(row: row)
            try addEvent(ticketID: ticket.id, type: "create", newValue: status.rawValue, actor: actor, now: now)
            return ticket
        }
    }

    public func ticket(number: Int64) throws -> TicketRecord? {
        try db.row("SELECT \(Self.ticketColumns) FROM tickets WHERE number = ?", [number]).map(TicketRecord.init)
    }

    public func ticket(id: Int64) throws -> TicketRecord? {
        try db.row("SELECT \(Self.ticketColumns) FROM tickets WHERE id = ?", [id]).map(TicketRecord.init)
    }

    /// Tickets newest first, optionally filtered by status and queue; stubs of merged tickets
    /// only with `includeMerged`.
    public func tickets(status: TicketStatus? = nil, queue: String? = nil, limit: Int = 50,
                        includeMerged: Bool = false) throws -> [TicketRecord] {
        // One statement per combination of filters (values stay bound), so the planner walks the
        // index of the filter (tickets_status_number, tickets_queue_number) newest first and stops
        // at the limit, instead of every ticket by number testing each.
        var conditions: [String] = [], values: [any SQLBindable] = []
        if let status { conditions.append("status = ?"); values.append(status.rawValue) }
        if let queue { conditions.append("queue = ?"); values.append(queue) }
        if !includeMerged { conditions.append("merged_into IS NULL") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try db.query("SELECT \(Self.ticketColumns) FROM tickets \(filter) ORDER BY number DESC LIMIT ?",
                            values + [limit]).map(TicketRecord.init)
    }

    /// Changes a field of a ticket and records the change as an event. No-op when unchanged.
    public func setStatus(ticketID: Int64, to new: TicketStatus, actor: String, reason: String?, now: Int64) throws {
        guard let ticket = try ticket(id: ticketID), ticket.status != new else { return }
        try db.transaction {
            try db.execute("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?", [new.rawValue, now, ticketID])
            try addEvent(ticketID: ticketID, type: "status", field: "status", oldValue: ticket.status.rawValue,
                         newValue: new.rawValue, actor: actor, reason: reason, now: now)
            try silenceMayHaveChanged(ticketID: ticketID, now: now)
        }
    }

    public func touch(ticketID: Int64, now: Int64) throws {
        try db.execute("UPDATE tickets SET updated_at = ? WHERE id = ?", [now, ticketID])
    }

    // MARK: - Events

    @discardableResult
    public func addEvent(ticketID: Int64, messageRow: Int64? = nil, type: String, field: String? = nil,
                         oldValue: String? = nil, newValue: String? = nil, actor: String,
                         reason: String? = nil, now: Int64) throws -> Int64 {
        try db.execute("""
            INSERT INTO ticket_events (ticket_id, message_row, type, field, old_value, new_value, actor, reason, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [ticketID, messageRow, type, field, oldValue, newValue, actor, reason, now])
        return db.lastInsertRowID
    }

    /// One event of several that a ticket gets together (`addEvents`).
    public struct NewEvent: Sendable, Equatable {
        public var type: String
        public var field: String?
        public var oldValue: String?
        public var newValue: String?
        public var reason: String?
        public init(type: String, field: String? = nil, oldValue: String? = nil, newValue: String? = nil, reason: String? = nil) {
            (self.type, self.field, self.oldValue, self.newValue, self.reason) = (type, field, oldValue, newValue, reason)
        }
    }

    /// Adds `events` to the ticket in their order, by one actor for one message, as
    /// `addEvent` would one by one, in a statement per 16 (a message's rule hits: a statement
    /// each was most of what rules added to the intake's store writes).
    public func addEvents(ticketID: Int64, messageRow: Int64?, _ events: [NewEvent], actor: String, now: Int64) throws {
        for start in stride(from: 0, to: events.count, by: 16) {
            let chunk = events[start..<min(start + 16, events.count)]
            var values: [any SQLBindable] = [ticketID, messageRow, actor, now]
            values.reserveCapacity(4 + 5 * chunk.count)
            for e in chunk { values += [e.type, e.field, e.oldValue, e.newValue, e.reason] as [any SQLBindable] }
            try db.execute(Self.addEventsSQL[chunk.count], values)
        }
    }

    /// `addEvents`' statement for 1…16 rows (index = rows): ?1-?4 are shared, each row's own
    /// values follow, five a row. Made once, not per message.
    private static let addEventsSQL: [String] = (0...16).map { count in
        "INSERT INTO ticket_events (ticket_id, message_row, type, field, old_value, new_value, actor, reason, created_at) VALUES "
            + (0..<count).map { k in
                let p = 5 + 5 * k
                return "(?1, ?2, ?\(p), ?\(p + 1), ?\(p + 2), ?\(p + 3), ?3, ?\(p + 4), ?4)"
            }.joined(separator: ", ")
    }

    public func events(ticketID: Int64) throws -> [TicketEventRecord] {
        try db.query("""
            SELECT id, ticket_id, message_row, type, field, old_value, new_value, actor, reason, created_at
            FROM ticket_events WHERE ticket_id = ? ORDER BY id
            """, [ticketID]).map(TicketEventRecord.init)
    }

    // MARK: - Messages

    /// Stores a message's raw bytes exactly as received or sent.
    @discardableResult
    public func addMessage(ticketID: Int64?, direction: String, messageID: String?, sha256: String,
                           raw: [UInt8], fromAddress: String?, subject: String?, sentAt: Int64?,
                           decision: String?, messageClass: String? = nil, now: Int64) throws -> Int64 {
        let large = raw.count >= largeMessageBytes
        // Without a class the column is not named: the statement also fits a store older than it.
        let stored: [UInt8] = large ? [] : raw
        var values: [any SQLBindable] = [ticketID, direction, messageID, sha256, raw.count, stored, fromAddress, subject, sentAt, now, decision]
        if let messageClass { values.append(messageClass) }
        try db.execute("""
            INSERT INTO messages (ticket_id, direction, message_id, sha256, size, raw, from_address, subject, sent_at, created_at, decision\(messageClass == nil ? "" : ", class")
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?\(messageClass == nil ? "" : ", ?"))
            """, values)
        let row = db.lastInsertRowID
        if large {
            // `raw` is the table's last column, so the zeroblob is not materialised in the record.
            try db.execute("INSERT INTO message_raw (message_row, raw) VALUES (?, zeroblob(?))", [row, raw.count])
            try db.writeBlob(table: "message_raw", column: "raw", row: row, bytes: raw)
        }
        return row
    }

    /// SQL for a message's bytes in a query over `messages`: from `message_raw` for a large one.
    public static let rawBytesSQL = "coalesce((SELECT r.raw FROM message_raw r WHERE r.message_row = messages.id), messages.raw)"

    public func messages(ticketID: Int64) throws -> [MessageRecord] {
        try db.query("SELECT \(Self.messageColumns) FROM messages WHERE ticket_id = ? ORDER BY id", [ticketID])
            .map(MessageRecord.init)
    }

    public func message(row id: Int64) throws -> MessageRecord? {
        try db.row("SELECT \(Self.messageColumns) FROM messages WHERE id = ?", [id]).map(MessageRecord.init)
    }

    /// Messages carrying this Message-ID (angle brackets optional), oldest first.
    public func messages(messageID: String) throws -> [MessageRecord] {
        let bare = messageID.trimmingCharacters(in: ["<", ">", " "])
        return try db.query("SELECT \(Self.messageColumns) FROM messages WHERE message_id = ? ORDER BY id", [bare])
            .map(MessageRecord.init)
    }

    /// The exact bytes stored for a message.
    public func raw(row id: Int64) throws -> [UInt8]? {
        try db.row("SELECT \(Self.rawBytesSQL) AS raw FROM messages WHERE id = ?", [id])?.blob("raw")
    }
}

extension TicketStore {
    /// A ticket's messages in order with the outbox kind of our own: what threading a mail to
    /// the customer reads.
    /// `recipients`: for our own mails, whom the outbox row sent it to.
    public func conversation(ticketID: Int64) throws -> [(inbound: Bool, messageID: String?, from: String?, kind: String?, recipients: [String])] {
        try db.query("""
            SELECT m.direction, m.message_id, m.from_address, o.kind, o.recipients FROM messages m LEFT JOIN outbox o ON o.message_row = m.id
            WHERE m.ticket_id = ? ORDER BY m.id
            """, [ticketID]).map {
            ($0.text("direction") == "in", $0.optionalText("message_id"), $0.optionalText("from_address"), $0.optionalText("kind"),
             ($0.optionalText("recipients") ?? "").split(separator: "\n").map(String.init))
        }
    }

    /// The header block of the requester's first message on the ticket: her display name is there.
    public func firstHeader(ticketID: Int64, from address: String) throws -> [UInt8]? {
        guard let raw = try db.row("""
            SELECT substr(\(Self.rawBytesSQL), 1, 65536) AS head FROM messages WHERE ticket_id = ? AND direction = 'in' AND from_address = ? ORDER BY id LIMIT 1
            """, [ticketID, address.lowercased()])?.blob("head") else { return nil }
        return raw
    }
}
