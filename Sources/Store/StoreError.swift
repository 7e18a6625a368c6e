/// A failure in the store. It names the SQLite result code and the SQL that failed,
/// but never the bound values: those are customers' addresses and mail.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case sqlite(code: Int32)
        /// The database was migrated by a newer postdesk than this binary.
        case schemaTooNew(unknown: [String])
        case notFound
        case invalid
    }
    public let kind: Kind
    public let message: String
    public let sql: String?

    public init(kind: Kind, message: String, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
    }

    /// SQLITE_BUSY or SQLITE_LOCKED: another process holds the database; try again later.
    public var isBusy: Bool {
        if case .sqlite(let c) = kind { return c & 0xff == 5 || c & 0xff == 6 }
        return false
    }

    public var description: String {
        switch kind {
        case .sqlite(let code):
            if let sql { return "SQLite error \(code): \(message) - while executing `\(sql)`" }
            return "SQLite error \(code): \(message)"
        case .schemaTooNew(let unknown):
            return "database schema is newer than this postdesk (unknown migrations: \(unknown.joined(separator: ", "))); upgrade postdesk or use another database"
        case .notFound, .invalid:
            return message
        }
    }
}
