/// Status and priority as a mail in one language names them (`{{ticket.status}}`,
/// `{{ticket.priority}}`), read from the template file `names.<language>.txt`, so an operator who
/// adds a language (`ack.fr.txt`) names the statuses too. A name missing there is the English
/// one, with a warning (`TemplateSet.warnings`), never silently.
public struct LocalisedNames: Sendable, Equatable {
    /// `status.pending` → `waiting for your answer`.
    public private(set) var names: [String: String]

    /// Every key a complete file names: `status.<status>` and `priority.<priority>`.
    public static let keys = TicketStatus.allCases.map { "status.\($0.rawValue)" } + TicketPriority.allCases.map { "priority.\($0.rawValue)" }

    public init(_ names: [String: String] = [:]) { self.names = names }

    public func status(_ status: TicketStatus) -> String? { names["status.\(status.rawValue)"] }
    public func priority(_ priority: TicketPriority) -> String? { names["priority.\(priority.rawValue)"] }

    /// The keys this file does not name, in `keys` order.
    public var missing: [String] { Self.keys.filter { names[$0] == nil } }

    /// `names.ru.txt` → `ru`; nil for any other name.
    public static func language(ofFile name: String) -> String? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "names", parts[2] == "txt", TemplateSet.isLanguage(parts[1]) else { return nil }
        return String(parts[1])
    }

    /// Reads `key = name` lines; `#` comments and blank lines are skipped. An unknown or repeated
    /// key, a line without `=`, or an empty name is an error naming `file` and the line.
    public static func parse(_ source: String, file: String) throws -> LocalisedNames {
        var names: [String: String] = [:]
        for (index, raw) in source.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> TemplateError { TemplateError(file: file, line: index + 1, reason: reason) }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected \"key = name\", e.g. \"status.pending = waiting for your answer\"") }
            let key = line[..<eq].trimmingWhitespace(), name = line[line.index(after: eq)...].trimmingWhitespace()
            guard keys.contains(key) else {
                let best = keys.min { EditDistance.between($0, key) < EditDistance.between($1, key) }
                let hint = best.map { EditDistance.between($0, key) <= 3 ? " (did you mean \($0)?)" : "" } ?? ""
                throw fail("unknown name \(key)\(hint); the names are \(keys.joined(separator: ", "))")
            }
            guard names[key] == nil else { throw fail("\(key) is named twice") }
            guard !name.isEmpty else { throw fail("\(key) has an empty name") }
            guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { throw fail("\(key): control characters in the name") }
            names[key] = name
        }
        return LocalisedNames(names)
    }
}
