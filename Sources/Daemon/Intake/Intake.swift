import Foundation
import MIME
import Store
import Ticketing

/// Where a message came from on the server; nil for re-imports from quarantine.
public struct DeliveryKey: Sendable, Equatable {
    public var mailbox: String
    public var uidValidity: Int64
    public var uid: Int64
    public var action: String
    public init(mailbox: String, uidValidity: Int64, uid: Int64, action: String) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.uid = uid
        self.action = action
    }
}

public enum IntakeOutcome: Sendable, Equatable {
    /// Stored and put on a ticket (new or existing).
    case imported(ticket: Int64, messageRow: Int64, decision: String)
    /// The same message was already stored (another delivery of it): recorded, no new ticket.
    case duplicate(messageRow: Int64)
    /// This very delivery (mailbox, UIDVALIDITY, UID) was taken in before: nothing to do.
    case alreadyTaken
    /// Could not be processed: held in quarantine with its bytes.
    case quarantined(id: Int64, reason: String)
    /// Our own mail came back: stored as a record, no ticket change.
    case ownMail(messageRow: Int64, reason: String)

    public var label: String {
        switch self {
        case .imported: return "imported"
        case .duplicate: return "duplicate"
        case .alreadyTaken: return "already-taken"
        case .quarantined: return "quarantined"
        case .ownMail: return "own-mail"
        }
    }
}

/// Turns one raw message into stored state in ONE transaction: the bytes, the ticket change,
/// the delivery record and the mailbox cursor commit together or not at all. Anything that
/// cannot be processed goes to quarantine with its bytes, and the cursor still moves on.
public final class Intake {
    public let db: Database
    public var config: Config {
        // A reload rebuilds the rules (tag prefix, tokens, stranger policy) from the new config.
        didSet {
            messageTimeLimit = Double(config.messageTimeLimit)
            router = MessageRouter(config: config, key: signingKey, clock: clock, log: log)
            router.seed(from: db)
        }
    }
    let clock: any Clock
    let log: Log
    let signingKey: SigningKey
    let tickets: TicketStore
    let mailboxes: MailboxStore
    let quarantine: QuarantineStore
    /// Decides which ticket a message belongs to (threading, lifecycle, notifications).
    var router: MessageRouter
    /// The CPU-bound part of processing, under `messageTimeLimit`; tests swap in a slow one.
    public var prepare: @Sendable ([UInt8]) -> PreparedMessage = { PreparedMessage(raw: $0) }
    public var messageTimeLimit: Double
    /// Messages from this size on are prepared under `messageTimeLimit`.
    public var timeLimitThreshold = 512 * 1024
    /// Inside `batch`: the words of messages taken in, not yet in the search index.
    private var deferredSearch: [DeferredSearch]?
    /// The words of the message `process` just stored, for `ingest` to defer once it is kept.
    private var processedSearch: DeferredSearch?
    /// Inside `batch`: the mailbox cursor as the batch's messages moved it, written once (see
    /// `writeDeferredCursors`) instead of read and written for every message.
    private var deferredCursors: [String: (uidValidity: Int64, lastUID: Int64)] = [:]
    /// How many messages' words wait at most: some 750 KB of text, about what FTS5 gathers in
    /// memory (1 MB by default) before it writes a segment of its index.
    static let searchBatchSize = 64

    /// `signingKey`: the instance's key (see `SigningKeyFile`); nil makes a throwaway one (tests).
    public init(db: Database, config: Config, clock: any Clock, log: Log, signingKey: SigningKey? = nil) {
        self.db = db
        self.config = config
        self.clock = clock
        self.log = log
        self.tickets = TicketStore(db: db)
        self.mailboxes = MailboxStore(db: db)
        self.quarantine = QuarantineStore(db: db)
        let key = signingKey ?? SigningKey.generate()
        self.signingKey = key
        self.messageTimeLimit = Double(config.messageTimeLimit)
        self.router = MessageRouter(config: config, key: key, clock: clock, log: log)
        router.seed(from: db)
    }

    /// Records an oversized message in quarantine without parsing it.
    public func quarantineOversized(raw: [UInt8], key: DeliveryKey, declaredSize: Int64) throws -> IntakeOutcome {
        let reason = "oversized: \(declaredSize) bytes > max_message_bytes \(config.maxMessageBytes)"
        return try quarantine(raw: raw, key: key, reason: reason, error: nil)
    }

