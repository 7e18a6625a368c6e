import Foundation
import Store
import Ticketing

/// Silence ends a ticket: `pending` with no customer message for `auto_resolve_after` becomes
/// `resolved` (the customer is told why), `resolved` for `auto_close_after` becomes `closed`.
/// Only the customer's own messages count as an answer: auto-replies write no `customer-wrote`
/// event and change no status, so they neither stop nor restart these clocks.
extension SLAScheduler {
    func autoClose(now: Int64, report: inout Report) throws {
        let settings = config.sla
        for candidate in try silentTickets(status: .pending) {
            let after = settings.autoResolveSeconds(queue: candidate.queue)
            guard after > 0, candidate.since + Int64(after) <= now else { continue }
            let reason = "no answer from the customer for \(SLADuration.words(after))"
            try db.transaction {
                try tickets.setStatus(ticketID: candidate.id, to: .resolved, actor: "system", reason: reason, now: now)
                try recompute(ticketID: candidate.id, now: now)
                try tellCustomer(ticketID: candidate.id, after: after, now: now)
            }
            log.info("sla.auto_resolved", ["ticket": candidate.number, "silent_s": now - candidate.since])
            report.autoResolved += 1
        }
        let closeAfter = settings.autoCloseAfter
        guard closeAfter > 0 else { return }
        for candidate in try silentTickets(status: .resolved) where candidate.since + Int64(closeAfter) <= now {
            try db.transaction {
                try tickets.setStatus(ticketID: candidate.id, to: .closed, actor: "system",
                                      reason: "resolved for \(SLADuration.words(closeAfter)) without a reply", now: now)
                try recompute(ticketID: candidate.id, now: now)
            }
            log.info("sla.auto_closed", ["ticket": candidate.number])
            report.autoClosed += 1
        }
    }

    /// Tickets in `status`, with the time of their last status change or customer message.
    private func silentTickets(status: TicketStatus) throws -> [(id: Int64, number: Int64, queue: String, since: Int64)] {
        try db.query("""
            SELECT t.id, t.number, t.queue, t.created_at,
                   (SELECT MAX(e.created_at) FROM ticket_events e
                    WHERE e.ticket_id = t.id AND e.type IN ('create', 'status', ?)) AS since
            FROM tickets t WHERE t.status = ?
            """, [TicketStore.customerWroteEvent, status.rawValue]).map {
            ($0.int("id"), $0.int("number"), $0.text("queue"), $0.optionalInt("since") ?? $0.int("created_at"))
        }
    }

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
