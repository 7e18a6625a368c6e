/// One `Authentication-Results` header (RFC 8601): who checked (`authserv-id`) and what each
/// method found, e.g. `mx.example.com; dkim=pass header.d=example.com; dmarc=fail header.from=example.com`.
/// Comments are dropped; a value we cannot read is left out rather than guessed.
public struct AuthenticationResults: Sendable, Equatable {
    public struct Result: Sendable, Equatable {
        /// "dkim", "dmarc", "spf", lowercased.
        public var method: String
        /// "pass", "fail", "none", …, lowercased.
        public var result: String
        /// `ptype.property` → value, e.g. "header.d" → "example.com" (names lowercased).
        public var properties: [String: String]
    }

    /// Lowercased.
    public var authservID: String
    public var results: [Result]

    /// Parses a header value; nil when it has no authserv-id.
    public init?(_ value: String) {
        let clauses = Self.clauses(Self.withoutComments(value))
        guard let first = clauses.first, !first.isEmpty else { return nil }
        // "authserv-id [version]": the version is a number after the id.
        guard let id = first.split(whereSeparator: { $0 == " " || $0 == "\t" }).first, !id.isEmpty else { return nil }
        authservID = id.lowercased()
        results = []
        for clause in clauses.dropFirst() where !clause.isEmpty {
            let words = Self.words(clause)
            guard let head = words.first, let eq = head.firstIndex(of: "=") else { continue }
            var method = head[..<eq].lowercased()
            if let slash = method.firstIndex(of: "/") { method = String(method[..<slash]) }
            let result = head[head.index(after: eq)...].lowercased()
            guard !method.isEmpty, !result.isEmpty else { continue }
            var properties: [String: String] = [:]
            for word in words.dropFirst() {
                guard let eq = word.firstIndex(of: "="), word[..<eq].contains(".") else { continue }
                let name = word[..<eq].lowercased()
                var v = Substring(word[word.index(after: eq)...])
                if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = v.dropFirst().dropLast() }
                if properties[name] == nil { properties[name] = String(v) }
            }
            results.append(Result(method: method, result: result, properties: properties))
        }
    }

    /// The text with `(comments)` removed (nested, with quoted-pair escapes); quoted strings kept.
    static func withoutComments(_ text: String) -> String {
        var out = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for c in text.unicodeScalars.prefix(8_192) {
            if escaped { escaped = false; if depth == 0 { out.unicodeScalars.append(c) }; continue }
            if c == "\\" { escaped = true; if depth == 0 { out.unicodeScalars.append(c) }; continue }
            if quoted { out.unicodeScalars.append(c); if c == "\"" { quoted = false }; continue }
            switch c {
            case "(": depth += 1
            case ")": if depth > 0 { depth -= 1 }
            case "\"" where depth == 0: quoted = true; out.unicodeScalars.append(c)
            default: if depth == 0 { out.unicodeScalars.append(c == "\t" || c == "\r" || c == "\n" ? " " : c) }
            }
        }
        return out
    }

    /// Splits at ";" outside quoted strings, trimmed.
    static func clauses(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        for c in text {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { out.append(current); current = ""; continue }
            current.append(c)
        }
        out.append(current)
        return out.map { $0.trimmingWhitespace() }
    }

    /// Splits at blanks outside quoted strings; "a = b" is rejoined as "a=b".
    static func words(_ clause: String) -> [String] {
        var raw: [String] = []
        var current = ""
        var quoted = false
        for c in clause {
            if c == "\"" { quoted.toggle() }
            if c == " " && !quoted {
                if !current.isEmpty { raw.append(current); current = "" }
                continue
            }
            current.append(c)
        }
        if !current.isEmpty { raw.append(current) }
        var words: [String] = []
        for w in raw {
            if w == "=" || w.hasPrefix("="), let last = words.last, !last.contains("=") || last.hasSuffix("=") {
                words[words.count - 1] += w
            } else if let last = words.last, last.hasSuffix("=") {
                words[words.count - 1] += w
            } else {
                words.append(w)
            }
        }
        return words
    }
}
