import Daemon
import Ticketing

/// The `postdesk` command line: finds the subcommand, parses its options, runs it, and maps
/// every failure to a sysexits code. `main` takes argv so tests can drive it.
public enum Postdesk {
    public static let version = "0.1.0"

    static let globalValues: Set<String> = ["config", "db", "log-level"]
    static let globalFlags: Set<String> = ["help", "version"]
    static let aliases = ["-h": "--help", "-V": "--version", "-c": "--config"]

    /// Commands that never read the time: a broken clock file does not stop them.
    static let clockless: Set<String> = ["check-config", "parse"]

    /// `clock`: the tests' own; nil takes the system clock, or the file `POSTDESK_CLOCK_FILE` names
    /// (read only once the command is known to need the time: `--help`, `--version` and usage
    /// errors never touch it).
    public static func main(_ argv: [String], io: CommandIO, clock: (any Clock)? = nil) -> Int32 {
        do {
            return try run(argv, io: io, clock: clock).rawValue
        } catch let error as CLIError {
            io.error(error.message.hasPrefix("postdesk") ? error.message : "postdesk: \(error.message)")
            if error.showUsage { io.error(usageText(for: commandName(in: argv))) }
            return error.code.rawValue
        } catch {
            io.error("postdesk: \(error)")
            return ExitCode.software.rawValue
        }
    }

    /// The system clock, unless the environment names a clock file (tests and rehearsals only).
    static func environmentClock(_ argv: [String], _ io: CommandIO) throws -> any Clock {
        do {
            guard let clock = try FileClock.fromEnvironment(io.environment) else { return SystemClock() }
            // `run` logs it and `doctor` reports it; elsewhere a line on stderr says whose time this is.
            if !["run", "doctor"].contains(commandName(in: argv) ?? "") {
                io.error("postdesk: warning: the time is read from \(FileClock.variable)=\(clock.path) (for tests only): "
                         + UTCTimestamp.iso(clock.now(), milliseconds: false))
            }
            return clock
        } catch {
            throw CLIError(.config, "postdesk: \(FileClock.variable): \(error)")
        }
    }

    /// The first word that is neither an option nor the value of a global option.
    static func commandName(in argv: [String]) -> String? {
        var i = 0
        while i < argv.count {
            let a = argv[i]
            if a == "--" { return i + 1 < argv.count ? argv[i + 1] : nil }
            if a.hasPrefix("-") && a != "-" {
                let name = String((aliases[a] ?? a).drop(while: { $0 == "-" }))
                if globalValues.contains(name) { i += 2; continue }
                i += 1
                continue
            }
            return a
        }
        return nil
    }

    static func run(_ argv: [String], io: CommandIO, clock: (any Clock)?) throws -> ExitCode {
        guard let name = commandName(in: argv) else {
            let global = try ParsedArguments.parse(argv, valueOptions: globalValues, flagOptions: globalFlags, aliases: aliases)
            if global.has("version") { io.print("postdesk \(version)"); return .ok }
            if global.has("help") { io.print(mainHelp()); return .ok }
            throw CLIError(.usage, "no command given", showUsage: true)
        }
        if name == "help" {
            var rest = argv
            rest.remove(at: rest.firstIndex(of: "help")!)
            if let topic = rest.first(where: { !$0.hasPrefix("-") }) {
                guard let command = CommandTable.find(topic) else { throw CLIError(.usage, "unknown command '\(topic)'", showUsage: true) }
                io.print(command.fullHelp)
            } else {
                io.print(mainHelp())
            }
            return .ok
        }
        guard let command = CommandTable.find(name) else {
            throw CLIError(.usage, "unknown command '\(name)'", showUsage: true)
        }
        var rest = argv
        rest.remove(at: rest.firstIndex(of: name)!)
        let parsed = try ParsedArguments.parse(rest, valueOptions: command.valueOptions.union(globalValues),
                                               flagOptions: command.flagOptions.union(globalFlags), aliases: aliases)
        if parsed.has("help") { io.print(command.fullHelp); return .ok }
        if parsed.has("version") { io.print("postdesk \(version)"); return .ok }
        guard command.operands.contains(parsed.operands.count) else {
            let why = parsed.operands.count < command.operands.lowerBound ? "missing operand" : "unexpected operand '\(parsed.operands.last!)'"
            throw CLIError(.usage, "\(command.name): \(why)", showUsage: true)
        }
        let time = try clock ?? (clockless.contains(command.name) ? SystemClock() : environmentClock(argv, io))
        return try command.run(Invocation(command: command, arguments: parsed, io: io, clock: time))
    }

    static func usageText(for name: String?) -> String {
        if let name, let command = CommandTable.find(name) {
            return "\(command.usageLine)\nTry 'postdesk \(command.name) --help' for more."
        }
        return "usage: postdesk [--config FILE] [--db FILE] <command> [options]\nTry 'postdesk --help' for the list of commands."
    }

    /// The text of `postdesk --help`; the man page is generated from it too.
    public static func mainHelp() -> String {
        let width = CommandTable.all.map(\.name.count).max() ?? 0
        let commands = CommandTable.all.map { "  \($0.name)" + String(repeating: " ", count: width - $0.name.count + 2) + $0.summary }
        return """
            usage: postdesk [--config FILE] [--db FILE] <command> [options]

            postdesk turns a support mailbox into numbered tickets: it polls IMAP, threads
            replies by the [#N] tag in the subject, and mails customers and agents over SMTP.

            Commands:
            \(commands.joined(separator: "\n"))

            Global options:
              -c, --config FILE    config file (default $POSTDESK_CONFIG, else /etc/postdesk/config.json)
              --db FILE            database file, overriding the config's "database"
              --log-level LEVEL    debug, info, warning or error
              -h, --help           this help; 'postdesk <command> --help' for one command
              -V, --version        print the version

            Exit status: 0 ok, 64 usage, 65 bad data, 66 missing input, 69 service unavailable,
            74 I/O error, 75 temporary failure (try again), 78 configuration error.
            """
    }
}
