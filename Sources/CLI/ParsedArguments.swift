/// The options and operands of one command line, parsed by hand like a classic Unix tool:
/// `--opt value`, `--opt=value`, flags, `--` to end options, options anywhere.
public struct ParsedArguments: Sendable {
    public var values: [String: String] = [:]
    /// Every value of an option given more than once (`--attach a --attach b`), in order.
    public var repeated: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var operands: [String] = []

    public func value(_ name: String) -> String? { values[name] }
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Parses `args` against the options a command (plus the global ones) accepts.
    static func parse(_ args: [String], valueOptions: Set<String>, flagOptions: Set<String>,
                      aliases: [String: String]) throws -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        var onlyOperands = false
        while i < args.count {
            var arg = args[i]
            i += 1
            if onlyOperands || arg == "-" || !arg.hasPrefix("-") {
                result.operands.append(arg)
                continue
            }
            if arg == "--" { onlyOperands = true; continue }
            if let long = aliases[arg] { arg = long }
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                inline = String(arg[arg.index(after: eq)...])
                arg = String(arg[..<eq])
            }
            let name = String(arg.drop(while: { $0 == "-" }))
            if valueOptions.contains(name) {
                if let inline { result.values[name] = inline; result.repeated[name, default: []].append(inline); continue }
                guard i < args.count else { throw CLIError(.usage, "option --\(name) needs a value", showUsage: true) }
                result.values[name] = args[i]
                result.repeated[name, default: []].append(args[i])
                i += 1
            } else if flagOptions.contains(name), inline == nil {
                result.flags.insert(name)
            } else {
                throw CLIError(.usage, "unknown option \(arg)", showUsage: true)
            }
        }
        return result
    }
}
