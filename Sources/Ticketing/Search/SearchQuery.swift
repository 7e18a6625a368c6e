/// Turns what a person types into an FTS5 query. Plain words pass through (FTS5 ANDs them);
/// a word FTS5 would reject as syntax (`C++`, `user@example.com`, `3.14`) becomes a quoted phrase
/// of its parts, so searching for an address just works. A query holding `"` is taken as FTS5
/// syntax as written (phrases, `AND`/`OR`/`NOT`, `NEAR`, `prefix*`, `subject:word`).
public enum SearchQuery {
    static let operators: Set<Substring> = ["AND", "OR", "NOT"]
    static let columns: Set<Substring> = ["subject", "body"]

    public static func fts(_ typed: String) -> String {
        guard !typed.contains("\"") else { return typed }
        return typed.split(whereSeparator: { $0.isWhitespace }).map(term).joined(separator: " ")
    }

    static func term(_ word: Substring) -> String {
        if operators.contains(word) || word.hasPrefix("NEAR(") { return String(word) }
        var core = word
        var lead = "", trail = ""
        while let c = core.first, c == "(" { lead.append(c); core = core.dropFirst() }
        while let c = core.last, c == ")" || c == "*" { trail.insert(c, at: trail.startIndex); core = core.dropLast() }
        if let colon = core.firstIndex(of: ":"), columns.contains(core[..<colon]) {
            lead += core[...colon]
            core = core[core.index(after: colon)...]
        }
        if core.hasPrefix("^") { lead += "^"; core = core.dropFirst() }
        if core.isEmpty || isBareword(core) { return lead + core + trail }
        return lead + "\"" + core + "\"" + trail
    }

    /// FTS5 barewords: letters and digits of ASCII, `_`, and any non-ASCII character.
    static func isBareword(_ s: Substring) -> Bool {
        s.unicodeScalars.allSatisfy { $0.value > 127 || $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
    }
}
