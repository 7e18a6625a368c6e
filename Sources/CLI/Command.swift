/// One `postdesk` subcommand: its name, how it is called, its help, and its handler.
/// Adding a verb is one `Command` value in `CommandTable.all` and one handler.
public struct Command: Sendable {
    public let name: String
    /// The part of the synopsis after the name, e.g. `[--status S] [--json]`.
    public let synopsis: String
    public let summary: String
    /// Longer help: options, one per line, and notes.
    public let help: String
    public let valueOptions: Set<String>
    public let flagOptions: Set<String>
    public let operands: ClosedRange<Int>
    public let run: @Sendable (Invocation) throws -> ExitCode

    public init(name: String, synopsis: String = "", summary: String, help: String = "",
                values: Set<String> = [], flags: Set<String> = [], operands: ClosedRange<Int> = 0...0,
                run: @escaping @Sendable (Invocation) throws -> ExitCode) {
        self.name = name
        self.synopsis = synopsis
        self.summary = summary
        self.help = help
        self.valueOptions = values
        self.flagOptions = flags
        self.operands = operands
        self.run = run
    }

    public var usageLine: String { "usage: postdesk \(name)\(synopsis.isEmpty ? "" : " " + synopsis)" }

    public var fullHelp: String {
        var text = "\(usageLine)\n\n\(summary)\n"
        if !help.isEmpty { text += "\n\(help)\n" }
        text += "\nGlobal options: --config FILE, --db FILE, --log-level LEVEL, --help, --version"
        return text
    }
}
