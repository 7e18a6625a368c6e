import Foundation
import MIME
import Store
import Ticketing

/// Where an inbound message goes, why, and what to do once it is stored.
public struct Route {
    public enum Action: Equatable {
        case newTicket
        case join(ticketNumber: Int64)
        case hold(String)
        case dropOwnMail(String)
    }
    public var action: Action
    /// The rule that decided, stored on the message (`postdesk explain`).
    public var explanation: String
    public var queue: String?
    /// Subject for a new ticket when it differs from the message's (e.g. an old tag stripped).
    public var newSubject: String?
    /// Status changes, links and notifications, run in the same transaction after the message is stored.
    public var afterStore: (_ ticket: TicketRecord, _ messageRow: Int64, _ isNew: Bool, _ tickets: TicketStore, _ now: Int64) throws -> Void

    public init(action: Action, explanation: String, queue: String? = nil, newSubject: String? = nil,
                afterStore: @escaping (TicketRecord, Int64, Bool, TicketStore, Int64) throws -> Void = { _, _, _, _, _ in }) {
        self.action = action
        self.explanation = explanation
        self.queue = queue
        self.newSubject = newSubject
        self.afterStore = afterStore
    }
}

/// Decides which ticket an inbound message belongs to (spoof-proof threading), how the ticket
/// reacts (lifecycle, agent commands, bounces), and which mails that causes (loop-safe).
public final class MessageRouter {
    public var config: Config
    let tags: TicketTagFormat
    let signer: MessageIDSigner
    let classifier: MessageClassifier
    let resolver: ThreadResolver
    let lifecycle = Lifecycle.standard
    let notifier: Notifier
    let clock: any Clock
    let log: Log
    let agents: Set<String>
    let ownAddresses: Set<String>
    /// Set while an operator releases a held message: "hold" becomes "new ticket".
    var releaseHeld = false

    public init(config: Config, key: SigningKey, clock: any Clock, log: Log) {
        self.config = config
        self.clock = clock
        self.log = log
        let ours = [config.smtp.map { MessageRouter.addressPart($0.from) }].compactMap { $0 }
            + config.queues.compactMap(\.address)
        ownAddresses = Set(ours.map { $0.lowercased() })
        agents = Set(config.agents.map { $0.email.lowercased() })
        tags = TicketTagFormat(key: key, prefix: config.tagPrefix, tokenLength: config.tagTokens ? 5 : 0,
                               plusAddressBases: config.queues.compactMap(\.address))
        let domain = ours.first.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "postdesk.invalid"
        signer = MessageIDSigner(key: key, domain: domain)
        let marker = LoopMarker(key: key)
        // Our own sending address only: agents may Cc the shared mailbox, which must stay human.
        classifier = MessageClassifier(signer: signer, loopMarker: marker,
                                       ownAddresses: config.smtp.map { [MessageRouter.addressPart($0.from)] } ?? [])
        resolver = ThreadResolver(tags: tags, signer: signer, strangers: config.strangerPolicy == "hold" ? .hold : .newTicket,
                                  reopenWindow: TimeInterval(config.reopenWindowDays) * 86_400)
        notifier = Notifier(config: config, tags: tags, signer: signer, loopMarker: marker, clock: clock, log: log)
    }

    static func addressPart(_ s: String) -> String {
        guard let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt else { return s.trimmingCharacters(in: .whitespaces) }
        return String(s[s.index(after: lt)..<gt])
    }

    func seed(from db: Database) { notifier.seed(from: db) }

