/// The values a notification template may name, and nothing more: a typo is a config error at
/// load, never blank text in a customer's mail.
public enum TemplatePlaceholder: String, CaseIterable, Sendable, Hashable {
    case ticketNumber = "ticket.number"
    case ticketTag = "ticket.tag"
    case ticketSubject = "ticket.subject"
    case ticketStatus = "ticket.status"
    case ticketPriority = "ticket.priority"
    case ticketQueue = "ticket.queue"
    case ticketURL = "ticket.url"
    case customerName = "customer.name"
    case customerEmail = "customer.email"
    case agentName = "agent.name"
    case messageText = "message.text"
    case reopenDays = "reopen.days"
    case slaDue = "sla.due"
    /// The tag of the ticket merged away (in the `merged` mail).
    case mergedTag = "merged.tag"

    /// The short block name (`{{#agent}}`) that stands for this placeholder having a value.
    public var group: String { String(rawValue.split(separator: ".")[0]) }
}

/// The condition of a `{{#name}}…{{/name}}` block: a placeholder (`{{#ticket.url}}`) or a group
/// of them (`{{#agent}}`, `{{#message}}`), shown when one of them has a value.
public struct TemplateCondition: Sendable, Hashable {
    public let name: String
    public let placeholders: [TemplatePlaceholder]

    /// Known block names; `ticket` alone is not one (a ticket always has a number).
    public init?(_ name: String) {
        if let p = TemplatePlaceholder(rawValue: name) {
            self.name = name
            self.placeholders = [p]
            return
        }
        let members = TemplatePlaceholder.allCases.filter { $0.group == name }
        guard !members.isEmpty, name != "ticket" else { return nil }
        self.name = name
        self.placeholders = members
    }

    func holds(in values: TemplateValues) -> Bool {
        placeholders.contains { !(values[$0] ?? "").isEmpty }
    }
}
