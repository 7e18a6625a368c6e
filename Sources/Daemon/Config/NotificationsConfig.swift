import Foundation
import Ticketing

/// Who hears of what (`notifications`), in which words (the template set, shipped plus the
/// override directory), and how long the outbox keeps trying (`outbox_max_age`). Needs no
/// config at all: every event has a default.
public struct NotificationsConfig: Sendable, Equatable {
    public typealias Rule = NotificationPolicy.Rule

    /// The override directory: a file there replaces the shipped one of the same name.
    public var templateDirectory: String?
    /// `https://desk.example.com/t/{number}`: the link for `{{ticket.url}}`.
    public var ticketURL: String?
    /// Seconds after which an unsent outbox row is given up.
    public var outboxMaxAge: Int
    /// Days an address that sent us automatic mail (an auto-reply) gets no automatic mail from
    /// us (`notifications.automatic_sender_days`; 0: never withheld). Mail from a person there ends it.
    public var automaticSenderDays = defaultAutomaticSenderDays
    /// Which events mail whom, per queue.
    public var policy: NotificationPolicy
    public var templates: TemplateSet

    public static let defaultOutboxMaxAge = 3 * 86_400
    public static let defaultAutomaticSenderDays = 30

    /// The link for ticket `number`, when `ticket_url` is set.
    public func url(for number: Int64) -> String? {
        ticketURL.map { $0.replacingOccurrences(of: "{number}", with: "\(number)") }
    }

    public static func defaults() throws -> NotificationsConfig {
        NotificationsConfig(templateDirectory: nil, ticketURL: nil, outboxMaxAge: defaultOutboxMaxAge,
                            policy: .standard, templates: try TemplateLibrary.shippedSet.get())
    }

    /// Reads `notifications`, `ticket_url` and `outbox_max_age` from the config root and loads the
    /// templates; `queueLanguages` (the queues' default languages) must each have every template.
    static func parse(_ root: ConfigReader, queues: [String], queueLanguages: Set<String>) throws -> NotificationsConfig {
        var config = try defaults()
        config.outboxMaxAge = try root.int("outbox_max_age", range: 60...365 * 86_400) ?? defaultOutboxMaxAge
        if let url = try root.string("ticket_url") {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.contains("{number}") else {
                throw root.fail("must be an http(s) URL holding {number}, e.g. https://desk.example.com/tickets/{number}", at: "ticket_url")
            }
            config.ticketURL = url
        }
        if let n = root.child("notifications") {
            _ = try n.object(allowed: ["templates", "events", "queues", "automatic_sender_days"])
            config.templateDirectory = try n.path("templates")
            config.automaticSenderDays = try n.int("automatic_sender_days", range: 0...3650) ?? config.automaticSenderDays
            if let dir = config.templateDirectory, (try? FileManager.default.contentsOfDirectory(atPath: dir)) == nil {
                throw n.fail(ConfigReader.unreadableDirectory(dir), at: "templates")
            }
            if let events = n.child("events") { config.policy.events = try parseEvents(events) }
            if let q = n.child("queues") {
                for (name, _) in try q.object(allowed: Set(queues)) {
                    let queue = q.child(name)!
                    _ = try queue.object(allowed: ["events"])
                    config.policy.queues[name] = try queue.child("events").map(parseEvents) ?? [:]
                }
            }
        }
        do {
            guard config.templateDirectory != nil || !queueLanguages.isEmpty else { return config }
            config.templates = try TemplateLibrary.load(directory: config.templateDirectory, requiredLanguages: queueLanguages)
        } catch let e as TemplateError where !e.file.contains("/") {
            // A shipped template is missing for a language a queue asks for: name the queue.
            throw ConfigError(file: root.file, key: queueKey(root, language: e.file.split(separator: ".").dropFirst().first.map(String.init)),
                              reason: "no template \(e.file) \(e.reason); add it to the notifications.templates directory")
        } catch let e as TemplateError {
            throw ConfigError(file: e.file, key: e.line.map { "line \($0)" }, reason: e.reason)
        }
        return config
    }

    /// The key of the first queue whose `language` is `language`, else `notifications.templates`.
    static func queueKey(_ root: ConfigReader, language: String?) -> String {
        let queues = (try? root.child("queues")?.items()) ?? []
        for q in queues where (try? q.string("language"))?.lowercased() == language { return "\(q.path).language" }
        return "notifications.templates"
    }

    /// `{ "ack": false, "urgent": { "to": ["assignee", "queue"] }, "reply": { "enabled": true } }`
    static func parseEvents(_ r: ConfigReader) throws -> [NotificationEvent: Rule] {
        var rules: [NotificationEvent: Rule] = [:]
        for (name, value) in try r.object(allowed: Set(NotificationEvent.allCases.map(\.rawValue))) {
            let event = NotificationEvent(rawValue: name)!
            if case .bool(let on) = value {
                rules[event] = Rule(enabled: on, recipients: event.defaultRecipients)
                continue
            }
            let e = r.child(name)!
            _ = try e.object(allowed: ["enabled", "to"])
            var rule = Rule(enabled: try e.bool("enabled") ?? true, recipients: event.defaultRecipients)
            if let to = e.child("to") {
                rule.recipients = try to.items().map { item in
                    guard case .string(let s) = item.value, let role = NotificationRecipient(rawValue: s) else {
                        throw item.fail("must be one of \(NotificationRecipient.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return role
                }
                if rule.recipients.isEmpty { throw e.fail("is empty; use \"enabled\": false to send nothing", at: "to") }
            }
            rules[event] = rule
        }
        return rules
    }
}
