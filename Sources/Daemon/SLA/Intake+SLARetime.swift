import Foundation
import Store
import Ticketing

extension Intake {
    /// Re-evaluates a ticket's SLA clocks and silence deadline from its stored history under the
    /// running config, as the intake does for a message. A change made outside the intake
    /// (auto-resolve and auto-close, `postdesk set queue`, a reload or start with other SLA
    /// settings) calls it in the change's transaction; alerts already sent stay sent.
    public func retimeSLA(ticketID: Int64, now: Int64) throws {
        // A merged stub's clocks were stopped by the merge; its history went to the other ticket.
        guard let ticket = try tickets.ticket(id: ticketID), ticket.mergedInto == nil else { return }
        let requested = try tickets.slaPolicy(ticketID: ticketID)?.requested
        let settings = config.sla
        let facts = try tickets.slaHistory(ticketID: ticketID)
        let policy = settings.policy(requested: requested, queue: ticket.queue, priority: ticket.priority)
        let states = policy.map { settings.clock($0).evaluate(facts, now: Date(timeIntervalSince1970: TimeInterval(now))) } ?? []
        try tickets.saveSLA(ticketID: ticketID, requested: requested, policy: policy?.name, states: states,
                            silence: SilenceDeadline.of(facts, status: ticket.status, queue: ticket.queue, settings: settings), now: now)
    }
}
