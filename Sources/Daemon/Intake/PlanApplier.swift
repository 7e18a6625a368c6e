import Foundation
import Store
import Ticketing

/// Applies what the pipeline decided to the store, inside the message's one transaction:
/// field changes as events, refused commands, participants, links, bounces, and the mails
/// (rendered and queued in the outbox with their outgoing message rows).
struct PlanApplier {
    let tickets: TicketStore
    let notifier: Notifier
    let log: Log

    /// `ticket`: the ticket the message landed on (just created, or joined); `row`: the stored message.
    func apply(_ plan: TicketPlan, ticket: TicketRecord, messageRow row: Int64, now: Int64) throws {
        for event in plan.events {
            try tickets.setField(ticketID: ticket.id, field: event.kind.rawValue, old: event.old, new: event.new,
                                 actor: event.actor, reason: event.reason, now: now)
        }
        if let rating = plan.rating { try record(rating, ticket: ticket, row: row, actor: plan.sender, now: now) }
        for refused in plan.refused {
            try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "command-refused", actor: plan.sender, reason: refused, now: now)
        }
        if plan.internalNote {
            try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "note", actor: plan.sender, reason: "internal note", now: now)
        }
        for address in plan.ccAdded {
            try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "cc-added", newValue: address, actor: plan.sender,
                                 reason: "agent command", now: now)
        }
        try tickets.addParticipants(ticketID: ticket.id, plan.participants.map { ($0.address, $0.role.rawValue) }, now: now)
        for link in plan.links {
            if link.kind == .related {
                // Both ways, each with its event; the pipeline checked the other ticket exists.
                if let other = try tickets.ticket(number: Int64(link.ticket)) {
                    try tickets.linkRelated(ticket, other, actor: plan.sender, now: now)
                }
                continue
            }
            try tickets.addLink(ticketID: ticket.id, otherNumber: Int64(link.ticket), kind: link.kind.rawValue, now: now)
        }
        if let bounce = plan.bounce { try record(bounce, ticket: ticket, row: row, now: now) }
        try record(plan.routing, ticket: ticket, row: row, now: now)
        if let sla = plan.sla { try record(sla, ticket: ticket, row: row, actor: plan.sender, now: now) }
        guard !plan.mails.isEmpty || plan.merge != nil else { return }
        let outbox = OutboxStore(db: tickets.db)
        let current = try tickets.ticket(id: ticket.id) ?? ticket
        for mail in plan.mails where mail.event != .merged {
            try notifier.queue(mail, ticket: current, tickets: tickets, outbox: outbox, now: now, messageRow: row)
        }
        if let merge = plan.merge { try apply(merge, ticket: current, mails: plan.mails.filter { $0.event == .merged }, outbox: outbox, now: now) }
    }

    /// Merges the ticket after everything of this message is on it (the message moves with the
    /// rest), then tells the customer once, about the ticket her request continues as.
    private func apply(_ merge: TicketMerge, ticket: TicketRecord, mails: [PlannedMail], outbox: OutboxStore, now: Int64) throws {
        guard let into = try tickets.ticket(number: Int64(merge.into)) else { return }
        try tickets.merge(ticket, into: into, actor: merge.actor, reason: merge.reason, now: now)
        log.info("ticket.merged", ["ticket": ticket.number, "into": into.number, "actor": merge.actor])
        let target = try tickets.ticket(id: into.id) ?? into
        for mail in mails {
            try notifier.queue(mail, ticket: target, tickets: tickets, outbox: outbox, now: now)
        }
    }

    /// A `rating` event: the verdict (the one it replaces as the old value; the last counts)
    /// and the customer's comment as the reason.
    private func record(_ rating: TicketRating, ticket: TicketRecord, row: Int64, actor: String, now: Int64) throws {
        let previous = try tickets.lastRating(ticketID: ticket.id)
        try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: TicketStore.ratingEvent, field: TicketStore.ratingEvent,
                             oldValue: previous?.verdict, newValue: rating.verdict.rawValue, actor: actor, reason: rating.comment, now: now)
        log.info("rating.recorded", ["ticket": ticket.number, "verdict": rating.verdict.rawValue, "replaces": previous?.verdict ?? "none"])
    }

    /// Tags, category, language, a waiting assignment, the rotation, and one `rule`
    /// event per rule that matched (its name, why, what it did).
    private func record(_ routing: RoutingPlan, ticket: TicketRecord, row: Int64, now: Int64) throws {
        try tickets.addEvents(ticketID: ticket.id, messageRow: row, routing.hits.map { hit in
            let reason = hit.because.utf8.count <= 300 ? hit.because : String(hit.because.prefix(300))
            return TicketStore.NewEvent(type: "rule", field: hit.rule, newValue: hit.actions, reason: reason)
        }, actor: "system", now: now)
        for skipped in routing.skipped {
            log.warning("rules.action_skipped", ["ticket": ticket.number, "reason": skipped])
        }
        try tickets.addTags(ticketID: ticket.id, routing.tags)
        if routing.language != nil || routing.category != nil {
            try tickets.setRouting(ticketID: ticket.id, language: routing.language, category: routing.category)
        }
        if let waiting = routing.waiting {
            try tickets.setAssignPending(ticketID: ticket.id, target: waiting.description)
            try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "assign-waiting", newValue: waiting.description,
                                 actor: "system", reason: routing.assignment.map { String($0.prefix(500)) }, now: now)
            log.info("assign.waiting", ["ticket": ticket.number, "target": waiting.description])
        }
        if let rotation = routing.rotation {
            try tickets.setRotation(group: rotation.group, lastAgent: rotation.agent, now: now)
        }
    }

    /// The SLA facts this message adds (as events, for later recomputation) and the clocks as
    /// they stand after it.
    private func record(_ sla: SLAPlan, ticket: TicketRecord, row: Int64, actor: String, now: Int64) throws {
        for fact in sla.newFacts {
            let type = fact.kind == .agentReplied ? TicketStore.agentRepliedEvent : TicketStore.customerWroteEvent
            try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: type, actor: actor, now: now)
        }
        try tickets.saveSLA(ticketID: ticket.id, requested: sla.requested, policy: sla.policy, states: sla.states,
                            silence: sla.silence, now: now)
    }

    /// A permanent failure marks the address undeliverable (we stop mailing it); a temporary one is recorded.
    private func record(_ report: BounceReport, ticket: TicketRecord, row: Int64, now: Int64) throws {
        for r in report.recipients {
            var detail = [r.status, r.diagnostic].compactMap { $0 }.joined(separator: " ")
            if let original = report.originalMessageID { detail = "answers \(original): " + detail }
            if r.permanent {
                try tickets.markUndeliverable(address: r.address, status: r.status, diagnostic: r.diagnostic.map { String($0.prefix(300)) },
                                              messageRow: row, ticketID: ticket.id, now: now)
            }
            try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "bounce", field: r.permanent ? "permanent" : "temporary",
                                 newValue: r.address, actor: "system", reason: String(detail.prefix(300)), now: now)
            log.info("intake.bounce", ["ticket": ticket.number, "permanent": r.permanent, "status": r.status])
        }
    }
}
