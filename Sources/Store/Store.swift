/// Opening the store: connect and bring the schema up to date.
public enum Store {
    /// Opens the database at `path` and applies pending migrations.
    public static func open(path: String, now: Int64) throws -> Database {
        let db = try Database(path: path)
        try Schema.migrator.migrate(db, now: now)
        return db
    }
}