    /// Ingests one message. Throws only when the store itself fails (full, read-only, busy,
    /// I/O; see `StoreFault`), always as a `StoreError` that is a store failure: then nothing
    /// of it was committed, the cursor did not move, the caller rolls its batch back, and the
    /// next poll tries again. Only the message's own failures go to quarantine.
    /// `prepared`: the parse and hashes, when the caller already made them (the fetch thread does).
    public func ingest(raw: [UInt8], key: DeliveryKey?, prepared: PreparedMessage? = nil) throws -> IntakeOutcome {
        let outcome: IntakeOutcome
        processedSearch = nil
        do {
            outcome = try db.transaction { try process(raw: raw, key: key, prepared: prepared, inBatch: deferredSearch != nil) }
        } catch let error as StoreError where error.isStoreFailure {
            throw error
        } catch {
            let reason = (error as? IntakeError)?.reason ?? "processing failed"
            return try quarantine(raw: raw, key: key, reason: reason, error: "\(error)")
        }
        // Kept (its savepoint released): in a batch, the cursor moves with the batch's commit.
        if deferredSearch != nil, let key { deferCursor(key) }
        // Kept (its savepoint released): its words join the batch's.
        if let words = processedSearch {
            processedSearch = nil
            deferredSearch?.append(words)
            if deferredSearch?.count ?? 0 >= Intake.searchBatchSize { try writeDeferredSearch() }
        }
        return outcome
    }

    /// Runs `body`, which ingests messages, in ONE transaction: the batch's. Each message still
    /// has its own savepoint, but its words go into the search index after it, several messages
    /// at a time: FTS5 writes out what it has gathered at every savepoint, so indexing inside
    /// each message's savepoint made a segment per message, and merging those cost more than
    /// the words (a third of the intake's CPU). All commit together, or none.
    public func batch<T>(_ body: () throws -> T) throws -> T {
        try db.transaction {
            deferredSearch = []
            deferredCursors = [:]
            defer {
                deferredSearch = nil
                deferredCursors = [:]
            }
            let result = try body()
            try writeDeferredSearch()
            try writeDeferredCursors()
            return result
        }
    }

    /// In a batch: the cursor of `key`'s mailbox moves past it when the batch commits.
    private func deferCursor(_ key: DeliveryKey) {
        if let known = deferredCursors[key.mailbox], known.uidValidity == key.uidValidity {
            deferredCursors[key.mailbox] = (key.uidValidity, max(known.lastUID, key.uid))
        } else {
            deferredCursors[key.mailbox] = (key.uidValidity, key.uid)
        }
    }

    /// Writes the cursors the batch's messages moved (never back: a quarantined message moved
    /// its mailbox's cursor in the store directly). The batch's caller calls it before it reads
    /// or sets a cursor itself; `batch` calls it at the end. Nothing to do outside a batch.
    public func writeDeferredCursors() throws {
        let pending = deferredCursors
        deferredCursors = [:]
        let now = clock.unixSeconds()
        for (mailbox, cursor) in pending.sorted(by: { $0.key < $1.key }) {
            try advanceCursor(DeliveryKey(mailbox: mailbox, uidValidity: cursor.uidValidity, uid: cursor.lastUID, action: ""), now: now)
        }
    }

    private func writeDeferredSearch() throws {
        guard let pending = deferredSearch, !pending.isEmpty else { return }
        deferredSearch = []
        let index = SearchIndex(db: db)
        for words in pending { try index.index(document: words.document, subject: words.subject, body: words.body) }
    }

    /// Holds a message that could not be processed. A failure here is the store's: a message
    /// that cannot even be quarantined must not be passed over.
    func quarantine(raw: [UInt8], key: DeliveryKey?, reason: String, error: String?) throws -> IntakeOutcome {
        do {
            return try holdInQuarantine(raw: raw, key: key, reason: reason, error: error)
        } catch let failure as StoreError {
            throw failure.asStoreFailure(while: "the quarantine insert")
        } catch {
            throw StoreError(kind: .sqlite(code: 4), message: "the quarantine insert failed: \(error)")
        }
    }

