import Foundation

/// A stable plain-text rendering of what the parser made of a message: used by `postdesk parse`
/// and by the golden tests, so a change in parsing shows up as a diff.
extension Message {
    /// The MIME tree, one indented line per entity: path, type, charset, encoding, size, file name.
    public func treeLines() -> [String] {
        var lines: [String] = []
        Message.renderTree(root, indent: 0, into: &lines)
        return lines
    }

    static func renderTree(_ e: Entity, indent: Int, into lines: inout [String]) {
        guard lines.count < 2_000 else { return }
        var line = String(repeating: "  ", count: indent) + (e.path.isEmpty ? "root" : e.path) + " " + e.contentType
        if let cs = e.charset { line += " charset=\(cs)" } else if let g = e.guessedCharset { line += " charset=\(g)(guessed)" }
        if e.transferEncoding != "7bit" { line += " cte=\(e.transferEncoding)" }
        line += " size=\(e.isMultipart ? e.encodedSize : e.bodySize)"
        if let d = e.disposition { line += " disposition=\(d)" }
        if let f = e.filename { line += " filename=\"\(f)\"" }
        if let c = e.contentID { line += " cid=<\(c)>" }
        lines.append(line)
        for child in e.children { renderTree(child, indent: indent + 1, into: &lines) }
        if let m = e.message {
            var head = String(repeating: "  ", count: indent + 1) + "message"
            if let s = m.subject { head += " subject=\"\(s)\"" }
            if let f = m.from.first { head += " from=\(f.address)" }
            lines.append(head)
            renderTree(m.root, indent: indent + 2, into: &lines)
        }
    }

    /// The full report: headers summary, tree, text (at most `textLines` lines), reply text,
    /// attachments and defects.
    public func rendered(textLines: Int? = nil) -> String {
        var out: [String] = []
        func addrs(_ list: [MailboxAddress]) -> String { list.map(\.description).joined(separator: ", ") }
        out.append("From:        \(addrs(from))")
        if !to.isEmpty { out.append("To:          \(addrs(to))") }
        if !cc.isEmpty { out.append("Cc:          \(addrs(cc))") }
        if !replyTo.isEmpty { out.append("Reply-To:    \(addrs(replyTo))") }
        out.append("Subject:     \(subject ?? "")")
        out.append("Date:        \(date.map(Message.iso8601) ?? "(none)")")
        out.append("Message-ID:  \(messageID ?? "(none)")")
        if !inReplyTo.isEmpty { out.append("In-Reply-To: \(inReplyTo.joined(separator: " "))") }
        if !references.isEmpty { out.append("References:  \(references.joined(separator: " "))") }
        out.append("")
        out.append("MIME tree:")
        out += treeLines().map { "  " + $0 }
        out.append("")
        func block(_ title: String, _ text: String?) {
            guard let text else { out.append("\(title): (none)"); return }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let total = lines.count
            if let max = textLines, lines.count > max { lines = Array(lines.prefix(max)) }
            out.append("\(title) (\(total) lines):")
            out += lines.map { "  | " + $0 }
            if lines.count < total { out.append("  | … \(total - lines.count) more lines") }
        }
        block("Text", text)
        out.append("")
        block("Reply text", replyText)
        out.append("")
        let atts = attachments
        out.append("Attachments (\(atts.count)):")
        for a in atts {
            out.append("  \(a.path) \(a.filename.map { "\"\($0)\"" } ?? "(no name)") \(a.contentType) \(a.size) bytes\(a.isInline ? " inline" : "")\(a.contentID.map { " cid=<\($0)>" } ?? "")")
        }
        out.append("")
        out.append("Defects (\(defects.count)):")
        for d in defects { out.append("  \(d)") }
        return out.joined(separator: "\n") + "\n"
    }

    /// "2024-01-31T10:20:30Z", computed without Foundation formatters (fast and thread-safe).
    public static func iso8601(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        let days = t >= 0 ? t / 86_400 : -((-t + 86_399) / 86_400)
        let secs = t - days * 86_400
        // Civil from days (Howard Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func p(_ v: Int, _ w: Int = 2) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(y, 4))-\(p(m))-\(p(d))T\(p(secs / 3600)):\(p(secs % 3600 / 60)):\(p(secs % 60))Z"
    }
}
