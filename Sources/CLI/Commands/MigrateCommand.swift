import Daemon
import Store

/// `postdesk migrate`: bring the database schema up to date (other commands do it too).
enum MigrateCommand {
    static let command = Command(
        name: "migrate", synopsis: "[--status]",
        summary: "Create the database or apply pending schema migrations.",
        help: "  --status   list applied and pending migrations, change nothing",
        flags: ["status"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let path = try inv.databasePath()
        let db: Database
        do { db = try Database(path: path) } catch { throw CLIError(.ioError, "postdesk: \(path): \(error)") }
        do {
            if inv.arguments.has("status") {
                let applied = try Schema.migrator.applied(in: db)
                for id in applied { inv.io.print("applied  \(id)") }
                for id in try Schema.migrator.pending(in: db) { inv.io.print("pending  \(id)") }
                if let left = try? SearchIndex(db: db).backfillRemaining(), left > 0 {
                    inv.io.print("pending  search index of \(left) stored messages")
                }
                return .ok
            }
            let ran = try Schema.migrator.migrate(db, now: inv.clock.unixSeconds())
            if ran.isEmpty {
                inv.io.print("\(path): schema up to date (\(Schema.migrator.migrations.count) migrations)")
            } else {
                for id in ran { inv.io.print("applied \(id)") }
                inv.io.print("\(path): migrated")
            }
            // The search index of messages stored before it existed needs their parse: done here.
            let remaining = try SearchIndex(db: db).backfillRemaining()
            if remaining > 0 {
                inv.io.print("indexing \(remaining) stored messages for search…")
                let done = try SearchText.backfill(db) { n in if n % 10_000 < 500 { inv.io.error("  \(n) of \(remaining)") } }
                inv.io.print("indexed \(done) messages for search")
            }
            return .ok
        } catch let error as StoreError {
            if case .schemaTooNew = error.kind { throw CLIError(.dataError, "postdesk: \(path): \(error)") }
            throw CLIError(.ioError, "postdesk: \(path): \(error)")
        }
    }
}
