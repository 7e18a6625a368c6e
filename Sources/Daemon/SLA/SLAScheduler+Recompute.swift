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
/// and silence deadline wait, so nothing is announced from stale clocks; tickets created after the
/// re-time began were timed by the intake under the new settings and do not wait.
///
/// A ticket whose re-time fails is rolled back to its savepoint and kept in `sla_retime_failed`:
/// the walk goes on without it, and once the walk is over the failed tickets are tried again on
/// each later pass (one batch at a time) until none is left; only then are the settings recorded
/// as applied. Meanwhile they alone wait.
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
                retimeStalledPasses = 0
                if let progress = try tickets.slaRetimeProgress() {
                    if progress.fingerprint == fingerprint {
                        log.info("sla.retime_resumed", ["after_ticket": progress.walked ? "all" : "\(progress.throughTicket)",
                                                        "failed": progress.failed])
                        // Begun before v21 recorded it: tickets made since were timed under these
                        // settings all the same, so today's last id holds back no more than needed.
                        if progress.lastTicket == nil {
                            try tickets.setSLARetimeProgress(.init(fingerprint: fingerprint, throughTicket: progress.throughTicket,
                                                                   lastTicket: try tickets.lastTicketID()), now: now)
                        }
                        return true
                    }
                    // The settings changed again midway: the tickets done so far were timed under others.
                } else if try tickets.appliedSLASettings() == fingerprint {
                    return false
                }
                try tickets.setSLARetimeProgress(nil, now: now)
                try tickets.setSLARetimeProgress(.init(fingerprint: fingerprint, throughTicket: 0, lastTicket: try tickets.lastTicketID()),
                                                 now: now)
                log.info("sla.retime_started", ["batch": retimeBatchSize])
                return true
            }
        } catch {
            log.warning("sla.recompute_failed", ["error": "\(error)"])
            return false
        }
    }

    /// Tickets up to this id were walked under the running settings (`Int64.max`: all were, only
    /// failed ones are left to try again); nil: no re-time under way.
    public var retimedThrough: Int64? {
        do { return try tickets.slaRetimeProgress()?.throughTicket } catch { return nil }
    }

    /// The tickets whose alerts and silence wait for the re-time under way.
    var retimeWait: TicketStore.SLARetimeWait {
        get throws { try tickets.slaRetimeProgress()?.waiting ?? .none }
    }

    /// Works through up to `batches` batches of the walk, calling `between` after each (the
    /// service feeds the watchdog there; true: a stop was requested); once the walk is over, one
    /// batch of the tickets whose re-time failed, per call. True while work remains.
    @discardableResult
    public func advanceRetime(batches: Int, between: () -> Bool = { false }) -> Bool {
        for _ in 0..<max(batches, 0) {
            let step: RetimeStep?
            do { step = try retimeNextBatch() } catch {
                // The batch rolled back; the next pass tries it again.
                log.warning("sla.recompute_failed", ["error": "\(error)"])
                noteRetimePass(moved: false)
                return true
            }
            guard let step else { return false }
            retimedTickets += step.tickets
            noteRetimePass(moved: step.moved)
            if step.finished {
                log.info("sla.recomputed", ["tickets": retimedTickets, "failed": 0])
            } else if step.retry && step.moved {
                // The end of the walk, and each retry that got somewhere: the settings are not applied yet.
                log.warning("sla.recomputed", ["tickets": retimedTickets, "failed": step.failed])
            }
            if step.finished { return false }
            // Failed tickets are tried again on the next pass, not at once.
            if step.retry { return true }
            if between() { break }
        }
        return retimedThrough != nil
    }

    /// Counts passes in which the re-time got nowhere, and says so once when they add up.
    private func noteRetimePass(moved: Bool) {
        guard !moved else {
            retimeStalledPasses = 0
            return
        }
        retimeStalledPasses += 1
        guard retimeStalledPasses == retimeStallWarning, let progress = try? tickets.slaRetimeProgress() else { return }
        log.warning("sla.retime_stalled", ["passes": retimeStalledPasses,
                                           "after_ticket": progress.walked ? "all" : "\(progress.throughTicket)",
                                           "failed": progress.failed])
    }

    /// What one transaction of a re-time did.
    private struct RetimeStep {
        /// Tickets re-timed.
        var tickets = 0
        /// Tickets left to try again.
        var failed = 0
        /// The walk reached the last ticket in this step.
        var walkEnded = false
        /// This step tried failed tickets again (or ended the walk with some): the next waits a pass.
        var retry = false
        /// The settings were recorded as applied.
        var finished = false
        /// The cursor moved or a ticket was re-timed.
        var moved = false
    }

    /// One transaction: the next batch of the walk after the cursor, or (the walk over) a batch
    /// of the failed tickets; when none is left the settings are recorded as applied. A ticket
    /// whose re-time fails is rolled back to its own savepoint and kept to be tried again, so one
    /// bad ticket neither holds the re-time at its batch nor is passed over. Nil: none under way.
    private func retimeNextBatch() throws -> RetimeStep? {
        let now = clock.unixSeconds()
        return try db.transaction {
            guard let progress = try tickets.slaRetimeProgress() else { return nil }
            var step = RetimeStep()
            let ids = progress.walked ? try tickets.slaRetimeFailures(limit: retimeBatchSize)
                                      : try tickets.openTicketIDs(after: progress.throughTicket, through: progress.lastTicket ?? .max,
                                                                 limit: retimeBatchSize)
            for id in ids {
                do {
                    try db.transaction { try recompute(ticketID: id, now: now) }
                    if progress.walked { try tickets.clearSLARetimeFailure(ticketID: id) }
                    step.tickets += 1
                } catch {
                    // Said once; a retry that fails again is only counted (`sla.retime_stalled` tells of a lasting failure).
                    if progress.walked {
                        log.debug("sla.retime_ticket_failed", ["ticket_id": id, "error": "\(error)"])
                    } else {
                        log.warning("sla.retime_ticket_failed", ["ticket_id": id, "error": "\(error)"])
                    }
                    try tickets.recordSLARetimeFailure(ticketID: id, now: now)
                }
            }
            step.moved = step.tickets > 0 || !progress.walked
            step.retry = progress.walked
            var through = progress.throughTicket
            if !progress.walked {
                if ids.count == retimeBatchSize, let last = ids.last {
                    through = last
                } else {
                    through = .max
                    step.walkEnded = true
                }
            }
            step.failed = try tickets.slaRetimeFailureCount()
            if through == .max && step.failed == 0 {
                try tickets.recordAppliedSLASettings(progress.fingerprint, now: now)
                try tickets.setSLARetimeProgress(nil, now: now)
                step.finished = true
                return step
            }
            if step.walkEnded { step.retry = true }
            try tickets.setSLARetimeProgress(.init(fingerprint: progress.fingerprint, throughTicket: through,
                                                   lastTicket: progress.lastTicket), now: now)
            return step
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
        var state = try? tickets.slaRetimeProgress()
        while advanceRetime(batches: 1) {
            // A batch or failed tickets that keep failing are left for the service's next pass.
            let now = try? tickets.slaRetimeProgress()
            guard now != state else { break }
            state = now
        }
        return retimedTickets
    }
}
