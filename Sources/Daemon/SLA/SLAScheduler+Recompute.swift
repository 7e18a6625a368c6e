import Foundation
import Store
import Ticketing

/// Recomputing stored SLA clocks from history, for changes made outside the intake: auto-resolve
/// and auto-close, and SLA settings changed by a reload or while the daemon was down.
///
/// Changed settings re-time every ticket that is not closed. On a large store that is minutes of
/// work, so it runs in batches of `retimeBatchSize` tickets by id, each batch one transaction,
/// with the cursor stored (`sla_retime_progress`): the service does a few batches per pass
/// between polls (intake, the watchdog and a stop request never wait for the whole store), and
/// a restart goes on where the last committed batch ended. Until a ticket is re-timed its alerts
/// and silence deadline wait (`retimedThrough`), so nothing is announced from stale clocks.
extension SLAScheduler {
    func recompute(ticketID: Int64, now: Int64) throws { try intake.retimeSLA(ticketID: ticketID, now: now) }

    /// Starts a re-time when the SLA settings differ from those the stored clocks were computed
    /// under (also the first start after an upgrade, which fills in the silence deadlines), and
    /// goes on with one cut short under the same settings. Cheap: the batches do the work.
    /// True when a re-time is under way.
    @discardableResult
    public func beginRetimeIfSettingsChanged() -> Bool {
        let fingerprint = config.sla.fingerprint
        let now = clock.unixSeconds()
        do {
            return try db.transaction {
                retimedTickets = 0
                if let progress = try tickets.slaRetimeProgress() {
                    if progress.fingerprint == fingerprint {
                        log.info("sla.retime_resumed", ["after_ticket": progress.throughTicket])
                        return true
                    }
                    // The settings changed again midway: the tickets done so far were timed under others.
                } else if try tickets.appliedSLASettings() == fingerprint {
                    return false
                }
                try tickets.setSLARetimeProgress(.init(fingerprint: fingerprint, throughTicket: 0), now: now)
                log.info("sla.retime_started", ["batch": retimeBatchSize])
                return true
            }
        } catch {
            log.warning("sla.recompute_failed", ["error": "\(error)"])
            return false
        }
    }

    /// Tickets up to this id are timed under the running settings; nil: all are (no re-time under way).
    public var retimedThrough: Int64? {
        do { return try tickets.slaRetimeProgress()?.throughTicket } catch { return nil }
    }

    /// Works through up to `batches` batches, calling `between` after each (the service feeds the
    /// watchdog there; true: a stop was requested). True while work remains.
    @discardableResult
    public func advanceRetime(batches: Int, between: () -> Bool = { false }) -> Bool {
        for _ in 0..<max(batches, 0) {
            let step: (tickets: Int, finished: Bool)?
            do { step = try retimeNextBatch() } catch {
                // The batch rolled back; the next pass tries it again.
                log.warning("sla.recompute_failed", ["error": "\(error)"])
                return true
            }
            guard let step else { return false }
            retimedTickets += step.tickets
            if step.finished {
                log.info("sla.recomputed", ["tickets": retimedTickets])
                return false
            }
            if between() { break }
        }
        return retimedThrough != nil
    }

    /// One transaction: the next batch after the cursor; when the store holds no more, the
    /// settings are recorded as applied. A ticket whose re-time fails is logged and skipped (its
    /// own savepoint), so one bad ticket cannot hold the re-time at its batch. Nil: none under way.
    private func retimeNextBatch() throws -> (tickets: Int, finished: Bool)? {
        let now = clock.unixSeconds()
        return try db.transaction {
            guard let progress = try tickets.slaRetimeProgress() else { return nil }
            let ids = try tickets.openTicketIDs(after: progress.throughTicket, limit: retimeBatchSize)
            for id in ids {
                do { try db.transaction { try recompute(ticketID: id, now: now) } } catch {
                    log.warning("sla.retime_ticket_failed", ["ticket_id": id, "error": "\(error)"])
                }
            }
            guard ids.count == retimeBatchSize, let last = ids.last else {
                try tickets.recordAppliedSLASettings(progress.fingerprint, now: now)
                try tickets.setSLARetimeProgress(nil, now: now)
                return (ids.count, true)
            }
            try tickets.setSLARetimeProgress(.init(fingerprint: progress.fingerprint, throughTicket: last), now: now)
            return (ids.count, false)
        }
    }

    /// Re-times every ticket that is not closed under the running settings, now, batch after
    /// batch (tests; the service spreads the batches over its passes). Alerts already sent stay
    /// sent: a cycle's warning and breach still go at most once.
    @discardableResult
    public func recomputeAll() -> Int {
        retimedTickets = 0
        do {
            try db.transaction {
                try tickets.setSLARetimeProgress(.init(fingerprint: config.sla.fingerprint, throughTicket: 0), now: clock.unixSeconds())
            }
        } catch {
            log.warning("sla.recompute_failed", ["error": "\(error)"])
            return 0
        }
        return finishRetime()
    }

    /// `beginRetimeIfSettingsChanged` and all its batches at once; the number of tickets re-timed,
    /// nil when nothing changed.
    @discardableResult
    public func recomputeIfSettingsChanged() -> Int? {
        guard beginRetimeIfSettingsChanged() else { return nil }
        return finishRetime()
    }

    private func finishRetime() -> Int {
        var cursor: Int64? = -1
        while advanceRetime(batches: 1) {
            // A batch that keeps failing is left for the service's next pass.
            guard retimedThrough != cursor else { break }
            cursor = retimedThrough
        }
        return retimedTickets
    }
}
