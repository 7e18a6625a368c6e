/// Messages that could not be processed, kept with their bytes until retried or dropped.
public struct QuarantineStore {
    public let db: Database
    public init(db: Database) { self.db = db }

    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var mailbox: String?
        public var uidValidity: Int64?
        public var uid: Int64?
        public var sha256: String
        public var size: Int64
        public var reason: String
        public var error: String?
        public var attempts: Int64
        public var status: String
        public var createdAt: Int64
        public var updatedAt: Int64
        public var droppedBy: String?

        init(row: Row) {
            id = row.int("id"); mailbox = row.optionalText("mailbox"); uidValidity = row.optionalInt("uidvalidity")
            uid = row.optionalInt("uid"); sha256 = row.text("sha256"); size = row.int("size")
            reason = row.text("reason"); error = row.optionalText("error"); attempts = row.int("attempts")
            status = row.text("status"); createdAt = row.int("created_at"); updatedAt = row.int("updated_at")
            droppedBy = row.optionalText("dropped_by")
        }
    }

    static let columns = "id, mailbox, uidvalidity, uid, sha256, size, reason, error, attempts, status, created_at, updated_at, dropped_by"

    @discardableResult
    public func add(mailbox: String?, uidValidity: Int64?, uid: Int64?, raw: [UInt8], sha256: String,
                    reason: String, error: String?, now: Int64) throws -> Int64 {
        try db.execute("""
            INSERT INTO quarantine (mailbox, uidvalidity, uid, sha256, size, raw, reason, error, attempts, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'held', ?, ?)
            """, [mailbox, uidValidity, uid, sha256, raw.count, raw, reason, error, now, now])
        return db.lastInsertRowID
    }

    public func list(includeAll: Bool = false) throws -> [Entry] {
        try db.query("SELECT \(Self.columns) FROM quarantine WHERE ?1 OR status = 'held' ORDER BY id", [includeAll]).map(Entry.init)
    }

    public func entry(_ id: Int64) throws -> Entry? {
        try db.row("SELECT \(Self.columns) FROM quarantine WHERE id = ?", [id]).map(Entry.init)
    }

    public func raw(_ id: Int64) throws -> [UInt8]? {
        try db.row("SELECT raw FROM quarantine WHERE id = ?", [id])?.blob("raw")
    }

    public func recordFailedRetry(_ id: Int64, reason: String, error: String?, now: Int64) throws {
        try db.execute("UPDATE quarantine SET attempts = attempts + 1, reason = ?, error = ?, updated_at = ? WHERE id = ?",
                       [reason, error, now, id])
    }

    public func markImported(_ id: Int64, now: Int64) throws {
        try db.execute("UPDATE quarantine SET status = 'imported', attempts = attempts + 1, updated_at = ? WHERE id = ?", [now, id])
    }

    /// Drops the bytes but keeps the record: who dropped what, when, and why it was held.
    public func drop(_ id: Int64, by actor: String, now: Int64) throws {
        try db.execute("UPDATE quarantine SET status = 'dropped', raw = X'', dropped_by = ?, updated_at = ? WHERE id = ?",
                       [actor, now, id])
    }

    public func heldCount() throws -> Int64 {
        try db.row("SELECT COUNT(*) AS n FROM quarantine WHERE status = 'held'")?.int("n") ?? 0
    }
}
