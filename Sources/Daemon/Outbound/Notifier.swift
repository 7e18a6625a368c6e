import Foundation
import MIME
import Store
import Ticketing

/// Renders planned mails from the template set and queues them in the outbox, in the same
/// transaction as the change. Every mail carries the ticket tag, a signed Message-ID and our
/// loop marker; automatic ones are rate-limited per address and never sent to auto-mail.
final class Notifier {
    let config: Config
    let tags: TicketTagFormat
    let signer: MessageIDSigner
    let composer: MailComposer
    let clock: any Clock
    let log: Log
    let agentNames: [String: String]
    let agents: Set<String>
    var limiter: SendRateLimiter

    init(config: Config, tags: TicketTagFormat, signer: MessageIDSigner, loopMarker: LoopMarker, clock: any Clock, log: Log) {
        self.config = config
        self.tags = tags
        self.signer = signer
        self.composer = MailComposer(loopMarker: loopMarker)
        self.clock = clock
        self.log = log
        self.limiter = SendRateLimiter(limit: config.autoReplyLimit)
        self.agents = Set(config.agents.map { Address.normalised($0.email) })
        self.agentNames = Dictionary(config.agents.compactMap { a in a.name.map { (Address.normalised(a.email), $0) } },
                                     uniquingKeysWith: { a, _ in a })
    }

    var templates: TemplateSet { config.notifications.templates }

    /// Outbox kinds the loop defence counts: automatic mails to customers (and "status", the
    /// kind status notices had before templates).
    static let rateLimitedKinds = NotificationEvent.allCases.filter { $0.isForCustomer && $0.isAutomatic }.map(\.rawValue) + ["status"]

    /// Seeds the rate limiter from what the outbox shows was sent automatically lately, so a
    /// restart does not reset the loop defence.
    func seed(from db: Database) {
        let since = clock.unixSeconds() - 86_400
        let marks = Self.rateLimitedKinds.map { _ in "?" }.joined(separator: ",")
        let rows = (try? db.query("SELECT recipients, body_sha256, created_at FROM outbox WHERE kind IN (\(marks)) AND created_at >= ? ORDER BY id",
                                  Self.rateLimitedKinds.map { SQLValue.text($0) } + [.integer(since)])) ?? []
        for row in rows {
            let at = Date(timeIntervalSince1970: TimeInterval(row.int("created_at")))
            _ = limiter.admit(row.text("recipients"), bodyHash: row.optionalText("body_sha256"), at: at)
        }
    }

    var from: String? { config.smtp?.from }

    /// The address part of our From, for envelope senders.
    var envelopeFrom: String {
        guard let from, let lt = from.lastIndex(of: "<"), let gt = from.lastIndex(of: ">"), lt < gt else { return from ?? "" }
        return String(from[from.index(after: lt)..<gt])
    }

    /// Template languages for `ticket`, best first: the ticket's (routing stored it), its queue's
    /// default, then English; `pt-br` also tries `pt`.
    func languages(for ticket: TicketRecord, tickets: TicketStore) -> [String] {
        let stored = (try? tickets.routing(ticketID: ticket.id).language) ?? nil
        let queue = config.queues.first { $0.name == ticket.queue }?.language
        var out: [String] = []
        for tag in [stored, queue].compactMap({ $0?.lowercased() }) {
            out.append(tag)
            if let primary = tag.split(separator: "-").first, primary.count < tag.count { out.append(String(primary)) }
        }
        return out + [TemplateSet.fallbackLanguage]
    }

    /// The placeholder values of `mail` about `ticket`.
    func values(_ mail: PlannedMail, ticket: TicketRecord, language: String, tickets: TicketStore) -> TemplateValues {
        var v = TemplateValues()
        v[.ticketNumber] = String(ticket.number)
        v[.ticketTag] = tags.text(for: Int(ticket.number))
        v[.ticketSubject] = ticket.subject
        v[.ticketStatus] = LocalisedNames.status(ticket.status, language: language)
        v[.ticketPriority] = LocalisedNames.priority(ticket.priority, language: language)
        v[.ticketQueue] = ticket.queue
        v[.ticketURL] = config.notifications.url(for: ticket.number)
        v[.customerEmail] = ticket.requester
        v[.customerName] = customerName(ticket, tickets: tickets)
        v[.agentName] = mail.agent.map { agentNames[Address.normalised($0)] ?? $0 }
        v[.messageText] = mail.messageText.map(TemplateValues.clippedMessageText)
        v[.reopenDays] = String(config.reopenWindowDays)
        v[.slaDue] = mail.slaDue.map(Self.dueText)
        return v
    }

    /// The requester's display name from her first message (names are not stored apart).
    func customerName(_ ticket: TicketRecord, tickets: TicketStore) -> String? {
        guard let head = try? tickets.firstHeader(ticketID: ticket.id, from: ticket.requester) else { return nil }
        let end = Self.headerEnd(head)
        let name = Message.parse(Array(head[..<end]) + [13, 10, 13, 10]).from.first?.name?.trimmingCharacters(in: .whitespaces)
        return name?.isEmpty == false ? name : nil
    }

    static func headerEnd(_ b: [UInt8]) -> Int {
        var i = 0
        while i + 1 < b.count {
            if b[i] == 10 && (b[i + 1] == 10 || (b[i + 1] == 13 && i + 2 < b.count && b[i + 2] == 10)) { return i + 1 }
            i += 1
        }
        return b.count
    }