    private func holdInQuarantine(raw: [UInt8], key: DeliveryKey?, reason: String, error: String?) throws -> IntakeOutcome {
        let now = clock.unixSeconds()
        return try db.transaction {
            if let key, try mailboxes.delivery(mailbox: key.mailbox, uidValidity: key.uidValidity, uid: key.uid) != nil {
                return .alreadyTaken
            }
            let id = try quarantine.add(mailbox: key?.mailbox, uidValidity: key?.uidValidity, uid: key?.uid, raw: raw,
                                        sha256: SHA256.hex(raw), reason: reason, error: error, now: now)
            if let key {
                try mailboxes.addDelivery(mailbox: key.mailbox, uidValidity: key.uidValidity, uid: key.uid, messageRow: nil,
                                          quarantineID: id, outcome: "quarantined", action: key.action, now: now)
                try advanceCursor(key, now: now)
            }
            return .quarantined(id: id, reason: reason)
        }
    }

    func advanceCursor(_ key: DeliveryKey, now: Int64) throws {
        let current = try mailboxes.cursor(key.mailbox)
        let last = current?.uidValidity == key.uidValidity ? max(current?.lastUID ?? 0, key.uid) : key.uid
        try mailboxes.setCursor(key.mailbox, uidValidity: key.uidValidity, lastUID: last, now: now)
    }

    /// What may be prepared early, outside the time limit (small messages); nil for the rest.
    /// The loop and bounce rules are pure, so they run there too, with the classifier of the
    /// config in force now (a reload happens between polls, never within a batch).
    public var earlyPreparer: @Sendable ([UInt8]) -> PreparedMessage? {
        let threshold = timeLimitThreshold, prepare = self.prepare, classifier = router.classifier
        return { raw in raw.count < threshold ? prepare(raw).classified(by: classifier) : nil }
    }

