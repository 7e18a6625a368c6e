/// What one notification says about its ticket, keyed by placeholder. A missing or empty value
/// renders as nothing and makes blocks on it disappear.
public struct TemplateValues: Sendable, Equatable {
    public var values: [TemplatePlaceholder: String]

    public init(_ values: [TemplatePlaceholder: String] = [:]) { self.values = values }

    public subscript(_ p: TemplatePlaceholder) -> String? {
        get { values[p] }
        set { values[p] = newValue }
    }

    /// Longest message text put into a mail; the rest is cut at a line end with a marker.
    public static let messageTextLimit = 20_000

    /// `text` clipped to `messageTextLimit` characters (at the last line end before it), with
    /// trailing blank lines dropped.
    public static func clippedMessageText(_ text: String) -> String {
        var body = text.replacingCRLF()
        while body.hasSuffix("\n") || body.hasSuffix(" ") { body.removeLast() }
        guard body.count > messageTextLimit else { return body }
        var cut = String(body.prefix(messageTextLimit))
        if let lastBreak = cut.lastIndex(of: "\n") { cut = String(cut[..<lastBreak]) }
        return cut + "\n[…]"
    }

    /// `text` as a mail quotation: `> ` before each line, a bare `>` on blank ones (RFC 3676
    /// style, so clients fold and colour it), quoted lines quoted once more (`>> `).
    public static func quoted(_ text: String) -> String {
        text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.isEmpty ? ">" : line.hasPrefix(">") ? ">" + line : "> " + line
        }.joined(separator: "\n")
    }
}

extension String {
    func replacingCRLF() -> String {
        guard contains("\r") else { return self }
        var out = ""
        var iterator = unicodeScalars.makeIterator()
        var pendingCR = false
        while let s = iterator.next() {
            if pendingCR { out.unicodeScalars.append("\n"); pendingCR = false; if s == "\n" { continue } }
            if s == "\r" { pendingCR = true } else { out.unicodeScalars.append(s) }
        }
        if pendingCR { out.unicodeScalars.append("\n") }
        return out
    }
}
