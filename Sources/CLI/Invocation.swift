import Daemon
import Foundation
import Store
import Ticketing

/// Everything a command handler gets: its parsed arguments, where to write, the clock,
/// and lazy access to the config and the store.
public struct Invocation: Sendable {
    public let command: Command
    public let arguments: ParsedArguments
    public let io: CommandIO
    public let clock: any Clock

    /// The config file to read: `--config`, else `$POSTDESK_CONFIG`, else /etc/postdesk/config.json.
    public var configPath: String {
        arguments.value("config") ?? io.environment["POSTDESK_CONFIG"] ?? Config.defaultPath
    }

    /// Loads and validates the config; problems become exit 78 naming file, key and reason.
    public func config() throws -> Config {
        do {
            let config = try Config.load(path: configPath)
            for warning in config.warnings { io.error("postdesk: warning: \(warning)") }
            return config
        } catch let error as ConfigError {
            throw CLIError(.config, "postdesk: \(error)")
        }
    }

    /// The database path: `--db`, else the config's `database`.
    public func databasePath() throws -> String {
        if let db = arguments.value("db") { return db }
        return try config().database
    }

    /// Opens the store, migrating it to the current schema.
    public func openStore() throws -> Database {
        let path = try databasePath()
        do {
            let db = try Store.open(path: path, now: clock.unixSeconds())
            // Durable at commit, as the daemon's writer: a command prints "queued" once its
            // reply, merge or status change committed, and a power cut must not take it back.
            if path != ":memory:" { try db.execute("PRAGMA synchronous=FULL") }
            return db
        } catch let error as StoreError {
            if case .schemaTooNew = error.kind { throw CLIError(.dataError, "postdesk: \(path): \(error)") }
            if error.isBusy { throw CLIError(.tempFail, "postdesk: \(path): database is busy: \(error)") }
            throw CLIError(.ioError, "postdesk: \(path): \(error)")
        }
    }

    public func operand(_ index: Int) -> String? {
        index < arguments.operands.count ? arguments.operands[index] : nil
    }

    /// Parses an integer option, or fails with a usage error naming it.
    public func intOption(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = arguments.value(name) else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw CLIError(.usage, "--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", showUsage: true)
        }
        return n
    }
}
