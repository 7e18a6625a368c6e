import Foundation
import Store
import Ticketing

/// Recomputing stored SLA clocks from history, for changes made outside the intake: auto-resolve
/// and auto-close, and a reload that changed the policies or calendars.
extension SLAScheduler {
    /// Re-evaluates a ticket's clocks from its stored history (after a change made outside intake).
    func recompute(ticketID: Int64, now: Int64) throws {
        guard let ticket = try tickets.ticket(id: ticketID) else { return }
        let requested = try tickets.slaPolicy(ticketID: ticketID)?.requested
        let settings = config.sla
        let policy = settings.policy(requested: requested, queue: ticket.queue, priority: ticket.priority)
        let states = try policy.map { settings.clock($0).evaluate(try tickets.slaHistory(ticketID: ticketID),
                                                                  now: Date(timeIntervalSince1970: TimeInterval(now))) } ?? []
        try tickets.saveSLA(ticketID: ticketID, requested: requested, policy: policy?.name, states: states, now: now)
    }

    /// Re-evaluates every ticket that is not closed (after a reload changed `sla_policies`,
    /// `sla_defaults`, `pause_statuses` or a calendar), in one transaction. Alerts already sent
    /// stay sent: a cycle's warning and breach still go at most once.
    @discardableResult
    public func recomputeAll() -> Int {
        let now = clock.unixSeconds()
        do {
            return try db.transaction {
                let ids = try db.query("SELECT id FROM tickets WHERE status != 'closed'").map { $0.int("id") }
                for id in ids { try recompute(ticketID: id, now: now) }
                log.info("sla.recomputed", ["tickets": ids.count])
                return ids.count
            }
        } catch {
            log.warning("sla.recompute_failed", ["error": "\(error)"])
            return 0
        }
    }
}
