import Foundation
import Markup

/// The new part of an HTML reply, safe to pass on: the body only, cut where the client's quoted
/// history (or signature) begins, with active content, unknown tags and attributes removed and
/// every tag balanced. What a mail client quotes below the reply is the mail it answers, so
/// whatever that mail held (an agent's notice: handles, internal notes) must not survive. The
/// caller still checks the result against the reply's plain text (`words`) before using it.
public enum HTMLReply {
    public struct Fragment: Sendable, Equatable {
        /// Balanced HTML to put inside a `<div>`: no `<html>`, `<head>` or `<body>`.
        public var html: String
        /// The `cid:` references of kept images, without angle brackets, in order.
        public var contentIDs: [String]
    }

    /// Attributes of the markers that begin quoted history or a signature in common clients
    /// (Gmail, Outlook desktop and web, Thunderbird, Apple Mail, Yahoo, Proton, Zimbra).
    static let quoteMarkers = [
        "gmail_quote", "gmail_signature", "gmail_extra", "divrplyfwdmsg", "appendonsend", "moz-cite-prefix", "moz-signature",
        "yahoo_quoted", "mail-editor-reference-message-container", "outlookmessageheader", "_mailoriginal", "stopspelling",
        "protonmail_quote", "__quoted_text__", "zmail_extra", "x_divrplyfwdmsg", "applemailsignature",
    ]

    /// Tags kept (with the attributes `allowedAttributes` names); others go, their text stays.
    static let allowedTags: Set<String> = [
        "a", "abbr", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "div",
        "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "tt", "u", "ul",
    ]
    /// Tags whose content is dropped with them: never text for a reader, often active.
    static let droppedWithContent: Set<String> = [
        "script", "style", "head", "title", "template", "noscript", "iframe", "object", "embed", "applet", "svg", "math",
        "form", "textarea", "select", "button", "audio", "video", "canvas", "frameset", "frame", "xml", "o:p",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img", "col"]

    /// `isCommand`: a leading line the reply's commands consumed (`#pending`), removed from the
    /// start of the HTML as the text relay removes it.
    public static func sanitise(_ html: String, isCommand: (String) -> Bool = { _ in false }) -> Fragment {
        var source = Substring(html)
        let lower = html.lowercased()
        // The body only.
        if let b = lower.range(of: "<body") {
            let offset = lower.distance(from: lower.startIndex, to: b.upperBound)
            let after = html.index(html.startIndex, offsetBy: offset)
            source = html[after...]
            if let gt = source.firstIndex(of: ">") { source = source[source.index(after: gt)...] }
        }
        var out = Output()
        var stack: [String] = []
        var skip: String? = nil
        var leading = true
        var i = source.startIndex
        scan: while i < source.endIndex {
            let c = source[i]
            guard c == "<", let next = source.index(i, offsetBy: 1, limitedBy: source.endIndex), next < source.endIndex,
                  source[next] == "/" || source[next] == "!" || source[next].isLetter else {
                // Text up to the next tag.
                let end = source[i...].dropFirst().firstIndex(of: "<") ?? source.endIndex
                if skip == nil {
                    var text = String(source[i..<end])
                    if leading {
                        text = dropCommands(text, isCommand: isCommand, leading: &leading)
                    }
                    out.text(text, pre: stack.contains("pre"))
                }
                i = end
                continue
            }
            if source[next...].hasPrefix("!--") {
                i = source[next...].range(of: "-->")?.upperBound ?? source.endIndex
                continue
            }
            guard let close = source[i...].firstIndex(of: ">") else { break }
            let inside = source[next..<close]
            i = source.index(after: close)
            let closing = inside.hasPrefix("/")
            let body = closing ? inside.dropFirst() : inside
            let nameEnd = body.firstIndex { $0.isWhitespace || $0 == "/" || $0 == ">" } ?? body.endIndex
            let name = body[..<nameEnd].lowercased()
            let attributes = String(body[nameEnd...])
            if name == "body" || name == "html" {
                if closing && name == "body" { break scan }
                continue
            }
            if let s = skip {
                if closing && name == s { skip = nil }
                continue
            }
            if !closing, isQuoteStart(name: name, attributes: attributes) { break scan }
            if droppedWithContent.contains(name) {
                if !closing && !inside.hasSuffix("/") { skip = name }
                continue
            }
            guard allowedTags.contains(name) else { continue }
            if closing {
                guard let at = stack.lastIndex(of: name) else { continue }
                for open in stack[at...].reversed() { out.raw("</\(open)>") }
                stack.removeSubrange(at...)
                continue
            }
            guard let tag = cleanTag(name, attributes: attributes, fragment: &out) else { continue }
            out.raw(tag)
            if !voidTags.contains(name) { stack.append(name) }
        }
        for open in stack.reversed() { out.raw("</\(open)>") }
        return Fragment(html: out.finish(), contentIDs: out.contentIDs)
    }

    /// Whether a tag opens a client's quoted history or signature.
    static func isQuoteStart(name: String, attributes: String) -> Bool {
        if name == "blockquote" { return true }
        let a = attributes.lowercased()
        guard !a.isEmpty else { return false }
        return quoteMarkers.contains { a.contains($0) }
    }

    /// Removes leading command lines from a text run; `leading` turns false at the first other text.
    static func dropCommands(_ text: String, isCommand: (String) -> Bool, leading: inout Bool) -> String {
        let decoded = HTMLText.decodeEntities(text)
        let trimmed = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return text }
        var lines = decoded.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty || isCommand(first.trimmingCharacters(in: .whitespaces)) {
            lines.removeFirst()
        }
        guard !lines.isEmpty else { return "" }
        leading = false
        return HTMLEscape.escape(lines.joined(separator: "\n"), quotes: false)
    }

