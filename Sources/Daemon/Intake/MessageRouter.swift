import Foundation
import MIME
import Store
import Ticketing

/// Builds the intake pipeline from the config and runs it for one message: which ticket the
/// message belongs to, how the ticket reacts and which mails that causes, as a `TicketPlan`.
/// It decides; `PlanApplier` writes. New behaviour is a new pipeline step, not code here.
public final class MessageRouter {
    public let config: Config
    let tags: TicketTagFormat
    let signer: MessageIDSigner
    let classifier: MessageClassifier
    let notifier: Notifier
    let clock: any Clock
    let log: Log
    let agents: Set<String>
    let ownAddresses: Set<String>
    public let pipeline: IntakePipeline
    /// Set while an operator releases a held message: "hold" becomes "new ticket".
    var releaseHeld = false
    /// Set by `Intake.agentMail` for the one mail it writes (see `PipelineInput.confirmedDisclosure`).
    var confirmedDisclosure: String?

    public init(config: Config, key: SigningKey, clock: any Clock, log: Log) {
        self.config = config
        self.clock = clock
        self.log = log
        let ours = [config.smtp.map { MessageRouter.addressPart($0.from) }].compactMap { $0 }
            + config.queues.flatMap(\.addresses)
        let ownAddresses = Set(ours.map { $0.lowercased() })
        self.ownAddresses = ownAddresses
        agents = Set(config.agents.map { $0.email.lowercased() })
        tags = TicketTagFormat(key: key, prefix: config.tagPrefix, tokenLength: config.tagTokens ? 5 : 0,
                               plusAddressBases: config.queues.compactMap(\.address))
        let domain = ours.first.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "postdesk.invalid"
        signer = MessageIDSigner(key: key, domain: domain)
        let marker = LoopMarker(key: key)
        // Our own sending address only: agents may Cc the shared mailbox, which must stay human.
        classifier = MessageClassifier(signer: signer, loopMarker: marker,
                                       ownAddresses: config.smtp.map { [MessageRouter.addressPart($0.from)] } ?? [])
        let resolver = ThreadResolver(tags: tags, signer: signer, strangers: config.strangerPolicy == "hold" ? .hold : .newTicket,
                                      reopenWindow: TimeInterval(config.reopenWindowDays) * 86_400)
        notifier = Notifier(config: config, tags: tags, signer: signer, loopMarker: marker, clock: clock, log: log)
        pipeline = IntakePipeline(steps: [
            RatingStep(signer: signer, plusAddressBases: MessageRouter.plusAddressBases(config)),
            ThreadStep(resolver: resolver, defaultQueue: config.defaultQueue, ownAddresses: ownAddresses),
            AgentProofStep(verifier: AgentProofVerifier(policy: config.agentWorkflow.proof, trustedAuthservIDs: config.agentWorkflow.trustedAuthservIDs,
                                                        signer: signer, plusAddressBases: MessageRouter.plusAddressBases(config)),
                           strangers: config.strangerPolicy == "hold" ? .hold : .newTicket, defaultQueue: config.defaultQueue,
                           ownAddresses: ownAddresses, agentAddresses: config.agents.map(\.email),
                           newSubject: { resolver.subjectForNewTicket($0) }),
            LifecycleStep(reopenWindowDays: config.reopenWindowDays, ownAddresses: ownAddresses,
                          agents: AgentDirectory(config.agents.map { ($0.email, $0.name) }),
                          assignOnFirstReply: config.agentWorkflow.assignOnFirstReply, plusAddressBases: MessageRouter.plusAddressBases(config),
                          macros: config.agentWorkflow.macros,
                          macroContext: .init(tag: { [tags] in tags.text(for: $0) }, url: { [n = config.notifications] in n.url(for: Int64($0)) },
                                              queueLanguages: Dictionary(config.queues.compactMap { q in q.language.map { (q.name, $0.lowercased()) } },
                                                                         uniquingKeysWith: { a, _ in a }),
                                              names: config.notifications.templates.names),
                          newSubject: { resolver.subjectForNewTicket($0) }),
            BounceStep(ownAddresses: ownAddresses),
            RulesStep(rules: config.rules, queues: MessageRouter.routingQueues(config), customers: config.customers,
                      ownAddresses: ownAddresses),
            AssignmentStep(assigner: MessageRouter.assigner(config), customers: config.customers),
            NotificationStep(acknowledge: config.acknowledge, agents: Array(agents), ownAddresses: ownAddresses,
                             policy: config.notifications.policy, queueAgents: config.queueMembers.byQueue),
            SLAStep(settings: config.sla),
        ])
    }

    /// Our addresses whose `+detail` form reaches us: the queues', else the sending address.
    static func plusAddressBases(_ config: Config) -> [String] {
        let queues = config.queues.flatMap(\.addresses)
        return queues.isEmpty ? [config.smtp.map { addressPart($0.from) }].compactMap { $0 } : queues
    }

    /// The queues as the rules step sees them (calendars resolved by name).
    static func routingQueues(_ config: Config) -> [RulesStep.Queue] {
        let queues = config.queues.isEmpty ? [QueueConfig(name: config.defaultQueue)] : config.queues
        return queues.map { q in
            RulesStep.Queue(name: q.name, addresses: q.addresses, priority: q.priority,
                            calendar: q.calendar.flatMap { config.calendar(named: $0) }, timeZone: q.timeZone, language: q.language)
        }
    }

    static func assigner(_ config: Config) -> Assigner {
        Assigner(agents: config.agents.map {
            AgentProfile(email: $0.email, name: $0.name, groups: $0.groups, hours: $0.hours, away: $0.away, maxOpen: $0.maxOpen)
        })
    }

    static func addressPart(_ s: String) -> String {
        guard let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt else { return s.trimmingCharacters(in: .whitespaces) }
        return String(s[s.index(after: lt)..<gt])
    }

    func seed(from db: Database) { notifier.seed(from: db) }

    /// The pipeline's input for a prepared message: its parse, text, reply text and facts as
    /// the fetch thread made them; a classification it did not make is made here.
    public func input(_ prepared: PreparedMessage, size: Int, mailbox: String?) -> PipelineInput {
        let queue = mailbox.flatMap { name in config.mailboxes.first { $0.name == name }?.queue }
        var input = PipelineInput(facts: prepared.facts, classification: prepared.classification ?? classifier.classify(prepared.facts),
                                  text: prepared.text ?? "", replyText: prepared.replyText, mailbox: mailbox, mailboxQueue: queue,
                                  size: size, now: clock.now(), releasedByOperator: releaseHeld)
        input.confirmedDisclosure = confirmedDisclosure
        input.attachments = prepared.attachments.map { RuleFacts.AttachmentFacts(contentType: $0.contentType, filename: $0.filename ?? "") }
        return input
    }

    /// Runs the pipeline against the store, reading only: the intake applies the plan in the
    /// message's transaction, a dry run prints it.
    public func plan(_ input: PipelineInput, db: Database) -> TicketPlan {
        let view = StorePipelineView(tickets: TicketStore(db: db), agents: agents)
        let plan = pipeline.plan(input, view: view)
        readFailure = view.failures.first
        return plan
    }

    /// A store failure met while the last plan read the store: that plan rests on reads that
    /// answered "nothing", so the caller must not act on it (the intake throws it, rolling back).
    public private(set) var readFailure: StoreError?

    /// Writes a plan's ticket changes, events and mails (inside the caller's transaction).
    func applier(tickets: TicketStore) -> PlanApplier {
        PlanApplier(tickets: tickets, notifier: notifier, log: log)
    }
}
