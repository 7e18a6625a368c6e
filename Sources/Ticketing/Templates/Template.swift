import Markup

/// A parsed template: literal text, placeholders and optional blocks. Built by `Template.parse`,
/// which refuses anything outside the language, so rendering cannot fail.
public struct Template: Sendable, Equatable {
    public enum Node: Sendable, Equatable {
        case text(String)
        case value(TemplatePlaceholder, line: Int)
        case block(TemplateCondition, [Node], line: Int)
    }

    /// Where the rendered text goes, which decides how values are written into it.
    public enum Context: Sendable {
        /// A text/plain body: values as they are.
        case plain
        /// An HTML body: values escaped (`&<>"'`), so a customer's text never becomes markup.
        case html
        /// A header: line breaks and tabs in values become single spaces.
        case header
    }

    public let file: String
    public let nodes: [Node]

    /// Every placeholder the template names, in blocks too.
    public var placeholders: Set<TemplatePlaceholder> {
        var found: Set<TemplatePlaceholder> = []
        func walk(_ nodes: [Node]) {
            for n in nodes {
                switch n {
                case .text: break
                case .value(let p, _): found.insert(p)
                case .block(let c, let inner, _): found.formUnion(c.placeholders); walk(inner)
                }
            }
        }
        walk(nodes)
        return found
    }

    public func render(_ values: TemplateValues, for context: Context) -> String {
        var out = ""
        Self.render(nodes, values, context, into: &out)
        return out
    }

    private static func render(_ nodes: [Node], _ values: TemplateValues, _ context: Context, into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let s): out += s
            case .value(let p, _): out += escape(values[p] ?? "", for: context)
            case .block(let c, let inner, _): if c.holds(in: values) { render(inner, values, context, into: &out) }
            }
        }
    }

    public static func escape(_ value: String, for context: Context) -> String {
        switch context {
        case .plain:
            return value
        case .html:
            return HTMLEscape.escape(value, quotes: true)
        case .header:
            var out = ""
            var lastWasSpace = false
            for s in value.unicodeScalars {
                // Line breaks (CR, LF, NEL, LS, PS), tabs and other controls would fold or inject headers.
                let blank = s.value < 0x20 || s.value == 0x7F || s.value == 0x85 || s.value == 0x2028 || s.value == 0x2029
                if blank || s == " " {
                    if !lastWasSpace { out += " " }
                    lastWasSpace = true
                } else {
                    out.unicodeScalars.append(s)
                    lastWasSpace = false
                }
            }
            return out
        }
    }
}
