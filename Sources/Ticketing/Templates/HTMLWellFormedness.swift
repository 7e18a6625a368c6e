/// A strict, small well-formedness check for the HTML parts of templates: every element closed
/// in order (void elements excepted), attribute values quoted, `&` only as an entity, no script.
/// Template blocks count as elements, so a block can never leave a tag half open when it is
/// left out. Mail clients forgive broken HTML differently; we refuse it at load instead.
public enum HTMLWellFormedness {
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                            "meta", "source", "track", "wbr"]
    /// Elements whose content is not markup (raw text and escapable raw text, and those a browser
    /// may read as raw text): a relayed reply inside one would end it at its first closing tag.
    static let rawText: Set<String> = ["style", "title", "textarea", "xmp", "noembed", "noframes", "noscript"]
    /// `plaintext` never ends: everything after it is text.
    static let forbidden: Set<String> = ["script", "iframe", "object", "form", "plaintext"]
    /// Placeholders whose value may be HTML (an agent's reply relayed as HTML takes the place of
    /// `{{message.text}}`): element content only, never an attribute or raw-text element.
    static let markupValues: Set<String> = ["message.text"]

    public static func check(_ source: String, file: String) throws {
        let s = Array(source.unicodeScalars)
        var i = 0
        var line = 1
        var open: [(name: String, line: Int)] = []
        func fail(_ reason: String, _ at: Int? = nil) -> TemplateError { TemplateError(file: file, line: at ?? line, reason: reason) }
        func starts(_ word: String, at k: Int) -> Bool {
            let w = Array(word.unicodeScalars)
            guard k + w.count <= s.count else { return false }
            for (o, c) in w.enumerated() where Character(s[k + o]).lowercased() != Character(c).lowercased() { return false }
            return true
        }
        /// Advances past `end`, counting lines; false when the text ends first.
        func skip(past end: String) -> Bool {
            while i < s.count {
                if starts(end, at: i) { i += end.unicodeScalars.count; return true }
                if s[i] == "\n" { line += 1 }
                i += 1
            }
            return false
        }
        func isNameScalar(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == ":" || c == "."
        }
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        func skipSpace() { while i < s.count, isSpace(s[i]) { if s[i] == "\n" { line += 1 }; i += 1 } }
        func name() -> String {
            var n = ""
            while i < s.count, isNameScalar(s[i]) { n.unicodeScalars.append(s[i]); i += 1 }
            return n.lowercased()
        }
        /// The markup placeholder (`{{message.text}}`) that starts at `k`, if one does.
        func markupValue(at k: Int) -> String? {
            guard starts("{{", at: k) else { return nil }
            var j = k + 2, inner = ""
            while j < s.count, !starts("}}", at: j), inner.unicodeScalars.count < 64 { inner.unicodeScalars.append(s[j]); j += 1 }
            let t = inner.trimmingWhitespace()
            return markupValues.contains(t) ? "{{\(t)}}" : nil
        }
        /// The first markup placeholder in `range` (text already skipped, which began on line
        /// `first`) and the line it stands on.
        func markupValue(in range: Range<Int>, from first: Int) -> (String, Int)? {
            var at = first
            for k in range {
                if let value = markupValue(at: k) { return (value, at) }
                if s[k] == "\n" { at += 1 }
            }
            return nil
        }

        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1; i += 1; continue }
            if c == "{", starts("{{", at: i) {
                let at = line
                i += 2
                var inner = ""
                while i < s.count, !starts("}}", at: i) { inner.unicodeScalars.append(s[i]); i += 1 }
                i += 2
                let t = inner.trimmingWhitespace()
                // Blocks, layouts (`{{< name}}`) and slots (`{{$name}}`) all end at `{{/name}}`.
                if t.hasPrefix("#") { open.append(("{{\(t)}}", at)) }
                else if let sigil = t.unicodeScalars.first, sigil == "<" || sigil == "$" {
                    open.append(("{{\(sigil)\(t.dropFirst().trimmingWhitespace())}}", at))
                } else if t.hasPrefix("/") {
                    let name = t.dropFirst().trimmingWhitespace()
                    guard let last = open.last, ["#", "<", "$"].contains(where: { last.name == "{{\($0)\(name)}}" }) else {
                        throw fail("{{\(t)}} ends the block while \(open.last.map { "<\($0.name)> opened on line \($0.line)" } ?? "nothing") is still open", at)
                    }
                    open.removeLast()
                }
                continue
            }
            if c == "&" {
                i += 1
                var entity = ""
                while i < s.count, entity.unicodeScalars.count < 32, isNameScalar(s[i]) || s[i] == "#" { entity.unicodeScalars.append(s[i]); i += 1 }
                guard i < s.count, s[i] == ";", !entity.isEmpty, isEntity(entity) else {
                    throw fail("a bare \"&\" (write &amp;)")
                }
                i += 1
                continue
            }
            guard c == "<" else { i += 1; continue }
            let at = line
            if starts("<!--", at: i) {
                let content = i
                guard skip(past: "-->") else { throw fail("comment is never closed", at) }
                if case let (value, valueLine)? = markupValue(in: content..<i, from: at) {
                    throw fail("\(value) in an HTML comment: it may stand only in element content "
                               + "(a reply relayed as HTML would end the comment at its first \"-->\")", valueLine)
                }
                continue
            }
            if starts("<!doctype", at: i) {
                let content = i
                guard skip(past: ">") else { throw fail("<!DOCTYPE is never closed", at) }
                if case let (value, valueLine)? = markupValue(in: content..<i, from: at) {
                    throw fail("\(value) in <!DOCTYPE>: it may stand only in element content (a reply relayed as HTML would be spliced in)", valueLine)
                }
                continue
            }
            i += 1
            let closing = i < s.count && s[i] == "/"
            if closing { i += 1 }
            let tag = name()
            guard !tag.isEmpty, let first = tag.unicodeScalars.first, first >= "a" && first <= "z" else {
                throw fail("a bare \"<\" (write &lt;)", at)
            }
            if forbidden.contains(tag) { throw fail("<\(tag)> is not allowed in mail", at) }
            if closing {
                skipSpace()
                guard i < s.count, s[i] == ">" else { throw fail("</\(tag) is not closed by \">\"", at) }
                i += 1
                if voidElements.contains(tag) { throw fail("</\(tag)> closes a void element", at) }
                guard let last = open.last else { throw fail("</\(tag)> closes nothing", at) }
                guard last.name == tag else {
                    if last.name.hasPrefix("{{") { throw fail("</\(tag)> closes an element opened outside the block \(last.name) of line \(last.line)", at) }
                    throw fail("</\(tag)> does not match <\(last.name)> opened on line \(last.line)", at)
                }
                open.removeLast()
                continue
            }
            // Attributes: name, or name="value" / name='value'.
            var selfClosing = false
            var seen: Set<String> = []
            while true {
                skipSpace()
                guard i < s.count else { throw fail("<\(tag) is never closed by \">\"", at) }
                if s[i] == ">" { i += 1; break }
                if s[i] == "/", i + 1 < s.count, s[i + 1] == ">" { selfClosing = true; i += 2; break }
                let attr = name()
                guard !attr.isEmpty else { throw fail("<\(tag)> has a malformed attribute", line) }
                guard seen.insert(attr).inserted else { throw fail("<\(tag)> repeats the attribute \(attr)", line) }
                skipSpace()
                guard i < s.count, s[i] == "=" else { continue }
                i += 1
                skipSpace()
                guard i < s.count, s[i] == "\"" || s[i] == "'" else { throw fail("<\(tag)> attribute \(attr) needs a quoted value", line) }
                let quote = s[i]
                i += 1
                while i < s.count, s[i] != quote {
                    if s[i] == "<" { throw fail("<\(tag)> attribute \(attr) holds \"<\"", line) }
                    if let value = markupValue(at: i) {
                        throw fail("\(value) in <\(tag)> attribute \(attr): it may stand only in element content "
                                   + "(a reply relayed as HTML would be spliced into the attribute)", line)
                    }
                    if s[i] == "\n" { line += 1 }
                    i += 1
                }
                guard i < s.count else { throw fail("<\(tag)> attribute \(attr) is never closed", at) }
                i += 1
            }
            if voidElements.contains(tag) { continue }
            if selfClosing { throw fail("<\(tag)/> must be written <\(tag)></\(tag)>", at) }
            if rawText.contains(tag) {
                let content = i
                guard skip(past: "</\(tag)") else { throw fail("<\(tag)> opened here is never closed", at) }
                if let value = (content..<i).lazy.compactMap({ markupValue(at: $0) }).first {
                    throw fail("\(value) in <\(tag)>: it may stand only in element content (a reply relayed as HTML would be spliced in)", at)
                }
                skipSpace()
                guard i < s.count, s[i] == ">" else { throw fail("</\(tag) is not closed by \">\"", line) }
                i += 1
                continue
            }
            open.append((tag, at))
        }
        if let last = open.last {
            if last.name.hasPrefix("{{") { throw fail("block \(last.name) is never closed", last.line) }
            throw fail("<\(last.name)> opened here is never closed", last.line)
        }
    }

    /// Named entities are not checked against the full HTML list, only their shape; numeric ones
    /// must be numbers.
    static func isEntity(_ e: String) -> Bool {
        if e.hasPrefix("#x") || e.hasPrefix("#X") {
            return e.count > 2 && e.dropFirst(2).allSatisfy(\.isHexDigit)
        }
        if e.hasPrefix("#") { return e.count > 1 && e.dropFirst().allSatisfy(\.isNumber) }
        return e.allSatisfy { $0.isLetter || $0.isNumber } && e.first!.isLetter
    }
}
