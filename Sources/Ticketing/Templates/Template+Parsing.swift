extension Template {
    /// Parses `source`. Errors name `file`, the line, and the offending placeholder or block.
    /// A block tag alone on its line takes the whole line with it, so blocks can sit on lines
    /// of their own without leaving blank lines behind.
    public static func parse(_ source: String, file: String, firstLine: Int = 1) throws -> Template {
        var scanner = Scanner(text: Array(source.unicodeScalars), file: file)
        scanner.line = firstLine
        let nodes = try scanner.nodes(closing: nil)
        return Template(file: file, nodes: nodes)
    }

    private struct Scanner {
        let text: [Unicode.Scalar]
        let file: String
        var i = 0
        var line = 1

        init(text: [Unicode.Scalar], file: String) {
            self.text = text
            self.file = file
        }

        func fail(_ reason: String, line: Int? = nil) -> TemplateError {
            TemplateError(file: file, line: line ?? self.line, reason: reason)
        }

        func opens(at k: Int) -> Bool { k + 1 < text.count && text[k] == "{" && text[k + 1] == "{" }

        /// Nodes up to the end, or up to `{{/name}}` when `closing` is given.
        mutating func nodes(closing: (name: String, line: Int)?) throws -> [Node] {
            var nodes: [Node] = []
            var literal = ""
            func flush() { if !literal.isEmpty { nodes.append(.text(literal)); literal = "" } }
            while i < text.count {
                guard opens(at: i) else {
                    if text[i] == "\n" { line += 1 }
                    literal.unicodeScalars.append(text[i])
                    i += 1
                    continue
                }
                let tagLine = line
                var j = i + 2
                var inner = ""
                while j < text.count, !(text[j] == "}" && j + 1 < text.count && text[j + 1] == "}") {
                    if text[j] == "\n" || opens(at: j) { throw fail("\"{{\" is not closed by \"}}\" on the same line", line: tagLine) }
                    inner.unicodeScalars.append(text[j])
                    j += 1
                }
                guard j < text.count else { throw fail("\"{{\" is not closed by \"}}\" on the same line", line: tagLine) }
                i = j + 2
                let name = inner.trimmingWhitespace()
                if name.hasPrefix("#") || name.hasPrefix("/") { standalone(tagStart: j - inner.unicodeScalars.count - 2, literal: &literal) }
                flush()
                if name.hasPrefix("#") {
                    let blockName = String(name.dropFirst()).trimmingWhitespace()
                    guard let condition = TemplateCondition(blockName) else {
                        throw fail("unknown block {{#\(blockName)}}\(Self.hint(blockName, blocks: true))", line: tagLine)
                    }
                    let inner = try self.nodes(closing: (blockName, tagLine))
                    nodes.append(.block(condition, inner, line: tagLine))
                } else if name.hasPrefix("/") {
                    let blockName = String(name.dropFirst()).trimmingWhitespace()
                    guard let closing else { throw fail("{{/\(blockName)}} closes no open block", line: tagLine) }
                    guard closing.name == blockName else {
                        throw fail("{{/\(blockName)}} does not match {{#\(closing.name)}} opened on line \(closing.line)", line: tagLine)
                    }
                    return nodes
                } else {
                    guard let p = TemplatePlaceholder(rawValue: name) else {
                        throw fail("unknown placeholder {{\(name)}}\(Self.hint(name, blocks: false))", line: tagLine)
                    }
                    nodes.append(.value(p, line: tagLine))
                }
            }
            flush()
            if let closing { throw fail("block {{#\(closing.name)}} opened on line \(closing.line) is never closed", line: closing.line) }
            return nodes
        }

        /// When only blanks surround the block tag that started at `tagStart` on its line, drops
        /// them and the line end after it.
        mutating func standalone(tagStart: Int, literal: inout String) {
            var k = tagStart - 1
            while k >= 0, text[k] == " " || text[k] == "\t" { k -= 1 }
            guard k < 0 || text[k] == "\n" else { return }
            var e = i
            while e < text.count, text[e] == " " || text[e] == "\t" || text[e] == "\r" { e += 1 }
            guard e == text.count || text[e] == "\n" else { return }
            while let last = literal.unicodeScalars.last, last == " " || last == "\t" { literal.unicodeScalars.removeLast() }
            if e < text.count { line += 1; e += 1 }
            i = e
        }

        static func hint(_ name: String, blocks: Bool) -> String {
            var known = TemplatePlaceholder.allCases.map(\.rawValue)
            if blocks { known += Set(TemplatePlaceholder.allCases.map(\.group)).subtracting(["ticket"]).sorted() }
            guard let best = known.min(by: { EditDistance.between($0, name) < EditDistance.between($1, name) }), EditDistance.between(best, name) <= 3 else {
                return " (known: \(TemplatePlaceholder.allCases.map(\.rawValue).joined(separator: ", ")))"
            }
            return " (did you mean {{\(blocks ? "#" : "")\(best)}}?)"
        }
    }
}