    /// `inBatch`: leave the message's words and its mailbox cursor to the caller (`ingest` in a
    /// `batch`), which writes them for several messages at once in the same transaction.
    func process(raw: [UInt8], key: DeliveryKey?, prepared early: PreparedMessage? = nil, inBatch: Bool = false) throws -> IntakeOutcome {
        let now = clock.unixSeconds()
        if let key, try mailboxes.delivery(mailbox: key.mailbox, uidValidity: key.uidValidity, uid: key.uid) != nil {
            if !inBatch { try advanceCursor(key, now: now) }
            return .alreadyTaken
        }
        // Small messages are parsed inline: the parser is linear with hard limits, so they cannot
        // take long, and a thread hand-off per message cost a third of the throughput. Larger
        // ones, where a pathological structure could take time, run under the time limit.
        let prepared: PreparedMessage
        if let early {
            prepared = early
        } else if raw.count < timeLimitThreshold {
            prepared = prepare(raw)
        } else if let done = PreparedMessage.withTimeLimit(messageTimeLimit, raw: raw, prepare) {
            prepared = done
        } else {
            throw IntakeError(reason: "time limit: processing took longer than \(Int(messageTimeLimit)) s")
        }
        let sha = prepared.sha256
        let message = prepared.message
        guard Intake.looksLikeMail(message) || Intake.isReadableText(raw) else {
            throw IntakeError(reason: "not an e-mail message: no header fields")
        }
        let messageID = message.messageID.flatMap { $0.isEmpty ? nil : $0 }

        // Another delivery of a message we already have (Cc'd to two mailboxes, re-appended,
        // or re-walked after a UIDVALIDITY change): record the delivery, change nothing else.
        let (existing, contentSHA) = try earlierCopy(of: raw, messageID: messageID)
        if let existing {
            let row = existing
            if let key {
                try mailboxes.addDelivery(mailbox: key.mailbox, uidValidity: key.uidValidity, uid: key.uid, messageRow: row,
                                          quarantineID: nil, outcome: "duplicate", action: key.action, now: now)
                if !inBatch { try advanceCursor(key, now: now) }
            }
            return .duplicate(messageRow: row)
        }

        let input = router.input(prepared, size: raw.count, mailbox: key?.mailbox)
        let plan = router.plan(input, db: db)
        if case let .unverified(reason)? = plan.agentProof {
            log.warning("agent.unverified", ["ticket": plan.decision?.joinedTicket ?? plan.joinedTicket ?? 0, "from": input.sender, "reason": reason])
        }
        let sender = message.sender?.normalized
        let subject = message.subject ?? ""
        let sentAt = message.date.map { Int64($0.timeIntervalSince1970) }
        // Stored with the message for the reports' mix; "spam" only when a rule said so.
        let messageClass = plan.routing.spam ? "spam" : input.messageClass.rawValue
        // A read that failed while planning is the store's failure, never a decision (a reply
        // taken for a new ticket): the batch rolls back and the next poll tries again.
        if let failure = router.readFailure { throw failure }

        let ticket: TicketRecord
        var isNew = false
        switch plan.disposition {
        case .hold(let reason):
            throw IntakeError(reason: reason)
        case .dropOwnMail(let reason):
            let row = try tickets.addMessage(ticketID: nil, direction: "in", messageID: messageID, sha256: sha, raw: raw,
                                             fromAddress: sender, subject: subject, sentAt: sentAt, decision: plan.explanation,
                                             messageClass: messageClass, now: now)
            if let contentSHA { try db.execute("UPDATE messages SET content_sha256 = ? WHERE id = ?", [contentSHA, row]) }
            if let key {
                try mailboxes.addDelivery(mailbox: key.mailbox, uidValidity: key.uidValidity, uid: key.uid, messageRow: row,
                                          quarantineID: nil, outcome: "imported", action: key.action, now: now)
                if !inBatch { try advanceCursor(key, now: now) }
            }
            return .ownMail(messageRow: row, reason: reason)
        case .join(let number):
            guard let found = try tickets.ticket(number: Int64(number)) else { throw IntakeError(reason: "router chose missing ticket #\(number)") }
            ticket = found
        case .newTicket(let ticketSubject):
            ticket = try tickets.createTicket(subject: String(ticketSubject.prefix(500)), requester: sender ?? "unknown",
                                              queue: plan.queue.isEmpty ? config.defaultQueue : plan.queue,
                                              priority: plan.state.priority, status: plan.state.status,
                                              actor: sender ?? "unknown", now: now)
            isNew = true
        case .undecided:
            throw IntakeError(reason: "no thread decision")
        }
        let row = try tickets.addMessage(ticketID: ticket.id, direction: "in", messageID: messageID, sha256: sha, raw: raw,
                                         fromAddress: sender, subject: subject, sentAt: sentAt, decision: plan.explanation,
                                             messageClass: messageClass, now: now)
        if let contentSHA { try db.execute("UPDATE messages SET content_sha256 = ? WHERE id = ?", [contentSHA, row]) }
        let search = SearchIndex(db: db)
        let words = DeferredSearch(document: try search.addDocument(messageRow: row, at: now), subject: subject,
                                   body: SearchText.body(text: prepared.text, replyText: prepared.replyText))
        if inBatch { processedSearch = words } else { try search.index(document: words.document, subject: words.subject, body: words.body) }
        // A replaced `prepare` (tests) may not fill in the hashes: never drop an attachment for it.
        let attachmentHashes = prepared.attachmentSHA256.count == prepared.attachments.count
            ? prepared.attachmentSHA256 : prepared.attachments.map(PreparedMessage.sha256)
        for (attachment, attachmentSHA) in zip(prepared.attachments, attachmentHashes) {
            // The bytes stay in the raw message only; the row says where (decoded on demand).
            try tickets.addAttachment(messageRow: row, filename: attachment.filename, contentType: attachment.contentType,
                                      size: attachment.size, contentID: attachment.contentID, isInline: attachment.isInline,
                                      sha256: attachmentSHA, partPath: attachment.path)
        }
        try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "correspond",
                             actor: sender ?? "unknown", reason: plan.explanation, now: now)
        // The loop defence's memory: an auto-reply flags its sender, a person's mail clears it
        // (first, so the mails this message causes already see it).
        try AutomaticSenderStore(db: db).note(input.sender, effect: AutomaticSender.effect(of: input.classification, decision: plan.decision), messageRow: row, now: now)
        try router.applier(tickets: tickets).apply(plan, ticket: ticket, messageRow: row, now: now)
        // The merged-into ticket's clocks now see the history that moved in.
        if let merge = plan.merge, let into = try tickets.ticket(number: Int64(merge.into)) { try retimeSLA(ticketID: into.id, now: now) }
        // A rating (a `complete` plan) leaves the ticket as it was, its last activity included.
        if !isNew && !plan.complete { try tickets.touch(ticketID: ticket.id, now: now) }
        if let key {
            try mailboxes.addDelivery(mailbox: key.mailbox, uidValidity: key.uidValidity, uid: key.uid, messageRow: row,
                                      quarantineID: nil, outcome: "imported", action: key.action, now: now)
            if !inBatch { try advanceCursor(key, now: now) }
        }
        return .imported(ticket: ticket.number, messageRow: row, decision: plan.explanation)
    }

    /// The stored copy of this message, if another delivery brought it before: same Message-ID
    /// and the same bytes apart from trace headers. The content hash is made only when needed:
    /// when the Message-ID was seen before (rare; the earlier copies get theirs filled in then)
    /// or when there is no Message-ID to look up by. Returns it for storing with the message.
    func earlierCopy(of raw: [UInt8], messageID: String?) throws -> (row: Int64?, contentSHA256: String?) {
        guard let messageID else {
            let content = Intake.contentSHA256(raw)
            let row = try db.row("SELECT id FROM messages WHERE message_id IS NULL AND content_sha256 = ? ORDER BY id LIMIT 1", [content])
            return (row?.int("id"), content)
        }
        let candidates = try db.query("""
            SELECT id, content_sha256 FROM messages WHERE message_id = ? AND direction = 'in' ORDER BY id
            """, [messageID])
        guard !candidates.isEmpty else { return (nil, nil) }
        let content = Intake.contentSHA256(raw)
        for candidate in candidates {
            let id = candidate.int("id")
            var known = candidate.optionalText("content_sha256")
            if known == nil, let stored = try tickets.raw(row: id) {
                known = Intake.contentSHA256(stored)
                try db.execute("UPDATE messages SET content_sha256 = ? WHERE id = ?", [known, id])
            }
            if known == content { return (id, content) }
        }
        return (nil, content)
    }

    /// Hex SHA-256 of the message without its trace headers: equal for two deliveries of one mail.
    static func contentSHA256(_ raw: [UInt8]) -> String {
        SHA256.hex(withoutTraceHeaders(raw))
    }

    /// Random bytes parse as "a message with defects"; without a single header field it is
    /// not mail at all, so it is held for a human to look at. (Header fragments such as a bare
    /// MIME part are mail, however odd, and are imported.)
    public static func looksLikeMail(_ message: Message) -> Bool {
        message.headers.contains { name in
            !name.name.isEmpty && name.name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != 58 }
        }
    }

    /// Headerless but readable text (a pasted note, a body without its header) is still
    /// something a person wrote: valid UTF-8 with hardly any control characters.
    public static func isReadableText(_ raw: [UInt8]) -> Bool {
        guard !raw.isEmpty, String(validating: raw, as: UTF8.self) != nil else { return false }
        let controls = raw.lazy.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }.count
        return controls * 100 < raw.count
    }

    /// The message without the trace headers that each delivery prepends (Return-Path,
    /// Delivered-To, Received, X-Original-To), so two deliveries of one mail hash the same.
    static func withoutTraceHeaders(_ raw: [UInt8]) -> ArraySlice<UInt8> {
        let trace: [[UInt8]] = ["return-path:", "delivered-to:", "received:", "x-original-to:", "x-delivered-to:"].map { Array($0.utf8) }
        var i = 0
        let n = raw.count
        while i < n {
            // Is the header starting at i a trace header?
            let isTrace = trace.contains { name in
                i + name.count <= n && zip(raw[i..<i + name.count], name).allSatisfy { a, b in (a | 0x20) == b || a == b }
            }
            guard isTrace else { break }
            // Skip the header and its folded continuation lines.
            while i < n {
                guard let eol = raw[i...].firstIndex(of: 0x0A) else { i = n; break }
                i = eol + 1
                if i >= n || (raw[i] != 0x20 && raw[i] != 0x09) { break }
            }
        }
        return raw[i...]
    }
}

/// A stored message's words, waiting for the search index (see `Intake.batch`).
struct DeferredSearch {
    var document: Int64
    var subject: String?
    var body: String?
}

/// A processing failure that sends the message to quarantine, with the reason shown there.
public struct IntakeError: Error, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
