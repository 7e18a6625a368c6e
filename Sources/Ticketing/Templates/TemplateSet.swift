/// Every notification template postdesk may send, parsed and checked: the shipped ones with any
/// operator overrides on top. Built whole or not at all, so a broken override never replaces a
/// working set (at start the daemon exits 78; on reload the running set stays).
public struct TemplateSet: Sendable, Equatable {
    /// A template file's text and where it came from.
    public struct File: Sendable, Equatable {
        public var text: String
        /// "shipped", or the path of the override.
        public var origin: String
        public init(text: String, origin: String) {
            self.text = text
            self.origin = origin
        }
    }

    struct Key: Hashable, Sendable {
        var event: NotificationEvent
        var language: String
    }

    private(set) var templates: [Key: NotificationTemplate]
    /// Status and priority names per language (`names.<language>.txt`); English is complete.
    public private(set) var names: [String: LocalisedNames] = [:]
    /// Each names file's origin: "shipped" or the override's path.
    public private(set) var namesOrigins: [String: String] = [:]
    /// Each partial's file (`_layout.html`) and origin: "shipped" or the override's path.
    public private(set) var partialOrigins: [String: String] = [:]
    /// What works but falls back: a language whose statuses and priorities are not all named
    /// (its mails show the English names). Config warnings, and `postdesk doctor` shows them.
    public private(set) var warnings: [String] = []
    public static let fallbackLanguage = "en"

    /// Languages with at least one template.
    public var languages: [String] { Set(templates.keys.map(\.language)).sorted() }

