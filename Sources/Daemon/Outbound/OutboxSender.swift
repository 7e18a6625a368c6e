import Foundation
import Store
import Ticketing

/// Delivers due outbox rows over one connection per flush. The outcome of each send is recorded
/// before anything else happens: a row the server accepted (250) is marked sent at once, and
/// when that mark cannot be written (a full store) this process remembers the 250 and marks it
/// later, never sending it again. Only a hand-over no process saw the end of (a crash) is resent,
/// once, with the same bytes and Message-ID; after a second one it is taken as sent. Per
/// recipient: a 5.1.x refusal marks the address undeliverable, a 4xx one gets a row of its own
/// to retry. Temporary failures back off (capped exponentially) until a row is older than
/// `maxAge`, then it is given up. The schedule is the table.
public final class OutboxSender {
    let outbox: OutboxStore
    let sender: MailSender
    let clock: any Clock
    let log: Log
    /// Seconds after which a row still unsent is given up (`outbox_max_age`).
    public var maxAge: Int64 = Int64(NotificationsConfig.defaultOutboxMaxAge)
    /// Rows the server accepted whose "sent" mark could not be written yet, with their refusals.
    private var acceptedUnrecorded: [Int64: [RecipientRefusal]] = [:]
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
        public var expired = 0
        public var errorKinds: [String] = []
    }

    public func flush(limit: Int = 100) -> Report {
        var report = Report()
        let now = clock.unixSeconds()
        do {
            for (id, refused) in acceptedUnrecorded.sorted(by: { $0.key < $1.key }) {
                try outbox.markSent(id, now: now, refused: refused.map(\.description))
                acceptedUnrecorded[id] = nil
                log.info("outbox.sent_recorded", ["id": id, "reason": "the server took it earlier; its mark is written now", "result": "ok"])
            }
            for row in try outbox.expired(before: now - maxAge) {
                try outbox.markFailed(row.id, error: "given up: unsent after \(maxAge / 3600) h (outbox_max_age)", countAttempt: false)
                report.expired += 1
                log.warning("outbox.expired", ["id": row.id, "kind": row.kind, "age_s": now - row.createdAt, "result": "permfail"])
            }
        } catch {
            log.error("outbox.store_failed", ["error": "\(error)"])
            return report
        }
        let due: [OutboxStore.Item]
        do { due = try outbox.due(now: now, limit: limit) } catch {
            log.error("outbox.read_failed", ["error": "\(error)"])
            return report
        }
        // One connection for the flush; QUIT at its end.
        defer { if !due.isEmpty { sender.close() } }
        for item in due {
            if shouldStop() { break }
            do {
                // A hand-over nobody saw the end of (a crash): the server may have it. Resend once,
                // with the same bytes (and Message-ID, so clients show one mail); after a second
                // unconfirmed hand-over, take it as sent rather than mail again.
                if item.unconfirmed >= 2 {
                    try outbox.markSent(item.id, now: clock.unixSeconds())
                    log.warning("outbox.sent_unconfirmed", ["id": item.id, "kind": item.kind, "handovers": item.unconfirmed, "result": "assumed"])
                    continue
                }
                if item.unconfirmed == 1 {
                    log.warning("outbox.resending", ["id": item.id, "kind": item.kind, "reason": "the sent mark of an earlier hand-over was not written"])
                }
                try outbox.markHandingOver(item.id)
            } catch {
                report.errorKinds.append("store")
                log.error("outbox.store_failed", ["id": item.id, "error": "\(error)"])
                break
            }
            let refused: [RecipientRefusal]
            do {
                refused = try sender.send(envelopeFrom: item.mailFrom, recipients: item.recipients, raw: item.raw)
            } catch let failure as SendFailure {
                if !record(failure, item, report: &report) { break }
                continue
            } catch {
                report.errorKinds.append("send")
                log.error("outbox.send_failed", ["id": item.id, "error": "\(error)"])
                break
            }
            do {
                // First the outcome, in its own statement: from here on this row is never sent again.
                do { try outbox.markSent(item.id, now: clock.unixSeconds(), refused: refused.map(\.description)) } catch {
                    acceptedUnrecorded[item.id] = refused
                    throw error
                }
                report.sent += 1
                log.info("outbox.sent", ["id": item.id, "ticket": item.ticketID, "kind": item.kind,
                                         "recipients": item.recipients.count - refused.count, "refused": refused.count, "result": "ok"])
                try handle(refused, of: item)
            } catch {
                report.errorKinds.append("store")
                log.error("outbox.store_failed", ["id": item.id, "error": "\(error)"])
                break
            }
        }
        return report
    }

    /// Refused recipients of a mail the others got: bad addresses are marked, deferred ones get
    /// their own row.
    private func handle(_ refused: [RecipientRefusal], of item: OutboxStore.Item) throws {
        let now = clock.unixSeconds()
        var later: [RecipientRefusal] = []
        for r in refused {
            if r.temporary { later.append(r); continue }
            log.warning("outbox.recipient_refused", ["id": item.id, "code": r.code, "status": r.enhancedStatus, "address_bad": r.addressIsBad, "result": "permfail"])
            if r.addressIsBad {
                try TicketStore(db: outbox.db).markUndeliverable(address: r.recipient, status: r.enhancedStatus ?? String(r.code),
                                                                  diagnostic: String(r.text.prefix(300)), messageRow: nil, ticketID: item.ticketID, now: now)
            }
        }
        guard !later.isEmpty else { return }
        let copy = try outbox.enqueueCopy(of: item.id, recipients: later.map(\.recipient), nextAttemptAt: now + backoff(attempts: 1),
                                          error: later.map(\.description).joined(separator: "; "), now: now)
        log.warning("outbox.recipient_deferred", ["id": item.id, "retry_row": copy, "recipients": later.count, "result": "tempfail"])
    }

    /// Records a send that reached nobody. False when the flush should stop (connection down).
    private func record(_ failure: SendFailure, _ item: OutboxStore.Item, report: inout Report) -> Bool {
        report.errorKinds.append(failure.kind)
        let attempts = item.attempts + 1
        do {
            // Temporary failures retry until the row is older than `maxAge`.
            if failure.temporary {
                let delay = backoff(attempts: attempts)
                try outbox.markRetry(item.id, error: failure.message, nextAttemptAt: clock.unixSeconds() + delay)
                report.deferred += 1
                log.warning("outbox.deferred", ["id": item.id, "kind": item.kind, "error": failure.message, "retry_in_s": delay, "result": "tempfail"])
                // A connection problem affects every row: stop for now, the schedule keeps the rest.
                return !["connect", "timeout", "tls", "auth", "io"].contains(failure.kind)
            }
            try outbox.markFailed(item.id, error: failure.message)
            report.failed += 1
            log.error("outbox.failed", ["id": item.id, "kind": item.kind, "error": failure.message, "result": "permfail"])
            let now = clock.unixSeconds()
            for r in failure.refused where r.addressIsBad {
                try TicketStore(db: outbox.db).markUndeliverable(address: r.recipient, status: r.enhancedStatus ?? String(r.code),
                                                                  diagnostic: String(r.text.prefix(300)), messageRow: nil, ticketID: item.ticketID, now: now)
            }
            return true
        } catch {
            log.error("outbox.store_failed", ["id": item.id, "error": "\(error)"])
            return false
        }
    }

    func backoff(attempts: Int64) -> Int64 { min(Int64(3600), Int64(30) << Int64(min(max(attempts, 1) - 1, 10))) }
}
