/// Renders rows as left-aligned columns separated by two spaces, like `ps` or `git branch -v`.
struct TextTable {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> [String] {
        let all = [headers] + rows
        var widths = Array(repeating: 0, count: headers.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
    }
}

/// One-line, terminal-safe rendering of untrusted text (subjects, addresses): control
/// characters become spaces and long values are cut with an ellipsis.
func cell(_ s: String?, max: Int = 60) -> String {
    guard let s, !s.isEmpty else { return "-" }
    let clean = String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    return clean.count > max ? String(clean.prefix(max - 1)) + "…" : clean
}
