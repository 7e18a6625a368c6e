import Foundation
import Store
import Ticketing

/// Recomputing stored SLA clocks from history, for changes made outside the intake: auto-resolve
/// and auto-close, and SLA settings changed by a reload or while the daemon was down.
extension SLAScheduler {
    func recompute(ticketID: Int64, now: Int64) throws { try intake.retimeSLA(ticketID: ticketID, now: now) }

    /// Re-evaluates every ticket that is not closed (the policies, `sla_defaults`,
    /// `pause_statuses`, auto-resolve/close or a calendar changed), in one transaction, and
    /// records the settings applied. Alerts already sent stay sent: a cycle's warning and breach
    /// still go at most once.
    @discardableResult
    public func recomputeAll() -> Int {
        let now = clock.unixSeconds()
        do {
            return try db.transaction {
                let ids = try db.query("SELECT id FROM tickets WHERE status != 'closed'").map { $0.int("id") }
                for id in ids { try recompute(ticketID: id, now: now) }
                try tickets.recordAppliedSLASettings(config.sla.fingerprint, now: now)
                log.info("sla.recomputed", ["tickets": ids.count])
                return ids.count
            }
        } catch {
            log.warning("sla.recompute_failed", ["error": "\(error)"])
            return 0
        }
    }

    /// At start and on reload: re-times the open tickets when the SLA settings differ from those
    /// the stored clocks were computed under (also the first start after an upgrade, which fills
    /// in the silence deadlines). Nil when nothing changed.
    @discardableResult
    public func recomputeIfSettingsChanged() -> Int? {
        let applied: String?
        do { applied = try tickets.appliedSLASettings() } catch {
            log.warning("sla.recompute_failed", ["error": "\(error)"])
            return nil
        }
        guard applied != config.sla.fingerprint else { return nil }
        return recomputeAll()
    }
}
