/// Whether each event mails and whom, with per-queue exceptions (config `notifications`).
public struct NotificationPolicy: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var enabled: Bool
        public var recipients: [NotificationRecipient]
        public init(enabled: Bool, recipients: [NotificationRecipient]) {
            self.enabled = enabled
            self.recipients = recipients
        }
    }

    public var events: [NotificationEvent: Rule]
    /// Per queue, the events whose rule differs.
    public var queues: [String: [NotificationEvent: Rule]]

    public init(events: [NotificationEvent: Rule] = [:], queues: [String: [NotificationEvent: Rule]] = [:]) {
        self.events = events
        self.queues = queues
    }

    /// Every event on, to its default recipients.
    public static let standard = NotificationPolicy()

    /// The rule for `event` on a ticket of `queue`.
    public func rule(_ event: NotificationEvent, queue: String?) -> Rule {
        if let queue, let r = queues[queue]?[event] { return r }
        return events[event] ?? Rule(enabled: true, recipients: event.defaultRecipients)
    }
}