    /// `facts` and `classification`: as the fetch thread made them; nil ones are made here.
    public func route(_ message: Message, text: String?, facts: InboundFacts? = nil, classification: Classification? = nil,
                      raw: [UInt8], db: Database, queue: String?, now: Int64) throws -> Route {
        let facts = facts ?? InboundFacts(message: message, text: text)
        let classification = classification ?? classifier.classify(facts)
        let tickets = TicketStore(db: db)
        let lookup = StoreThreadLookup(tickets: tickets, agents: agents)
        let decision = resolver.decide(facts, classification: classification, lookup: lookup, now: clock.now())
        let klass = classification.messageClass
        var explanation = decision.explanation
        if klass != .human { explanation += "; \(classification.explanation)" }
        let sender = facts.sender
        let isAgent = agents.contains(sender)

        switch decision {
        case .dropOwnMail(let reason):
            return Route(action: .dropOwnMail(reason), explanation: explanation)
        case .hold(let reason, let mentions):
            guard releaseHeld else { return Route(action: .hold("hold: \(reason.explanation)"), explanation: explanation) }
            // An operator reviewed it (`quarantine retry --as-new`): a new ticket, linked as usual.
            return newTicketRoute(facts: facts, message: message, text: text, klass: klass,
                                  explanation: "new: \(reason.explanation), released by operator", queue: queue,
                                  mentions: Int64(mentions), follows: nil, isAgent: isAgent)
        case .join(let number, _):
            guard let ticket = try tickets.ticket(number: Int64(number)) else {
                return newTicketRoute(facts: facts, message: message, text: text, klass: klass, explanation: explanation,
                                      queue: queue, mentions: nil, follows: nil, isAgent: isAgent)
            }
            let resolvedAt = try tickets.resolvedAt(ticketID: ticket.id).map { Date(timeIntervalSince1970: TimeInterval($0)) }
            let parsed = isAgent && klass == .human ? AgentCommand.parse(message.replyText ?? text ?? "", sender: sender) : nil
            let reaction = lifecycle.react(TicketState(status: ticket.status, priority: ticket.priority, assignee: ticket.assignee, resolvedAt: resolvedAt),
                                           messageClass: klass, actor: isAgent ? .agent : .customer, actorAddress: sender,
                                           commands: parsed?.commands ?? [], reopenWindow: TimeInterval(config.reopenWindowDays) * 86_400,
                                           at: clock.now())
            if reaction.startsNewTicket {
                let why = ticket.status == .closed ? "new: ticket \(number) closed" : "new: ticket \(number) resolved more than \(config.reopenWindowDays) days ago"
                return newTicketRoute(facts: facts, message: message, text: text, klass: klass, explanation: why, queue: ticket.queue,
                                      mentions: nil, follows: Int64(number), isAgent: isAgent)
            }
            return Route(action: .join(ticketNumber: Int64(number)), explanation: explanation) { [self] ticket, row, _, tickets, now in
                for event in reaction.events {
                    try tickets.setField(ticketID: ticket.id, field: event.kind.rawValue, old: event.old, new: event.new,
                                         actor: event.actor, reason: event.reason, now: now)
                }
                for refused in reaction.refused {
                    try tickets.addEvent(ticketID: ticket.id, messageRow: row, type: "command-refused", actor: sender, reason: refused, now: now)
                }
                if klass == .human {
                    try tickets.addParticipant(ticketID: ticket.id, address: sender, role: isAgent ? "agent" : "cc", now: now)
                }
                if klass == .bounce { try recordBounce(facts, ticket: ticket, row: row, tickets: tickets, now: now) }
                guard klass.mayTriggerMail else { return }
                let outbox = OutboxStore(db: tickets.db)
                let current = try tickets.ticket(id: ticket.id) ?? ticket
                let refs = facts.references + [facts.messageID].compactMap { $0 }
                if isAgent {
                    let body = (parsed?.body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                    let customers = try tickets.participants(ticketID: ticket.id).filter { $0.role != "agent" }.map(\.address)
                    let to = Array(Set([current.requester.lowercased()] + customers)).sorted().filter { !agents.contains($0) && !ownAddresses.contains($0) }
                    if !body.isEmpty {
                        try notifier.queue("reply", ticket: current, to: to, subject: current.subject, body: body + "\n",
                                           inReplyTo: facts.messageID, references: refs, automatic: false, tickets: tickets, outbox: outbox, now: now)
                    } else if let change = reaction.events.last(where: { $0.kind == .status }), let status = TicketStatus(rawValue: change.new ?? ""),
                              [.resolved, .closed, .pending].contains(status) {
                        try notifier.queue("status", ticket: current, to: [current.requester], subject: current.subject,
                                           body: notifier.statusNotice(ticket: current, status: status), inReplyTo: nil, references: [],
                                           automatic: true, tickets: tickets, outbox: outbox, now: now)
                    }
                } else {
                    let to = current.assignee.map { [$0] } ?? Array(agents).sorted()
                    try notifier.queue("agent-notice", ticket: current, to: to.filter { $0 != sender }, subject: current.subject,
                                       body: notifier.agentNotice(ticket: current, from: sender, text: message.replyText ?? text ?? "", isNew: false),
                                       inReplyTo: facts.messageID, references: refs, automatic: true, replyTo: notifier.from,
                                       tickets: tickets, outbox: outbox, now: now)
                }
            }
        case .newTicket(_, let mentions, let linkedFrom):
            return newTicketRoute(facts: facts, message: message, text: text, klass: klass, explanation: explanation, queue: queue,
                                  mentions: mentions.map(Int64.init), follows: linkedFrom.map(Int64.init), isAgent: isAgent)
        }
    }

    private func newTicketRoute(facts: InboundFacts, message: Message, text: String?, klass: MessageClass, explanation: String,
                                queue: String?, mentions: Int64?, follows: Int64?, isAgent: Bool) -> Route {
        let subject = resolver.subjectForNewTicket(facts.subject)
        let sender = facts.sender
        return Route(action: .newTicket, explanation: explanation, queue: queue,
                     newSubject: subject.isEmpty ? "(no subject)" : subject) { [self] ticket, row, _, tickets, now in
            try tickets.addParticipant(ticketID: ticket.id, address: sender, role: isAgent ? "agent" : "requester", now: now)
            for cc in facts.cc + facts.to {
                let a = cc.lowercased()
                if a != sender && !ownAddresses.contains(a) && !a.isEmpty {
                    try tickets.addParticipant(ticketID: ticket.id, address: a, role: agents.contains(a) ? "agent" : "cc", now: now)
                }
            }
            if let mentions { try tickets.addLink(ticketID: ticket.id, otherNumber: mentions, kind: "mentions", now: now) }
            if let follows { try tickets.addLink(ticketID: ticket.id, otherNumber: follows, kind: "follows", now: now) }
            if klass == .bounce { try recordBounce(facts, ticket: ticket, row: row, tickets: tickets, now: now) }
            guard klass.mayTriggerMail else { return }
            let outbox = OutboxStore(db: tickets.db)
            let refs = [facts.messageID].compactMap { $0 }
            if config.acknowledge && !isAgent {
                try notifier.queue("ack", ticket: ticket, to: [sender], subject: ticket.subject,
                                   body: notifier.acknowledgement(ticket: ticket, customerText: text), inReplyTo: facts.messageID,
                                   references: refs, automatic: true, tickets: tickets, outbox: outbox, now: now)
            }
            let to = Array(agents).sorted().filter { $0 != sender }
            try notifier.queue("agent-notice", ticket: ticket, to: to, subject: ticket.subject,
                               body: notifier.agentNotice(ticket: ticket, from: sender, text: text ?? "", isNew: true),
                               inReplyTo: facts.messageID, references: refs, automatic: true, replyTo: notifier.from,
                               tickets: tickets, outbox: outbox, now: now)
        }
    }

    /// A permanent failure marks the address undeliverable (we stop mailing it); a temporary one is recorded.
    private func recordBounce(_ facts: InboundFacts, ticket: TicketRecord, row: Int64, tickets: TicketStore, now: Int64) throws {
        guard let bounce = facts.bounce else { return }
        let report = BounceReport.interpret(bounce, ignoring: ownAddresses)
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