    /// The tag with its allowed attributes only, values re-escaped; nil drops it (an image not
    /// sent with the mail: remote images track the reader and may not be ours to send).
    static func cleanTag(_ name: String, attributes: String, fragment: inout Output) -> String? {
        var kept: [(String, String)] = []
        switch name {
        case "a":
            if let href = HTMLText.attribute("href", in: attributes).map(HTMLText.decodeEntities)?.trimmingCharacters(in: .whitespaces) {
                let scheme = href.lowercased()
                if scheme.hasPrefix("https://") || scheme.hasPrefix("http://") || scheme.hasPrefix("mailto:") { kept.append(("href", href)) }
            }
        case "img":
            guard let src = HTMLText.attribute("src", in: attributes).map(HTMLText.decodeEntities), src.lowercased().hasPrefix("cid:") else { return nil }
            let id = String(src.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
            guard !id.isEmpty else { return nil }
            fragment.contentIDs.append(id)
            kept.append(("src", "cid:" + id))
            // No alt: clients' plain parts rarely carry it, and the caller compares the words.
            for a in ["width", "height"] {
                if let v = HTMLText.attribute(a, in: attributes).map(HTMLText.decodeEntities) { kept.append((a, v)) }
            }
        case "td", "th":
            for a in ["colspan", "rowspan"] {
                if let v = HTMLText.attribute(a, in: attributes), v.allSatisfy(\.isNumber), !v.isEmpty { kept.append((a, v)) }
            }
        default:
            break
        }
        let attrs = kept.map { " \($0.0)=\"\(HTMLEscape.escape($0.1, quotes: true))\"" }.joined()
        return "<\(name)\(attrs)>"
    }

    /// The words a reader sees in `html` (letters and digits, lowercased), for comparing an HTML
    /// reply with its plain text: what the HTML shows beyond the text is what the cut missed.
    public static func words(html: String) -> [String] { words(text: HTMLText.convert(html)) }

    public static func words(text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// The `href` values of `html`'s links, decoded.
    public static func links(_ html: String) -> [String] {
        var out: [String] = []
        var rest = Substring(html)
        while let r = rest.range(of: "href=\"") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            out.append(HTMLText.decodeEntities(String(after[..<end])))
            rest = after[end...]
        }
        return out
    }

    struct Output {
        var parts: [String] = []
        var contentIDs: [String] = []
        var lastWasSpace = true

        /// Text with runs of white space collapsed (outside `<pre>`): templates may show the
        /// message inside `white-space: pre-wrap`, where the source's line breaks would show.
        mutating func text(_ s: String, pre: Bool) {
            guard !pre else { parts.append(guardedText(s)); lastWasSpace = false; return }
            var t = ""
            for ch in s {
                if ch.isWhitespace {
                    if !lastWasSpace { t.append(" ") }
                    lastWasSpace = true
                } else {
                    t.append(ch)
                    lastWasSpace = false
                }
            }
            parts.append(guardedText(t))
        }

        mutating func raw(_ s: String) {
            parts.append(s)
            if s.hasPrefix("<br") || s.hasPrefix("<p") || s.hasPrefix("<div") || s.hasPrefix("</p") || s.hasPrefix("</div") { lastWasSpace = true }
        }

        /// Text as found is entity-encoded already; only a stray `<` (not a tag) needs escaping.
        func guardedText(_ s: String) -> String { s.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;") }

        func finish() -> String { parts.joined().trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
