/// Mail waiting to be sent. Rows are written in the same transaction as the ticket change that
/// caused them, so a crash never loses a notification nor sends one for an uncommitted change.
public struct OutboxStore {
    public let db: Database
    public init(db: Database) { self.db = db }

    public struct Item: Sendable, Equatable {
        public var id: Int64
        public var ticketID: Int64?
        public var kind: String
        public var mailFrom: String
        public var recipients: [String]
        public var raw: [UInt8]
        public var status: String
        public var attempts: Int64
        public var nextAttemptAt: Int64
        public var lastError: String?
        /// Hand-overs to the SMTP server not confirmed by a "sent" mark (see `markHandingOver`).
        public var unconfirmed: Int64 = 0
    }

    @discardableResult
    public func enqueue(ticketID: Int64?, messageRow: Int64?, kind: String, mailFrom: String, recipients: [String],
                        raw: [UInt8], now: Int64) throws -> Int64 {
        try db.execute("""
            INSERT INTO outbox (ticket_id, message_row, kind, mail_from, recipients, raw, status, attempts, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
            """, [ticketID, messageRow, kind, mailFrom, recipients.joined(separator: "\n"), raw, now, now])
        return db.lastInsertRowID
    }

    /// Pending rows whose time has come, oldest first.
    public func due(now: Int64, limit: Int = 100) throws -> [Item] {
        try db.query("""
            SELECT id, ticket_id, kind, mail_from, recipients, raw, status, attempts, next_attempt_at, last_error, unconfirmed
            FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?
            """, [now, limit]).map {
            Item(id: $0.int("id"), ticketID: $0.optionalInt("ticket_id"), kind: $0.text("kind"), mailFrom: $0.text("mail_from"),
                 recipients: $0.text("recipients").split(separator: "\n").map(String.init), raw: $0.blob("raw"),
                 status: $0.text("status"), attempts: $0.int("attempts"), nextAttemptAt: $0.int("next_attempt_at"),
                 lastError: $0.optionalText("last_error"), unconfirmed: $0.int("unconfirmed"))
        }
    }

    /// Written (and committed) just before a mail is handed to the SMTP server. If the "sent"
    /// mark after it cannot be written (a full store, a crash), the row shows that the server may
    /// already have the mail (`OutboxSender` decides what that means).
    public func markHandingOver(_ id: Int64) throws {
        try db.execute("UPDATE outbox SET unconfirmed = unconfirmed + 1 WHERE id = ?", [id])
    }

    /// The server took it (250). `refused`: the recipients it refused, `address code text` lines.
    public func markSent(_ id: Int64, now: Int64, refused: [String] = []) throws {
        try db.execute("""
            UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, refused = ? WHERE id = ?
            """, [now, refused.isEmpty ? nil : refused.joined(separator: "\n"), id])
    }

    public func markRetry(_ id: Int64, error: String, nextAttemptAt: Int64) throws {
        try db.execute("UPDATE outbox SET attempts = attempts + 1, unconfirmed = 0, last_error = ?, next_attempt_at = ? WHERE id = ?",
                       [error, nextAttemptAt, id])
    }

    public func markFailed(_ id: Int64, error: String, countAttempt: Bool = true) throws {
        try db.execute("UPDATE outbox SET status = 'failed', attempts = attempts + ?, unconfirmed = 0, last_error = ? WHERE id = ?",
                       [countAttempt ? 1 : 0, error, id])
    }

    /// Pending rows created before `cutoff`.
    public func expired(before cutoff: Int64) throws -> [(id: Int64, kind: String, createdAt: Int64)] {
        try db.query("SELECT id, kind, created_at FROM outbox WHERE status = 'pending' AND created_at < ? ORDER BY id", [cutoff])
            .map { ($0.int("id"), $0.text("kind"), $0.int("created_at")) }
    }

    /// A new pending row with `id`'s mail for some of its recipients (those a server deferred).
    @discardableResult
    public func enqueueCopy(of id: Int64, recipients: [String], nextAttemptAt: Int64, error: String, now: Int64) throws -> Int64 {
        try db.execute("""
            INSERT INTO outbox (ticket_id, message_row, kind, mail_from, recipients, raw, status, attempts, next_attempt_at, last_error,
                                created_at, body_sha256)
            SELECT ticket_id, message_row, kind, mail_from, ?, raw, 'pending', 1, ?, ?, created_at, body_sha256 FROM outbox WHERE id = ?
            """, [recipients.joined(separator: "\n"), nextAttemptAt, error, id])
        return db.lastInsertRowID
    }

    /// An operator's `outbox retry`: due now, whatever happened before (a dropped row comes back).
    public func retry(_ id: Int64, now: Int64) throws {
        try db.execute("""
            UPDATE outbox SET status = 'pending', next_attempt_at = ?, unconfirmed = 0, dropped_by = NULL, dropped_at = NULL
            WHERE id = ? AND status != 'sent'
            """, [now, id])
    }

    /// An operator's `outbox drop`: never sent; the row stays as the record.
    public func drop(_ id: Int64, by actor: String, now: Int64) throws {
        try db.execute("""
            UPDATE outbox SET status = 'failed', dropped_by = ?, dropped_at = ?, unconfirmed = 0,
            last_error = COALESCE(last_error, 'dropped by operator') WHERE id = ? AND status != 'sent'
            """, [actor, now, id])
    }

    public func count(status: String) throws -> Int64 {
        try db.row("SELECT COUNT(*) AS n FROM outbox WHERE status = ?", [status])?.int("n") ?? 0
    }
}
