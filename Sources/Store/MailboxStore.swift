/// The intake's bookkeeping per mailbox: the UID cursor, the deliveries taken in, and
/// which after-import actions are still to be applied on the server.
public struct MailboxStore {
    public let db: Database
    public init(db: Database) { self.db = db }

    public struct Cursor: Sendable, Equatable {
        public var mailbox: String
        public var uidValidity: Int64
        public var lastUID: Int64
        public var lastPollAt: Int64?
        public var lastSuccessAt: Int64?
        public var lastError: String?
        public var serverMessages: Int64?
        /// Folder messages at or below the cursor without a delivery (see `Poller`), last poll.
        public var unaccounted: Int64?
    }

    public struct PendingAction: Sendable, Equatable {
        public var deliveryID: Int64
        public var uid: Int64
        public var action: String
    }

    public func cursor(_ mailbox: String) throws -> Cursor? {
        try db.row("""
            SELECT mailbox, uidvalidity, last_uid, last_poll_at, last_success_at, last_error, server_messages, unaccounted
            FROM mailbox_cursors WHERE mailbox = ?
            """, [mailbox]).map {
            Cursor(mailbox: $0.text("mailbox"), uidValidity: $0.int("uidvalidity"), lastUID: $0.int("last_uid"),
                   lastPollAt: $0.optionalInt("last_poll_at"), lastSuccessAt: $0.optionalInt("last_success_at"),
                   lastError: $0.optionalText("last_error"), serverMessages: $0.optionalInt("server_messages"),
                   unaccounted: $0.optionalInt("unaccounted"))
        }
    }

    public func cursors() throws -> [Cursor] {
        try db.query("SELECT mailbox FROM mailbox_cursors ORDER BY mailbox").compactMap { try cursor($0.text("mailbox")) }
    }

    /// Moves the cursor; called inside the transaction that stores the message.
    public func setCursor(_ mailbox: String, uidValidity: Int64, lastUID: Int64, now: Int64) throws {
        try db.execute("""
            INSERT INTO mailbox_cursors (mailbox, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
                updated_at = excluded.updated_at
            """, [mailbox, uidValidity, lastUID, now])
    }

    /// Records how a poll went, for `postdesk mailboxes` and the metrics.
    /// `unaccounted`: nil keeps the last known count (a failed poll could not count).
    public func recordPoll(_ mailbox: String, now: Int64, error: String?, serverMessages: Int64?, unaccounted: Int64? = nil) throws {
        try db.execute("""
            INSERT INTO mailbox_cursors (mailbox, uidvalidity, last_uid, updated_at, last_poll_at, last_success_at, last_error,
                                         server_messages, unaccounted)
            VALUES (?1, 0, 0, ?2, ?2, CASE WHEN ?3 IS NULL THEN ?2 END, ?3, ?4, ?5)
            ON CONFLICT(mailbox) DO UPDATE SET last_poll_at = ?2,
                last_success_at = CASE WHEN ?3 IS NULL THEN ?2 ELSE last_success_at END,
                last_error = ?3, server_messages = COALESCE(?4, server_messages), unaccounted = COALESCE(?5, unaccounted)
            """, [mailbox, now, error, serverMessages, unaccounted])
    }

    /// The UIDs taken in from this folder up to `uid`, ascending: the truth the cursor only
    /// summarises. Read from the (mailbox, uidvalidity, uid) index alone.
    /// Scanned without building a `Row` per delivery: with `after_import: seen` the folder
    /// keeps every message, so this reads one row per message ever taken in, each poll.
    public func deliveredUIDs(mailbox: String, uidValidity: Int64, from low: Int64 = 1, through uid: Int64) throws -> [Int64] {
        var uids: [Int64] = []
        try db.scan("""
            SELECT uid FROM deliveries WHERE mailbox = ? AND uidvalidity = ? AND uid BETWEEN ? AND ? ORDER BY uid
            """, [mailbox, uidValidity, low, uid]) { uids.append($0.int(0)) }
        return uids
    }

    /// Of `uids`, those whose after-import action was confirmed applied (moved or deleted on
    /// the server, so they should not be in the folder any more).
    public func actedOn(mailbox: String, uidValidity: Int64, uids: [Int64]) throws -> [Int64] {
        var found: [Int64] = []
        for uid in uids {
            if let row = try delivery(mailbox: mailbox, uidValidity: uidValidity, uid: uid), row.optionalInt("action_done_at") != nil {
                found.append(uid)
            }
        }
        return found
    }

    public func delivery(mailbox: String, uidValidity: Int64, uid: Int64) throws -> Row? {
        try db.row("SELECT id, message_row, quarantine_id, outcome, action, action_done_at FROM deliveries WHERE mailbox = ? AND uidvalidity = ? AND uid = ?",
                   [mailbox, uidValidity, uid])
    }

    @discardableResult
    public func addDelivery(mailbox: String, uidValidity: Int64, uid: Int64, messageRow: Int64?, quarantineID: Int64?,
                            outcome: String, action: String, now: Int64) throws -> Int64 {
        try db.execute("""
            INSERT INTO deliveries (mailbox, uidvalidity, uid, message_row, quarantine_id, outcome, action, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [mailbox, uidValidity, uid, messageRow, quarantineID, outcome, action, now])
        return db.lastInsertRowID
    }

    /// Deliveries whose after-import action has not been confirmed applied.
    public func pendingActions(mailbox: String, uidValidity: Int64) throws -> [PendingAction] {
        try db.query("""
            SELECT id, uid, action FROM deliveries
            WHERE mailbox = ? AND uidvalidity = ? AND action_done_at IS NULL ORDER BY uid
            """, [mailbox, uidValidity]).map { PendingAction(deliveryID: $0.int("id"), uid: $0.int("uid"), action: $0.text("action")) }
    }

    public func markActionsDone(_ deliveryIDs: [Int64], now: Int64) throws {
        try db.transaction {
            for id in deliveryIDs {
                try db.execute("UPDATE deliveries SET action_done_at = ? WHERE id = ?", [now, id])
            }
        }
    }

    /// Pending actions left from an old UIDVALIDITY can never be applied: those UIDs are gone.
    public func abandonActions(mailbox: String, otherThan uidValidity: Int64, now: Int64) throws -> Int {
        try db.execute("""
            UPDATE deliveries SET action_done_at = ? WHERE mailbox = ? AND uidvalidity <> ? AND action_done_at IS NULL
            """, [now, mailbox, uidValidity])
        return db.changes
    }

    public struct Counts: Sendable, Equatable {
        public var imported: Int64 = 0
        public var duplicate: Int64 = 0
        public var quarantined: Int64 = 0
        public var pendingActions: Int64 = 0
    }

    public func counts(mailbox: String) throws -> Counts {
        var c = Counts()
        for row in try db.query("SELECT outcome, COUNT(*) AS n FROM deliveries WHERE mailbox = ? GROUP BY outcome", [mailbox]) {
            switch row.text("outcome") {
            case "imported": c.imported = row.int("n")
            case "duplicate": c.duplicate = row.int("n")
            default: c.quarantined = row.int("n")
            }
        }
        c.pendingActions = try db.row("SELECT COUNT(*) AS n FROM deliveries WHERE mailbox = ? AND action_done_at IS NULL", [mailbox])?.int("n") ?? 0
        return c
    }
}
