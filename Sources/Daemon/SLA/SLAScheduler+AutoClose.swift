import Foundation
import Store
import Ticketing

/// Silence ends a ticket: `pending` with no customer message for `auto_resolve_after` becomes
/// `resolved` (the customer is told why), `resolved` for `auto_close_after` becomes `closed`.
/// Only the customer's own messages count as an answer: auto-replies write no `customer-wrote`
/// event and change no status, so they neither stop nor restart these clocks.
extension SLAScheduler {
    /// Reads only tickets whose stored silence deadline has come (an index), a page per tick
    /// from where the last stopped. Each is checked against its history first: a deadline left
    /// stale by a change made outside the intake is worked out again, not acted on.
    func autoClose(now: Int64, waiting: TicketStore.SLARetimeWait = .none, report: inout Report) throws {
        let settings = config.sla
        let page = try tickets.silenceDue(now: now, after: silenceCursor, waiting: waiting, limit: pageSize)
        silenceCursor = page.count < pageSize ? nil : page.last?.position
        for due in page {
            let done: SilenceDeadline.Action?
            do { done = try db.transaction { () -> SilenceDeadline.Action? in
                guard let ticket = try tickets.ticket(id: due.ticketID) else { return nil }
                let facts = try tickets.slaHistory(ticketID: ticket.id)
                guard let deadline = SilenceDeadline.of(facts, status: ticket.status, queue: ticket.queue, settings: settings),
                      deadline.action == due.action, seconds(deadline.at) <= now else {
                    try recompute(ticketID: ticket.id, now: now)
                    return nil
                }
                let span = SLADuration.words(deadline.seconds)
                switch deadline.action {
                case .resolve:
                    try tickets.setStatus(ticketID: ticket.id, to: .resolved, actor: "system",
                                          reason: "no answer from the customer for \(span)", now: now)
                    try recompute(ticketID: ticket.id, now: now)
                    try tellCustomer(ticketID: ticket.id, after: deadline.seconds, now: now)
                case .close:
                    try tickets.setStatus(ticketID: ticket.id, to: .closed, actor: "system",
                                          reason: "resolved for \(span) without a reply", now: now)
                    try recompute(ticketID: ticket.id, now: now)
                }
                return deadline.action
            } } catch {
                log.warning("sla.auto_close_failed", ["ticket": due.number, "error": "\(error)"])
                continue
            }
            switch done {
            case .resolve?:
                log.info("sla.auto_resolved", ["ticket": due.number])
                report.autoResolved += 1
            case .close?:
                log.info("sla.auto_closed", ["ticket": due.number])
                report.autoClosed += 1
            case nil:
                break
            }
        }
    }

    private func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// The resolved notice (the template's words, in the ticket's language), with the reason as
    /// its message, in that language: the customer did not answer.
    private func tellCustomer(ticketID: Int64, after: Int, now: Int64) throws {
        guard let ticket = try tickets.ticket(id: ticketID) else { return }
        // Switched off in `notifications` (for all queues or this one): the status still changes.
        guard config.notifications.policy.rule(.statusResolved, queue: ticket.queue).enabled else { return }
        // The reason in the language the template will speak (none for a language we have no words for).
        let notifier = intake.router.notifier
        let language = notifier.templates.template(for: .statusResolved, languages: notifier.languages(for: ticket, tickets: tickets)).language
        let why = LocalisedNames.silenceResolvedReason(seconds: after, language: language)
        try notifier.queue(PlannedMail(event: .statusResolved, to: [ticket.requester], messageText: why, agent: ticket.assignee),
                                         ticket: ticket, tickets: tickets, outbox: OutboxStore(db: db), now: now)
    }
}
