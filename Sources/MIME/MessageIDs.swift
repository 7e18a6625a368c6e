/// Message-ID, In-Reply-To and References values: lists of `<id>` tolerant of missing brackets,
/// comments and junk between them.
enum MessageIDs {
    /// The IDs in order, without angle brackets, duplicates removed.
    static func parse(_ text: String) -> [String] {
        var ids: [String] = []
        var seen = Set<String>()
        func add(_ s: Substring) {
            let id = String(s.trimmedSpace())
            guard !id.isEmpty, id.count <= 998, !seen.contains(id) else { return }
            seen.insert(id)
            ids.append(id)
        }
        if text.contains("<") {
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "<") {
                let after = rest[rest.index(after: open)...]
                guard let close = after.firstIndex(of: ">") else {
                    // Unterminated: take up to the next space.
                    add(after.prefix { !$0.isWhitespace })
                    break
                }
                let inner = after[..<close].filter { !$0.isWhitespace }
                add(Substring(inner))
                rest = after[after.index(after: close)...]
            }
            return ids
        }
        // No brackets: whitespace- or comma-separated tokens that look like IDs.
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" || $0 == "\n" }) {
            if token.contains("@") || token.count >= 8 { add(token) }
        }
        return ids
    }
}