    static func dueText(_ date: Date) -> String {
        UTCTimestamp.iso(date, milliseconds: false).replacingOccurrences(of: "T", with: " ").prefix(16) + " UTC"
    }

    /// Renders `mail` in the ticket's language (`language` first when given).
    func render(_ mail: PlannedMail, ticket: TicketRecord, tickets: TicketStore, language: String? = nil) -> RenderedNotification {
        let template = templates.template(for: mail.event, languages: [language].compactMap { $0 } + languages(for: ticket, tickets: tickets))
        return template.render(values(mail, ticket: ticket, language: template.language, tickets: tickets))
    }

    /// The mail's bytes: tagged subject, signed Message-ID, threading, loop marker.
    func compose(_ mail: PlannedMail, rendered: RenderedNotification, ticket: TicketRecord, to recipients: [String],
                 tickets: TicketStore) throws -> (MailComposer.Draft, [UInt8]) {
        var inReplyTo = mail.inReplyTo
        var references = mail.references
        if mail.event.isForCustomer {
            let history = try tickets.conversation(ticketID: ticket.id).map {
                CustomerThread.Entry(inbound: $0.inbound, messageID: $0.messageID, from: $0.from, kind: $0.kind)
            }
            (inReplyTo, references) = CustomerThread.threading(CustomerThread.messageIDs(history, agents: agents))
        }
        let number = Int(ticket.number)
        let from = from ?? "postdesk@localhost"
        let draft = MailComposer.Draft(from: from, to: recipients, replyTo: mail.replyToSupport ? from : nil,
                                       subject: tags.subject(rendered.subject, taggedWith: number),
                                       messageID: signer.messageID(ticket: number), inReplyTo: inReplyTo, references: references,
                                       body: rendered.text, html: rendered.html, automatic: mail.automatic)
        return (draft, composer.compose(draft, date: clock.now()))
    }

    /// `postdesk templates show --ticket N`: the mail `event` would send for `ticket` now, not queued.
    func preview(_ event: NotificationEvent, ticket: TicketRecord, language: String?, tickets: TicketStore) throws -> [UInt8] {
        let lastText = try tickets.messages(ticketID: ticket.id).last { $0.direction == "in" }
            .flatMap { try tickets.raw(row: $0.id) }.flatMap { Message.parse($0).replyText }
        let to = event.isForCustomer ? [ticket.requester] : [ticket.assignee ?? config.agents.first?.email ?? "agents"]
        let mail = PlannedMail(event: event, to: to, messageText: lastText, agent: ticket.assignee)
        let rendered = render(mail, ticket: ticket, tickets: tickets, language: language)
        return try compose(mail, rendered: rendered, ticket: ticket, to: to, tickets: tickets).1
    }

    /// Queues `mail` for `ticket`, storing it as an outgoing message on the ticket. Returns
    /// false when nobody is left to send it to (undeliverable, ours, or rate-limited).
    @discardableResult
    func queue(_ mail: PlannedMail, ticket: TicketRecord, tickets: TicketStore, outbox: OutboxStore, now: Int64) throws -> Bool {
        guard from != nil else { return false }
        let own = Set([envelopeFrom.lowercased()] + config.queues.compactMap { $0.address?.lowercased() })
        var deliverable: [String] = []
        for r in mail.to where !r.isEmpty {
            if own.contains(r.lowercased()) { continue }
            if try tickets.isUndeliverable(r) {
                log.info("notify.skipped", ["ticket": ticket.number, "kind": mail.kind, "reason": "address undeliverable"])
                continue
            }
            deliverable.append(r)
        }
        guard !deliverable.isEmpty else { return false }
        let rendered = render(mail, ticket: ticket, tickets: tickets)
        let bodyHash = BodyHash.of(rendered.text)
        // Agents always get their notices, and a person's reply is never held back; the limit
        // guards customers' autoresponders against loops.
        if mail.automatic && mail.event.isForCustomer {
            for r in deliverable {
                if case .suppress(let reason, let first) = limiter.admit(r, bodyHash: bodyHash, at: clock.now()) {
                    if first { log.warning("notify.suppressed", ["ticket": ticket.number, "kind": mail.kind, "reason": reason.rawValue, "limit_per_hour": config.autoReplyLimit]) }
                    return false
                }
            }
        }
        let (draft, raw) = try compose(mail, rendered: rendered, ticket: ticket, to: deliverable, tickets: tickets)
        let row = try tickets.addMessage(ticketID: ticket.id, direction: "out", messageID: MailComposer.bare(draft.messageID),
                                         sha256: SHA256.hex(raw), raw: raw, fromAddress: envelopeFrom.lowercased(),
                                         subject: draft.subject, sentAt: now, decision: "\(mail.kind) to \(deliverable.joined(separator: ", "))", now: now)
        let id = try outbox.enqueue(ticketID: ticket.id, messageRow: row, kind: mail.kind, mailFrom: envelopeFrom, recipients: deliverable, raw: raw, now: now)
        try outbox.db.execute("UPDATE outbox SET body_sha256 = ? WHERE id = ?", [bodyHash, id])
        return true
    }
}