    /// Builds the set from the shipped files and the override directory's files (both keyed by
    /// file name: `ack.ru.txt`, `ack.ru.html`, partials `_layout.html`). `requiredLanguages` (the queues' default
    /// languages) must have every event. Every template is rendered against the sample ticket,
    /// and every HTML part checked for well-formedness.
    public static func build(shipped: [String: File], overrides: [String: File] = [:],
                             requiredLanguages: Set<String> = []) throws -> TemplateSet {
        var files = shipped
        for (name, file) in overrides {
            if LocalisedNames.language(ofFile: name) != nil || TemplatePartial.parseName(name) != nil {
                files[name] = file
                continue
            }
            if name.hasPrefix("_") {
                throw TemplateError(file: file.origin, line: nil, reason: "not a partial name: _<name>.html or _<name>.txt, or _<name>.<language>.html or .txt, the name in lowercase letters, digits and dashes")
            }
            guard let parts = parseName(name) else {
                throw TemplateError(file: file.origin, line: nil, reason: "not a template name: <event>.<language>.txt or .html, or names.<language>.txt, with event one of \(NotificationEvent.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            files[name] = file
            // A reworded plain part must not travel with the shipped HTML saying the old words.
            if parts.ext == "txt", overrides["\(parts.event.rawValue).\(parts.language).html"] == nil {
                files["\(parts.event.rawValue).\(parts.language).html"] = nil
            }
        }
        var set = TemplateSet(templates: [:])
        var htmls: [Key: (Template, String)] = [:]
        for name in files.keys.sorted() {
            let file = files[name]!
            if let language = LocalisedNames.language(ofFile: name) {
                set.names[language] = try LocalisedNames.parse(file.text, file: file.origin == "shipped" ? name : file.origin)
                set.namesOrigins[language] = file.origin
                continue
            }
            let shownName = file.origin == "shipped" ? name : file.origin
            if let partial = TemplatePartial.parseName(name) {
                // Read alone as well, so a broken partial stops the load even while no template uses it.
                let partials = Self.partials(language: partial.language ?? fallbackLanguage, ext: partial.ext, in: files)
                _ = try Template.parse(file.text.replacingCRLF(), file: shownName, partials: partials)
                if partial.ext == "html" { try HTMLWellFormedness.check(file.text.replacingCRLF(), file: shownName) }
                set.partialOrigins[name] = file.origin
                continue
            }
            guard let parts = parseName(name) else { throw TemplateError(file: file.origin, line: nil, reason: "not a template name") }
            let key = Key(event: parts.event, language: parts.language)
            let partials = Self.partials(language: parts.language, ext: parts.ext, in: files)
            if parts.ext == "txt" {
                let (subject, body) = try NotificationTemplate.parseText(file.text, file: shownName, partials: partials)
                set.templates[key] = NotificationTemplate(event: parts.event, language: parts.language, subject: subject, text: body,
                                                          html: nil, textOrigin: file.origin, htmlOrigin: nil)
            } else {
                let html = try Template.parse(file.text.replacingCRLF(), file: shownName, partials: partials)
                try HTMLWellFormedness.check(file.text.replacingCRLF(), file: shownName)
                htmls[key] = (html, file.origin)
            }
        }
        for (key, html) in htmls {
            guard set.templates[key] != nil else {
                throw TemplateError(file: html.1 == "shipped" ? "\(key.event.rawValue).\(key.language).html" : html.1, line: nil,
                                    reason: "an HTML part needs its plain part \(key.event.rawValue).\(key.language).txt")
            }
            set.templates[key]!.html = html.0
            set.templates[key]!.htmlOrigin = html.1
        }
        for language in [fallbackLanguage] + requiredLanguages.sorted() {
            for event in NotificationEvent.allCases where set.templates[Key(event: event, language: language)] == nil {
                let why = language == fallbackLanguage ? "English is the last fallback" : "a queue's default language is \(language)"
                throw TemplateError(file: "\(event.rawValue).\(language).txt", line: nil, reason: "missing (\(why))")
            }
        }
        try set.checkNames()
        try set.check()
        return set
    }

    /// English names every status and priority (the fallback); another language missing some
    /// is a warning, not an error: its mails show those names in English.
    mutating func checkNames() throws {
        let english = names[Self.fallbackLanguage] ?? LocalisedNames()
        if let key = english.missing.first {
            let origin = namesOrigins[Self.fallbackLanguage].flatMap { $0 == "shipped" ? nil : $0 } ?? "names.\(Self.fallbackLanguage).txt"
            throw TemplateError(file: origin, line: nil, reason: "no name for \(key) (English is the last fallback)")
        }
        for language in languages where language != Self.fallbackLanguage {
            guard let named = names[language] else {
                warnings.append("names.\(language).txt: missing: statuses and priorities in \(language) mails are named in English (add the file to the notifications.templates directory)")
                continue
            }
            if !named.missing.isEmpty {
                let origin = namesOrigins[language].flatMap { $0 == "shipped" ? nil : $0 } ?? "names.\(language).txt"
                warnings.append("\(origin): no name for \(named.missing.joined(separator: ", ")): English is used")
            }
        }
    }

    /// `values` with the ticket's status and priority (given as their raw names, `pending`)
    /// named as a `language` mail names them, else in English.
    public func localised(_ values: TemplateValues, language: String) -> TemplateValues {
        var out = values
        let english = names[Self.fallbackLanguage]
        if let raw = values[.ticketStatus], let status = TicketStatus(rawValue: raw) {
            out[.ticketStatus] = names[language]?.status(status) ?? english?.status(status) ?? raw
        }
        if let raw = values[.ticketPriority], let priority = TicketPriority(rawValue: raw) {
            out[.ticketPriority] = names[language]?.priority(priority) ?? english?.priority(priority) ?? raw
        }
        return out
    }

    /// Renders every template against the sample ticket of its language: what a customer would
    /// get must be a mail, not a crash or an empty subject.
    public func check() throws {
        for (key, template) in templates {
            let rendered = render(template, values: .sample(language: key.language))
            let file = template.textOrigin == "shipped" ? "\(key.event.rawValue).\(key.language).txt" : template.textOrigin
            if rendered.subject.isEmpty { throw TemplateError(file: file, line: 1, reason: "the subject renders empty") }
            if rendered.text.trimmingWhitespace().isEmpty { throw TemplateError(file: file, line: 3, reason: "the body renders empty") }
            if let html = rendered.html {
                let htmlFile = template.htmlOrigin == "shipped" ? "\(key.event.rawValue).\(key.language).html" : template.htmlOrigin ?? file
                try HTMLWellFormedness.check(html, file: "\(htmlFile) (rendered with the sample ticket)")
                // Where `{{message.text}}` lands once partials and layouts are filled in: still
                // element content only (a relayed HTML reply takes its place).
                var marked = TemplateValues.sample(language: key.language)
                marked[.messageText] = "{{message.text}}"
                if let html = render(template, values: marked).html {
                    try HTMLWellFormedness.check(html, file: "\(htmlFile) (with its partials)")
                }
            }
        }
    }

    /// The template for `event` in the first of `languages` that has one, else English.
    public func template(for event: NotificationEvent, languages: [String]) -> NotificationTemplate {
        for language in languages + [Self.fallbackLanguage] {
            if let t = templates[Key(event: event, language: language.lowercased())] { return t }
        }
        preconditionFailure("TemplateSet.build guarantees every event in English")
    }

    /// The mail `event` makes in the first of `languages` with a template; `values` name the
    /// status and priority raw (`pending`), the set names them in the template's language.
    public func render(_ event: NotificationEvent, languages: [String], values: TemplateValues) -> RenderedNotification {
        render(template(for: event, languages: languages), values: values)
    }

    public func render(_ template: NotificationTemplate, values: TemplateValues) -> RenderedNotification {
        template.render(localised(values, language: template.language))
    }

    /// Every event × language, sorted, for `postdesk templates check`.
    public var all: [NotificationTemplate] {
        templates.values.sorted { ($0.event.rawValue, $0.language) < ($1.event.rawValue, $1.language) }
    }

    /// The partials a `language` template of kind `ext` may use, by name: `_<name>.<language>.<ext>`
    /// before `_<name>.<ext>`; each one's origin is the file its errors name.
    static func partials(language: String, ext: String, in files: [String: File]) -> [String: File] {
        var found: [String: File] = [:]
        for (fileName, file) in files {
            guard let p = TemplatePartial.parseName(fileName), p.ext == ext, p.language == nil || p.language == language else { continue }
            if p.language == nil, found[p.name] != nil { continue }
            found[p.name] = File(text: file.text.replacingCRLF(), origin: file.origin == "shipped" ? fileName : file.origin)
        }
        return found
    }

    /// `ack.ru.txt` → (acknowledgement, "ru", "txt").
    static func parseName(_ name: String) -> (event: NotificationEvent, language: String, ext: String)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let event = NotificationEvent(rawValue: String(parts[0])),
              parts[2] == "txt" || parts[2] == "html", isLanguage(parts[1]) else { return nil }
        return (event, String(parts[1]), String(parts[2]))
    }

    /// `en`, `de`, `pt-br`: a lowercase language tag.
    public static func isLanguage<S: StringProtocol>(_ s: S) -> Bool {
        let pieces = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let head = pieces.first, (2...3).contains(head.count), head.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return false }
        return pieces.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") } }
    }
}
