/// Commands an agent writes at the top of an e-mail reply, one per line:
/// `#status pending`, `#resolve`, `#close`, `#pending`, `#open`, `#priority high`, `#assign a@b`,
/// `#assign Alice`, `#assign me`, `#take`, `#unassign`, `#cc a@b`, `#note`, `#merge 1234 [why]`, `#link 1234`.
/// Parsing stops at the first line that is not a command. Only agents' replies are parsed.
public enum AgentCommand: Sendable, Equatable {
    case status(TicketStatus)
    case priority(TicketPriority)
    case assign(String)
    case unassign
    /// Adds a Cc participant who gets the replies.
    case cc(String)
    /// The whole reply is an internal note: agents only, never the customer.
    case note
    /// Inserts the canned answer NAME (`macros/NAME.txt`) into the reply.
    case macro(String)
    /// Merges this ticket into ticket N (see `TicketMerge`); the words after the number say why.
    case merge(Int, reason: String?)
    /// Links this ticket and ticket N as related (both ways).
    case link(Int)

    /// The result of reading a reply: commands in order, complaints about bad ones, and the body without them.
    public struct Parsed: Sendable, Equatable {
        public var commands: [AgentCommand]
        public var errors: [String]
        /// The reply with the command lines removed (what the customer may see).
        public var body: String
    }

    static let maxCommands = 20
    static let maxLineLength = 200

    /// Reads the commands at the top of `body`. `sender` is what `#assign me` and `#take` mean;
    /// with `agents`, `#assign` takes only a configured agent (by address, name or local part).
    public static func parse(_ body: String, sender: String, agents: AgentDirectory? = nil, macros: Set<String> = []) -> Parsed {
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var commands: [AgentCommand] = []
        var errors: [String] = []
        var index = 0
        while index < lines.count, commands.count + errors.count < maxCommands {
            let line = lines[index].trimmingWhitespace()
            if line.isEmpty { index += 1; continue }
            guard line.hasPrefix("#"), line.utf8.count <= maxLineLength,
                  let second = line.dropFirst().first, second.isLetter else { break }
            let written = line.dropFirst().split(whereSeparator: { $0.isWhitespace }).map(String.init)
            let words = written.map { $0.lowercased() }
            switch command(words, written: written, sender: sender, agents: agents, macros: macros) {
            case let .success(command): commands.append(command)
            case let .failure(problem):
                errors.append(problem.message)
                if problem.unknownVerb { return Parsed(commands: commands, errors: errors, body: rest(lines, from: index)) }
            }
            index += 1
        }
        return Parsed(commands: commands, errors: errors, body: rest(lines, from: index))
    }

    private struct Problem: Error {
        var message: String
        var unknownVerb = false
    }

    /// `written`: the words as typed (a merge's reason keeps its case).
    private static func command(_ words: [String], written: [String], sender: String, agents: AgentDirectory?,
                                macros: Set<String>) -> Result<AgentCommand, Problem> {
        guard let verb = words.first else { return .failure(Problem(message: "empty command", unknownVerb: true)) }
        let argument = words.count > 1 ? words[1] : nil
        switch verb {
        case "resolve", "resolved": return .success(.status(.resolved))
        case "close", "closed": return .success(.status(.closed))
        case "pending", "wait": return .success(.status(.pending))
        case "open", "reopen": return .success(.status(.open))
        case "status":
            guard let argument, let status = TicketStatus(rawValue: argument) else {
                return .failure(Problem(message: "#status needs one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: "|"))"))
            }
            return .success(.status(status))
        case "priority":
            guard let argument, let priority = TicketPriority(rawValue: argument) else {
                return .failure(Problem(message: "#priority needs one of \(TicketPriority.allCases.map(\.rawValue).joined(separator: "|"))"))
            }
            return .success(.priority(priority))
        case "take": return .success(.assign(Address.normalised(sender)))
        case "assign":
            guard argument != nil else { return .failure(Problem(message: "#assign needs an agent (address or name) or me")) }
            let named = words.dropFirst().joined(separator: " ")
            if named == "me" { return .success(.assign(Address.normalised(sender))) }
            if let agents {
                guard let address = agents.resolve(named) else { return .failure(Problem(message: "#assign: unknown agent \(named)")) }
                return .success(.assign(address))
            }
            let address = Address.normalised(named)
            guard address.contains("@"), address.utf8.count <= 254 else { return .failure(Problem(message: "#assign needs an address or me")) }
            return .success(.assign(address))
        case "unassign": return .success(.unassign)
        case "cc":
            guard let argument else { return .failure(Problem(message: "#cc needs an address")) }
            let address = Address.normalised(argument)
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.utf8.count <= 254,
                  !address.contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" }) else {
                return .failure(Problem(message: "#cc needs an address, not \(argument)"))
            }
            return .success(.cc(address))
        case "note": return .success(.note)
        case "macro":
            guard let argument else { return .failure(Problem(message: "#macro needs a name")) }
            guard macros.contains(argument) else { return .failure(Problem(message: "#macro: unknown macro \(argument)")) }
            return .success(.macro(argument))
        case "merge":
            guard let number = argument.flatMap(ticketNumber) else { return .failure(Problem(message: "#merge needs a ticket number (#merge 1234)")) }
            let why = written.dropFirst(2).joined(separator: " ")
            return .success(.merge(number, reason: why.isEmpty ? nil : why))
        case "link":
            guard let number = argument.flatMap(ticketNumber), words.count == 2 else {
                return .failure(Problem(message: "#link needs one ticket number (#link 1234)"))
            }
            return .success(.link(number))
        default: return .failure(Problem(message: "unknown command #\(verb)", unknownVerb: true))
        }
    }

    /// `1234` or `#1234`.
    static func ticketNumber(_ word: String) -> Int? {
        let digits = word.hasPrefix("#") ? word.dropFirst() : Substring(word)
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0 else { return nil }
        return n
    }

    private static func rest(_ lines: [Substring], from index: Int) -> String {
        lines[min(index, lines.count)...].joined(separator: "\n")
    }
}
