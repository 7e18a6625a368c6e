/// One named step of the schema. Shipped migrations are never edited; new ones are appended.
public struct Migration: Sendable {
    public let id: String
    public let sql: String
    public init(_ id: String, sql: String) {
        self.id = id
        self.sql = sql
    }
}

/// Applies migrations in order, each in its own transaction together with its record in
/// `schema_migrations`, and refuses a database that a newer postdesk has migrated.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        let ids = migrations.map(\.id)
        precondition(Set(ids).count == ids.count, "duplicate migration id")
        self.migrations = migrations
    }

    /// The migrations already applied to `db`, in the order they were applied.
    public func applied(in db: Database) throws -> [String] {
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT PRIMARY KEY,
                applied_at INTEGER NOT NULL
            ) STRICT
            """)
        return try db.query("SELECT id FROM schema_migrations ORDER BY rowid").map { $0.text("id") }
    }

    /// Applies what is missing; returns the ids it applied.
    @discardableResult
    public func migrate(_ db: Database, now: Int64) throws -> [String] {
        let done = try applied(in: db)
        let known = Set(migrations.map(\.id))
        let unknown = done.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw StoreError(kind: .schemaTooNew(unknown: unknown), message: "schema too new")
        }
        var ran: [String] = []
        for migration in migrations where !done.contains(migration.id) {
            let applied = try db.transaction { () -> Bool in
                // Another process (a CLI command, a starting daemon) may have applied it since we
                // looked: look again under the write lock this transaction holds.
                if try db.row("SELECT 1 AS applied FROM schema_migrations WHERE id = ?", [migration.id]) != nil { return false }
                try db.executeScript(migration.sql)
                try db.execute("INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)", [migration.id, now])
                return true
            }
            if applied { ran.append(migration.id) }
        }
        // Only when it changes: a write on every open would make each read-only CLI command take
        // the write lock (and wait behind a busy daemon) for nothing.
        if try db.row("PRAGMA user_version")?[0].int != Int64(migrations.count) {
            try db.execute("PRAGMA user_version = \(migrations.count)")
        }
        return ran
    }

    /// The migrations that `migrate` would apply.
    public func pending(in db: Database) throws -> [String] {
        let done = Set(try applied(in: db))
        return migrations.map(\.id).filter { !done.contains($0) }
    }
}
