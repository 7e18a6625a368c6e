/// An outbox row as operators see it (`postdesk outbox`): everything but the bytes.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var ticketNumber: Int64?
    public var kind: String
    public var recipients: [String]
    /// pending, sent, failed, or dropped (a failed row an operator gave up).
    public var state: String
    public var attempts: Int64
    public var nextAttemptAt: Int64
    public var lastError: String?
    public var createdAt: Int64
    public var sentAt: Int64?
    public var refused: [String]
    public var droppedBy: String?
    /// Hand-overs to the server not confirmed by a "sent" mark.
    public var unconfirmed: Int64
    public var size: Int64
    public var messageRow: Int64?

    init(row: Row) {
        id = row.int("id")
        ticketNumber = row.optionalInt("number")
        kind = row.text("kind")
        recipients = row.text("recipients").split(separator: "\n").map(String.init)
        droppedBy = row.optionalText("dropped_by")
        state = droppedBy != nil ? "dropped" : row.text("status")
        attempts = row.int("attempts")
        nextAttemptAt = row.int("next_attempt_at")
        lastError = row.optionalText("last_error")
        createdAt = row.int("created_at")
        sentAt = row.optionalInt("sent_at")
        refused = row.optionalText("refused")?.split(separator: "\n").map(String.init) ?? []
        unconfirmed = row.int("unconfirmed")
        size = row.int("size")
        messageRow = row.optionalInt("message_row")
    }
}

extension OutboxStore {
    static let entryColumns = """
        o.id, t.number, o.kind, o.recipients, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
        o.refused, o.dropped_by, o.unconfirmed, length(o.raw) AS size, o.message_row
        """

    /// Rows newest first; `status`: pending, sent or failed (failed includes dropped).
    public func entries(status: String? = nil, limit: Int = 1000) throws -> [OutboxEntry] {
        let filter = status == nil ? "" : "WHERE o.status = ?"
        let args: [SQLValue] = (status.map { [SQLValue.text($0)] } ?? []) + [.integer(Int64(limit))]
        return try db.query("SELECT \(Self.entryColumns) FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id \(filter) ORDER BY o.id DESC LIMIT ?",
                            args).map(OutboxEntry.init)
    }

    public func entry(_ id: Int64) throws -> OutboxEntry? {
        try db.row("SELECT \(Self.entryColumns) FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id WHERE o.id = ?", [id])
            .map(OutboxEntry.init)
    }

    public func raw(_ id: Int64) throws -> [UInt8]? {
        try db.row("SELECT raw FROM outbox WHERE id = ?", [id])?.blob("raw")
    }
}
