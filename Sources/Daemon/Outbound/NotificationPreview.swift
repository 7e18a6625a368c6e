import Foundation
import MIME
import Store
import Ticketing

/// `postdesk templates show`: a notification as it would go, for a real ticket or the sample one,
/// without queueing anything.
public enum NotificationPreview {
    /// The mail `event` would send about ticket `number` now; nil when there is no such ticket.
    public static func mail(_ event: NotificationEvent, ticket number: Int64, language: String?, config: Config, db: Database,
                            key: SigningKey, clock: any Clock) throws -> [UInt8]? {
        let tickets = TicketStore(db: db)
        guard let ticket = try tickets.ticket(number: number) else { return nil }
        let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
        let router = MessageRouter(config: config, key: key, clock: clock, log: log)
        return try router.notifier.preview(event, ticket: ticket, language: language, tickets: tickets)
    }

    /// The mail `event` makes for the sample ticket (#1234) in `language`.
    public static func sample(_ event: NotificationEvent, language: String, config: Config, clock: any Clock) -> [UInt8] {
        let values = TemplateValues.sample(language: language)
        let rendered = config.notifications.templates.render(event, languages: [language], values: values)
        let from = config.smtp?.from ?? "Support <support@example.com>"
        let composer = MailComposer(loopMarker: LoopMarker(instanceID: "sample"))
        return composer.compose(.init(from: from, to: [event.isForCustomer ? values[.customerEmail]! : "agent@example.com"],
                                      replyTo: event.isForCustomer ? nil : from, subject: "\(values[.ticketTag]!) \(rendered.subject)",
                                      messageID: "<sample.1234@example.com>", inReplyTo: nil, references: [],
                                      body: rendered.text, html: rendered.html, automatic: event.isAutomatic),
                                date: clock.now())
    }

    /// Headers as they go, then each text part decoded: what a person checks.
    public static func readable(_ raw: [UInt8]) -> String {
        let end = Notifier.headerEnd(raw)
        var out = String(decoding: raw[..<end], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let parsed = Message.parse(raw)
        out += "\n" + (parsed.text ?? "") + "\n"
        if let html = parsed.html { out += "\n----- text/html -----\n" + html }
        return out
    }
}
