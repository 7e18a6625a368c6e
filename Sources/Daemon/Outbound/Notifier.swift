import Foundation
import MIME
import Store
import Ticketing

/// Decides which mails a ticket change causes and queues them in the outbox, in the same
/// transaction as the change. Every mail carries the ticket tag, a signed Message-ID and our
/// loop marker; automatic ones are rate-limited per address and never sent to auto-mail.
final class Notifier {
    let config: Config
    let tags: TicketTagFormat
    let signer: MessageIDSigner
    let composer: MailComposer
    let clock: any Clock
    let log: Log
    var limiter: SendRateLimiter

    init(config: Config, tags: TicketTagFormat, signer: MessageIDSigner, loopMarker: LoopMarker, clock: any Clock, log: Log) {
        self.config = config
        self.tags = tags
        self.signer = signer
        self.composer = MailComposer(loopMarker: loopMarker)
        self.clock = clock
        self.log = log
        self.limiter = SendRateLimiter(limit: config.autoReplyLimit)
    }

    /// Seeds the rate limiter from what the outbox shows was sent automatically lately, so a
    /// restart does not reset the loop defence.
    func seed(from db: Database) {
        let since = clock.unixSeconds() - 86_400
        let rows = (try? db.query("SELECT recipients, body_sha256, created_at FROM outbox WHERE kind IN ('ack','status') AND created_at >= ? ORDER BY id", [since])) ?? []
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

    /// Queues one mail for `ticket`, storing it as an outgoing message on the ticket.
    @discardableResult
    func queue(_ kind: String, ticket: TicketRecord, to recipients: [String], subject: String, body makeBody: @autoclosure () -> String,
               inReplyTo: String?, references: [String], automatic: Bool, replyTo: String? = nil,
               tickets: TicketStore, outbox: OutboxStore, now: Int64) throws -> Bool {
        guard let from else { return false }
        var deliverable: [String] = []
        for r in recipients where !r.isEmpty {
            if try tickets.isUndeliverable(r) {
                log.info("notify.skipped", ["ticket": ticket.number, "kind": kind, "reason": "address undeliverable"])
                continue
            }
            deliverable.append(r)
        }
        guard !deliverable.isEmpty else { return false }
        // Built only when a mail will go: rendering notices is the costly part of routing.
        let body = makeBody()
        let bodyHash = BodyHash.of(body)
        // Agents always get their notices and SLA alerts; the limit guards customers' autoresponders against loops.
        if automatic && kind != "agent-notice" && !kind.hasPrefix("sla-") {
            for r in deliverable {
                if case .suppress(let reason, let first) = limiter.admit(r, bodyHash: bodyHash, at: clock.now()) {
                    if first { log.warning("notify.suppressed", ["ticket": ticket.number, "kind": kind, "reason": reason.rawValue, "limit_per_hour": config.autoReplyLimit]) }
                    return false
                }
            }
        }
        let number = Int(ticket.number)
        let agents = Set(config.agents.map { $0.email.lowercased() })
        // Each agent gets a copy of their own: its Message-ID (and Reply-To plus-address) is the
        // reply handle that proves a reply is theirs. Nobody else ever sees an agent's handle.
        if deliverable.count > 1, deliverable.allSatisfy({ agents.contains($0.lowercased()) }) {
            var queued = false
            for agent in deliverable {
                queued = try queue(kind, ticket: ticket, to: [agent], subject: subject, body: body, inReplyTo: inReplyTo, references: references,
                                   automatic: automatic, replyTo: replyTo, tickets: tickets, outbox: outbox, now: now) || queued
            }
            return queued
        }
        let toAgent = deliverable.count == 1 && agents.contains(deliverable[0].lowercased())
        let messageID = toAgent ? signer.agentMessageID(ticket: number, agent: deliverable[0]) : signer.messageID(ticket: number)
        var replyAddress = replyTo
        if toAgent, replyTo != nil, config.agentWorkflow.plusAddressing, let base = MessageRouter.plusAddressBases(config).first,
           let at = base.lastIndex(of: "@") {
            replyAddress = "\(base[..<at])+\(number)-\(signer.agentAddressToken(ticket: number, agent: deliverable[0]))\(base[at...])"
        }
        let visibleReferences = toAgent ? references : references.filter { !signer.isAgentHandle($0) }
        let visibleInReplyTo = toAgent ? inReplyTo : inReplyTo.flatMap { signer.isAgentHandle($0) ? nil : $0 }
        let draft = MailComposer.Draft(from: from, to: deliverable, replyTo: replyAddress, subject: tags.subject(subject, taggedWith: number),
                                       messageID: messageID, inReplyTo: visibleInReplyTo, references: visibleReferences, body: body,
                                       automatic: automatic)
        let raw = composer.compose(draft, date: clock.now())
        let row = try tickets.addMessage(ticketID: ticket.id, direction: "out", messageID: String(messageID.dropFirst().dropLast()),
                                         sha256: SHA256.hex(raw), raw: raw, fromAddress: envelopeFrom.lowercased(),
                                         subject: draft.subject, sentAt: now, decision: "\(kind) to \(deliverable.joined(separator: ", "))", now: now)
        let id = try outbox.enqueue(ticketID: ticket.id, messageRow: row, kind: kind, mailFrom: envelopeFrom, recipients: deliverable, raw: raw, now: now)
        try outbox.db.execute("UPDATE outbox SET body_sha256 = ? WHERE id = ?", [bodyHash, id])
        return true
    }

    /// The words of a planned mail.
    func render(_ content: PlannedMail.Content, ticket: TicketRecord) -> String {
        switch content {
        case .acknowledgement: return acknowledgement(ticket: ticket)
        case let .agentNotice(from, text, isNew): return agentNotice(ticket: ticket, from: from, text: text, isNew: isNew)
        case let .relay(body): return body
        case let .statusNotice(status): return statusNotice(ticket: ticket, status: status)
        case let .agentUnverified(number, reason): return agentUnverified(ticket: number, reason: reason)
        }
    }

    func acknowledgement(ticket: TicketRecord) -> String {
        """
        Hello,

        thank you for writing to us. Your request has been received and is now ticket #\(ticket.number):

            \(ticket.subject)

        We will answer as soon as we can. To add anything, just reply to this mail and keep the
        \(tags.text(for: Int(ticket.number))) tag in the subject.

        -- 
        \(config.smtp?.from ?? "Support")
        """
    }

    func agentNotice(ticket: TicketRecord, from sender: String, text: String, isNew: Bool) -> String {
        let head = isNew ? "New ticket #\(ticket.number) from \(sender) in queue \(ticket.queue):" : "\(sender) wrote on ticket #\(ticket.number):"
        return "\(head)\n\n\(text.utf8.count <= 20_000 ? text : String(text.prefix(20_000)))\n\n-- \nReply to this mail to answer the customer. Lines like '#status pending', '#resolve',\n'#assign me' or '#priority high' at the top of your reply change the ticket.\n"
    }

    func agentUnverified(ticket number: Int?, reason: String) -> String {
        let what = number.map { "on ticket #\($0) " } ?? ""
        return """
            A mail in your name \(what)was not taken as yours: \(reason).

            Nothing was changed and nothing was sent to the customer. Reply to the notice postdesk sent you
            (so your reply carries its handle), or ask the operator to set up trusted_authserv_ids.
            If you did not write it, someone is using your address.
            """
    }

    func statusNotice(ticket: TicketRecord, status: TicketStatus) -> String {
        let what: String
        switch status {
        case .resolved: what = "has been resolved. If anything is still wrong, reply within \(config.reopenWindowDays) days and it opens again."
        case .closed: what = "has been closed. Write to us again any time; a new ticket will be opened."
        case .pending: what = "is waiting for your answer."
        default: what = "is now \(status.rawValue)."
        }
        return "Hello,\n\nyour request #\(ticket.number) (\(ticket.subject)) \(what)\n\n-- \n\(config.smtp?.from ?? "Support")\n"
    }
}
