import Foundation
import Store
import Ticketing

/// Delivers due outbox rows. Rows are marked sent only after the server accepted them; a
/// temporary failure reschedules with capped exponential backoff, a permanent one marks the
/// row failed. After a crash the schedule is simply the outbox table.
public final class OutboxSender {
    let outbox: OutboxStore
    let sender: MailSender
    let clock: any Clock
    let log: Log
    public var maxAttempts: Int64 = 12
    /// Checked between mails: a stop request finishes the send in hand and no more.
    public var shouldStop: () -> Bool = { false }

    public init(db: Database, sender: MailSender, clock: any Clock, log: Log) {
        self.outbox = OutboxStore(db: db)
        self.sender = sender
        self.clock = clock
        self.log = log
    }

    public struct Report: Sendable, Equatable {
        public var sent = 0
        public var deferred = 0
        public var failed = 0
        public var errorKinds: [String] = []
    }

    public func flush() -> Report {
        var report = Report()
        let due: [OutboxStore.Item]
        do { due = try outbox.due(now: clock.unixSeconds()) } catch {
            log.error("outbox.read_failed", ["error": "\(error)"])
            return report
        }
        for item in due {
            if shouldStop() { break }
            do {
                // The server may have this mail already: its "sent" mark failed after a hand-over.
                // Resend it once, with the same bytes (and Message-ID, so clients show one mail);
                // after a second unconfirmed hand-over, take it as sent rather than mail again.
                if item.unconfirmed >= 2 {
                    try outbox.markSent(item.id, now: clock.unixSeconds())
                    log.warning("outbox.sent_unconfirmed", ["id": item.id, "kind": item.kind, "handovers": item.unconfirmed, "result": "assumed"])
                    continue
                }
                if item.unconfirmed == 1 {
                    log.warning("outbox.resending", ["id": item.id, "kind": item.kind, "reason": "the sent mark of an earlier hand-over was not written"])
                }
                try outbox.markHandingOver(item.id)
                try sender.send(envelopeFrom: item.mailFrom, recipients: item.recipients, raw: item.raw)
                try outbox.markSent(item.id, now: clock.unixSeconds())
                report.sent += 1
                log.info("outbox.sent", ["id": item.id, "ticket": item.ticketID, "kind": item.kind, "recipients": item.recipients.count, "result": "ok"])
            } catch let failure as SendFailure {
                report.errorKinds.append(failure.kind)
                let attempts = item.attempts + 1
                if failure.temporary && attempts < maxAttempts {
                    let delay = min(Int64(3600), Int64(30) << Int64(min(attempts - 1, 10)))
                    try? outbox.markRetry(item.id, error: failure.message, nextAttemptAt: clock.unixSeconds() + delay)
                    report.deferred += 1
                    log.warning("outbox.deferred", ["id": item.id, "kind": item.kind, "error": failure.message, "retry_in_s": delay, "result": "tempfail"])
                    // A connection problem affects every row: stop for now, the schedule keeps the rest.
                    if failure.kind == "connect" { break }
                } else {
                    try? outbox.markFailed(item.id, error: failure.message)
                    report.failed += 1
                    log.error("outbox.failed", ["id": item.id, "kind": item.kind, "error": failure.message, "result": "permfail"])
                }
            } catch {
                report.errorKinds.append("store")
                log.error("outbox.store_failed", ["id": item.id, "error": "\(error)"])
                break
            }
        }
        return report
    }
}
