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
    /// `language`: the template's, for words built here (the rating links' prefilled subject).
    func values(_ mail: PlannedMail, ticket: TicketRecord, tickets: TicketStore, language: String = TemplateSet.fallbackLanguage) -> TemplateValues {
        var v = TemplateValues()
        v[.ticketNumber] = String(ticket.number)
        v[.ticketTag] = tags.text(for: Int(ticket.number))
        v[.ticketSubject] = ticket.subject
        // Raw; the template set names them in the template's language.
        v[.ticketStatus] = ticket.status.rawValue
        v[.ticketPriority] = ticket.priority.rawValue
        v[.ticketQueue] = ticket.queue
        v[.ticketURL] = config.notifications.url(for: ticket.number)
        v[.customerEmail] = ticket.requester
        v[.customerName] = customerName(ticket, tickets: tickets)
        v[.agentName] = mail.agent.map { agentNames[Address.normalised($0)] ?? $0 }
        v[.messageText] = mail.messageText.map(TemplateValues.clippedMessageText)
        v[.reopenDays] = String(config.reopenWindowDays)
        v[.slaDue] = mail.slaDue.map(Self.dueText)
        v[.mergedTag] = mail.mergedFrom.map { tags.text(for: $0) }
        if mail.event == .statusResolved, config.satisfaction.links, let base = ratingBase(queue: ticket.queue) {
            let number = Int(ticket.number), tag = tags.text(for: number)
            v[.ratingGood] = RatingAddress.mailto(base: base, ticket: number, verdict: .good, tag: tag, language: language, signer: signer)
            v[.ratingBad] = RatingAddress.mailto(base: base, ticket: number, verdict: .bad, tag: tag, language: language, signer: signer)
        }
        return v
    }

    /// Where a ticket's satisfaction links point: its queue's address, else our first plus-address base.
    func ratingBase(queue: String) -> String? {
        config.queues.first { $0.name == queue }?.address ?? MessageRouter.plusAddressBases(config).first
    }

    /// The requester's display name from her first message (names are not stored apart).
    func customerName(_ ticket: TicketRecord, tickets: TicketStore) -> String? {
        (try? Self.customerName(ticket, tickets: tickets)) ?? nil
    }

    static func customerName(_ ticket: TicketRecord, tickets: TicketStore) throws -> String? {
        guard let head = try tickets.firstHeader(ticketID: ticket.id, from: ticket.requester) else { return nil }
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
        return templates.render(template, values: values(mail, ticket: ticket, tickets: tickets, language: template.language))
    }

    /// The mail's bytes: tagged subject, signed Message-ID, threading, loop marker.
    /// Mail to one agent is that agent's copy: its Message-ID (and, with `plus_addressing`, its
    /// Reply-To) is the reply handle proving a reply is theirs; nobody else ever sees a handle.
    func compose(_ mail: PlannedMail, rendered: RenderedNotification, ticket: TicketRecord, to recipients: [String],
                 tickets: TicketStore, files: [OutgoingAttachment] = []) throws -> (MailComposer.Draft, [UInt8]) {
        var inReplyTo = mail.inReplyTo
        var references = mail.references
        if mail.event.isForCustomer {
            let history = try tickets.conversation(ticketID: ticket.id).map {
                CustomerThread.Entry(inbound: $0.inbound, messageID: $0.messageID, from: $0.from, kind: $0.kind, recipients: $0.recipients)
            }
            // The `merged` mail goes to the merged ticket's requester about a ticket holding another
            // customer's conversation too: it threads on her part only.
            let customer = mail.event == .merged ? recipients.first : nil
            (inReplyTo, references) = CustomerThread.threading(CustomerThread.messageIDs(history, agents: agents, customer: customer))
        }
        let number = Int(ticket.number)
        let from = from ?? "postdesk@localhost"
        let toAgent = recipients.count == 1 && agents.contains(Address.normalised(recipients[0]))
        let messageID = toAgent ? signer.agentMessageID(ticket: number, agent: recipients[0]) : signer.messageID(ticket: number)
        var replyTo = mail.replyToSupport ? from : nil
        if toAgent, replyTo != nil, config.agentWorkflow.plusAddressing, let base = MessageRouter.plusAddressBases(config).first,
           let at = base.lastIndex(of: "@") {
            replyTo = "\(base[..<at])+\(number)-\(signer.agentAddressToken(ticket: number, agent: recipients[0]))\(base[at...])"
        }
        if !toAgent {
            references = references.filter { !signer.isAgentHandle($0) }
            if let id = inReplyTo, signer.isAgentHandle(id) { inReplyTo = nil }
        }
        let draft = MailComposer.Draft(from: from, to: recipients, replyTo: replyTo,
                                       subject: tags.subject(rendered.subject, taggedWith: number),
                                       messageID: messageID, inReplyTo: inReplyTo, references: references,
                                       body: rendered.text, html: rendered.html, attachments: files, automatic: mail.automatic)
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
    /// `messageRow`: the stored message that caused the mail; a mail carrying its text carries
    /// its files too (to customers all of them, to agents up to `agent_attachment_limit`).
    func queue(_ mail: PlannedMail, ticket: TicketRecord, tickets: TicketStore, outbox: OutboxStore, now: Int64,
               messageRow: Int64? = nil) throws -> Bool {
        guard from != nil else { return false }
        let own = Set([envelopeFrom.lowercased()] + config.queues.compactMap { $0.address?.lowercased() })
        var deliverable: [String] = []
        for r in mail.to where !r.isEmpty {
            if own.contains(r.lowercased()) { continue }
            if try tickets.isUndeliverable(r) {
                log.info("notify.skipped", ["ticket": ticket.number, "kind": mail.kind, "reason": "address undeliverable"])
                continue
            }
            if mail.automatic && mail.event.isForCustomer, try withheldAsAutomaticSender(r, tickets: tickets) {
                log.info("notify.skipped", ["ticket": ticket.number, "kind": mail.kind, "reason": "address sends automatic mail"])
                continue
            }
            deliverable.append(r)
        }
        guard !deliverable.isEmpty else { return false }
        // Each agent gets a copy of their own, carrying their reply handle (see `compose`).
        if deliverable.count > 1, deliverable.allSatisfy({ agents.contains(Address.normalised($0)) }) {
            var queued = false
            for agent in deliverable {
                var copy = mail
                copy.to = [agent]
                queued = try queue(copy, ticket: ticket, tickets: tickets, outbox: outbox, now: now, messageRow: messageRow) || queued
            }
            return queued
        }
        let toAgent = deliverable.count == 1 && agents.contains(Address.normalised(deliverable[0]))
        var rendered = render(mail, ticket: ticket, tickets: tickets)
        if toAgent && mail.event != .agentUnverified {
            rendered = withNoteAddress(rendered, ticket: ticket, language: templateLanguage(mail, ticket: ticket, tickets: tickets))
        }
        let bodyHash = BodyHash.of(rendered.text)
        var files: [OutgoingAttachment] = []
        if mail.messageText != nil, mail.event != .agentUnverified, let messageRow {
            (files, rendered.text) = try carriedFiles(messageRow, toAgent: toAgent, text: rendered.text, tickets: tickets)
            if mail.event.isForCustomer {
                files = try relayAgentHTML(mail, ticket: ticket, tickets: tickets, messageRow: messageRow, rendered: &rendered, files: files)
            }
        }
        // Agents always get their notices, and a person's reply is never held back; the limit
        // guards customers' autoresponders against loops.
        if mail.automatic && (mail.event.isForCustomer || mail.event == .agentUnverified) {
            for r in deliverable {
                if case .suppress(let reason, let first) = limiter.admit(r, bodyHash: bodyHash, at: clock.now()) {
                    if first { log.warning("notify.suppressed", ["ticket": ticket.number, "kind": mail.kind, "reason": reason.rawValue, "limit_per_hour": config.autoReplyLimit]) }
                    return false
                }
            }
        }
        let (draft, raw) = try compose(mail, rendered: rendered, ticket: ticket, to: deliverable, tickets: tickets, files: files)
        let row = try tickets.addMessage(ticketID: ticket.id, direction: "out", messageID: MailComposer.bare(draft.messageID),
                                         sha256: SHA256.hex(raw), raw: raw, fromAddress: envelopeFrom.lowercased(),
                                         subject: draft.subject, sentAt: now, decision: "\(mail.kind) to \(deliverable.joined(separator: ", "))", now: now)
        let id = try outbox.enqueue(ticketID: ticket.id, messageRow: row, kind: mail.kind, mailFrom: envelopeFrom, recipients: deliverable, raw: raw, now: now)
        try outbox.db.execute("UPDATE outbox SET body_sha256 = ? WHERE id = ?", [bodyHash, id])
        return true
    }

    /// Whether `address` sent us automatic mail lately (and no person wrote from it since): our
    /// automatic mail to it could feed a loop. A person's reply still goes.
    func withheldAsAutomaticSender(_ address: String, tickets: TicketStore) throws -> Bool {
        let days = config.notifications.automaticSenderDays
        guard days > 0, let sender = try AutomaticSenderStore(db: tickets.db).sender(address) else { return false }
        return sender.withheldUntil(now: clock.now(), days: days) != nil
    }

    /// The files of message `row` a mail carries, and its text (with a list of the files left out
    /// when an agent's notice would pass the size cap). All go as attachments here; an agent's
    /// HTML reply relayed to the customer makes the images it shows inline (`relayAgentHTML`).
    func carriedFiles(_ row: Int64, toAgent: Bool, text: String, tickets: TicketStore) throws -> ([OutgoingAttachment], String) {
        let stored = try tickets.attachments(messageRow: row)
        guard !stored.isEmpty else { return ([], text) }
        let total = stored.reduce(0) { $0 + $1.size }
        let limit = config.agentWorkflow.attachmentLimit
        if toAgent && total > limit {
            var list = "\n\nAttachments (\(Self.sizeText(total)) in all, over the \(Self.sizeText(limit)) limit for notices; not included):\n"
            for (i, a) in stored.enumerated() {
                list += "  \(i + 1). \(Self.oneLine(a.filename ?? "(no name)")) (\(a.contentType), \(Self.sizeText(a.size)))\n"
            }
            list += "Export one with: postdesk attachment \(row) <n> -o FILE\n"
            return ([], text + list)
        }
        let files = try tickets.withDecodedBytes(stored, messageRow: row).map {
            OutgoingAttachment(filename: $0.filename, contentType: $0.contentType, data: $0.data, contentID: $0.contentID, isInline: false)
        }
        return (files, text)
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? "\((Double(bytes) / 1_048_576 * 10).rounded() / 10) MB"
            : bytes >= 1024 ? "\(bytes / 1024) KB" : "\(bytes) bytes"
    }

    /// A name from a mail as one line of plain text.
    static func oneLine(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) }.prefix(200))
    }
}
