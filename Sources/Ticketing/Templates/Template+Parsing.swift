extension Template {
    /// Parses `source`. Errors name `file`, the line, and the offending placeholder or block.
    /// A block tag alone on its line takes the whole line with it, so blocks can sit on lines
    /// of their own without leaving blank lines behind. `partials` are what `{{> name}}` and
    /// `{{< name}}` may use, by name (see `TemplatePartial`), each with the file its errors name as
    /// `origin`; they are resolved here, so the template holds only text, values and blocks.
    public static func parse(_ source: String, file: String, firstLine: Int = 1,
                             partials: [String: TemplateSet.File] = [:]) throws -> Template {
        var scanner = Scanner(text: Array(source.unicodeScalars), file: file, partials: partials, using: [])
        scanner.line = firstLine
        let nodes = try scanner.nodes(closing: nil)
        return Template(file: file, nodes: nodes)
    }

    /// What a tag is: `{{name}}` (no sigil), `{{#name}}`, `{{/name}}`, `{{> name}}`, `{{< name}}`, `{{$name}}`.
    private struct Tag {
        var sigil: Unicode.Scalar?
        var name: String
        var line: Int
    }

    /// An open `{{#block}}`, `{{< layout}}` or `{{$slot}}` waiting for its `{{/name}}`.
    private struct Opening {
        var sigil: Unicode.Scalar
        var name: String
        var line: Int
        var shown: String { sigil == "#" || sigil == "$" ? "{{\(sigil)\(name)}}" : "{{\(sigil) \(name)}}" }
    }

    private struct Scanner {
        let text: [Unicode.Scalar]
        let file: String
        let partials: [String: TemplateSet.File]
        /// The partials being expanded around this text, outermost first (a partial may not use itself).
        let using: [String]
        /// The text the template using this one as its layout puts in its slots.
        var fills: [String: [Node]] = [:]
        /// The slots this text has (a layout's), to refuse a fill of a slot that is not there.
        var slots: Set<String> = []
        var i = 0
        var line = 1

        init(text: [Unicode.Scalar], file: String, partials: [String: TemplateSet.File], using: [String]) {
            self.text = text
            self.file = file
            self.partials = partials
            self.using = using
        }

        func fail(_ reason: String, line: Int? = nil) -> TemplateError {
            TemplateError(file: file, line: line ?? self.line, reason: reason)
        }

        func opens(at k: Int) -> Bool { k + 1 < text.count && text[k] == "{" && text[k + 1] == "{" }

        /// Reads the tag opening at `i`. Any tag but a placeholder alone on its line takes the
        /// line with it (the blanks before it are dropped from `literal`).
        mutating func tag(literal: inout String) throws -> Tag {
            let tagLine = line
            var j = i + 2
            var inner = ""
            while j < text.count, !(text[j] == "}" && j + 1 < text.count && text[j + 1] == "}") {
                if text[j] == "\n" || opens(at: j) { throw fail("\"{{\" is not closed by \"}}\" on the same line", line: tagLine) }
                inner.unicodeScalars.append(text[j])
                j += 1
            }
            guard j < text.count else { throw fail("\"{{\" is not closed by \"}}\" on the same line", line: tagLine) }
            let tagStart = i
            i = j + 2
            let name = inner.trimmingWhitespace()
            guard let first = name.unicodeScalars.first, "#/><$".unicodeScalars.contains(first) else {
                return Tag(sigil: nil, name: name, line: tagLine)
            }
            standalone(tagStart: tagStart, literal: &literal)
            return Tag(sigil: first, name: String(name.dropFirst()).trimmingWhitespace(), line: tagLine)
        }

        /// Nodes up to the end, or up to the `{{/name}}` of `closing`.
        mutating func nodes(closing: Opening?) throws -> [Node] {
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
                let tag = try self.tag(literal: &literal)
                flush()
                switch tag.sigil {
                case "#":
                    guard let condition = TemplateCondition(tag.name) else {
                        throw fail("unknown block {{#\(tag.name)}}\(Self.hint(tag.name, blocks: true))", line: tag.line)
                    }
                    let inner = try self.nodes(closing: Opening(sigil: "#", name: tag.name, line: tag.line))
                    nodes.append(.block(condition, inner, line: tag.line))
                case "/":
                    try close(tag, closing)
                    return nodes
                case ">":
                    nodes += try expand(tag, fills: [:])
                case "<":
                    let fills = try self.fills(of: Opening(sigil: "<", name: tag.name, line: tag.line))
                    nodes += try expand(tag, fills: fills)
                case "$":
                    guard TemplatePartial.isName(tag.name) else { throw fail("a slot name is lowercase letters, digits and dashes: {{$\(tag.name)}}", line: tag.line) }
                    slots.insert(tag.name)
                    let own = try self.nodes(closing: Opening(sigil: "$", name: tag.name, line: tag.line))
                    nodes += fills[tag.name] ?? own
                default:
                    guard let p = TemplatePlaceholder(rawValue: tag.name) else {
                        throw fail("unknown placeholder {{\(tag.name)}}\(Self.hint(tag.name, blocks: false))", line: tag.line)
                    }
                    nodes.append(.value(p, line: tag.line))
                }
            }
            flush()
            if let closing { throw fail("block \(closing.shown) opened on line \(closing.line) is never closed", line: closing.line) }
            return nodes
        }

        func close(_ tag: Tag, _ closing: Opening?) throws {
            guard let closing else { throw fail("{{/\(tag.name)}} closes no open block", line: tag.line) }
            guard closing.name == tag.name else {
                throw fail("{{/\(tag.name)}} does not match \(closing.shown) opened on line \(closing.line)", line: tag.line)
            }
        }

        /// What a template puts in its layout's slots: the `{{$slot}}…{{/slot}}` blocks between
        /// `{{< name}}` and `{{/name}}`. Only blanks may stand between them.
        mutating func fills(of layout: Opening) throws -> [String: [Node]] {
            var fills: [String: [Node]] = [:]
            var blanks = ""
            let only = "only {{$slot}}…{{/slot}} blocks and blank lines may stand inside \(layout.shown)"
            while i < text.count {
                guard opens(at: i) else {
                    if text[i] == "\n" { line += 1 } else if !" \t\r".unicodeScalars.contains(text[i]) { throw fail(only) }
                    i += 1
                    continue
                }
                let tag = try self.tag(literal: &blanks)
                switch tag.sigil {
                case "$":
                    guard fills[tag.name] == nil else { throw fail("{{$\(tag.name)}} is filled twice", line: tag.line) }
                    fills[tag.name] = try nodes(closing: Opening(sigil: "$", name: tag.name, line: tag.line))
                case "/":
                    try close(tag, layout)
                    return fills
                default:
                    throw fail(only, line: tag.line)
                }
            }
            throw fail("block \(layout.shown) opened on line \(layout.line) is never closed", line: layout.line)
        }

        /// The nodes of the partial `tag` names, its slots holding `fills` where given.
        func expand(_ tag: Tag, fills: [String: [Node]]) throws -> [Node] {
            let shown = "{{\(tag.sigil!) \(tag.name)}}"
            guard let partial = partials[tag.name] else {
                let known = partials.keys.sorted()
                throw fail("unknown partial \(shown) (\(known.isEmpty ? "no partials here" : "known: " + known.joined(separator: ", ")))", line: tag.line)
            }
            guard !using.contains(tag.name) else {
                throw fail("partial \(shown) uses itself: \((using + [tag.name]).joined(separator: " → "))", line: tag.line)
            }
            var inner = Scanner(text: Array(partial.text.unicodeScalars), file: partial.origin, partials: partials, using: using + [tag.name])
            inner.fills = fills
            let nodes = try inner.nodes(closing: nil)
            if let unknown = fills.keys.sorted().first(where: { !inner.slots.contains($0) }) {
                let has = inner.slots.sorted().map { "{{$\($0)}}" }.joined(separator: ", ")
                throw fail("\(shown) has no slot {{$\(unknown)}} (\(has.isEmpty ? "it has none" : "its slots: " + has); \(partial.origin))", line: tag.line)
            }
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
