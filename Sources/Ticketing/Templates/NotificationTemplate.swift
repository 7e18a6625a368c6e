/// One event's mail in one language: a subject line, a plain body, and optionally an HTML body
/// saying the same words.
public struct NotificationTemplate: Sendable, Equatable {
    public var event: NotificationEvent
    public var language: String
    public var subject: Template
    public var text: Template
    public var html: Template?
    /// Where each part came from: "shipped" or the override file's path.
    public var textOrigin: String
    public var htmlOrigin: String?

    /// Reads a `.txt` template: `Subject: …` on the first line, a blank line, then the body (which
    /// may use `partials`).
    public static func parseText(_ source: String, file: String,
                                 partials: [String: TemplateSet.File] = [:]) throws -> (subject: Template, body: Template) {
        let normal = source.replacingCRLF()
        guard normal.hasPrefix("Subject:") else {
            throw TemplateError(file: file, line: 1, reason: "the first line must be \"Subject: …\"")
        }
        let lines = normal.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[1].trimmingWhitespace().isEmpty else {
            throw TemplateError(file: file, line: 2, reason: "a blank line must follow the subject")
        }
        let subject = try Template.parse(String(lines[0].dropFirst("Subject:".count)).trimmingWhitespace(), file: file)
        if subject.nodes.contains(where: { if case .block = $0 { return true }; return false }) {
            throw TemplateError(file: file, line: 1, reason: "the subject cannot hold a block")
        }
        let body = try Template.parse(lines.count > 2 ? String(lines[2]) : "", file: file, firstLine: 3, partials: partials)
        return (subject, body)
    }

    public func render(_ values: TemplateValues) -> RenderedNotification {
        var values = values
        if event.quotesMessageText, let text = values[.messageText] { values[.messageText] = TemplateValues.quoted(text) }
        return RenderedNotification(subject: subject.render(values, for: .header).trimmingWhitespace(),
                             text: text.render(values, for: .plain),
                             html: html?.render(values, for: .html))
    }
}

/// A mail's words, ready for the MIME writer.
public struct RenderedNotification: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String?

    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
