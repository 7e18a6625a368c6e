import Foundation

/// Step 3: the routing rules. For a new ticket it picks the queue (by the address the mail was
/// sent to, unless the mailbox names one), resolves the customer's language, runs the rules and
/// sets queue, priority, status, tags, category, SLA policy, cc and acknowledgement; for a
/// customer's follow-up it runs the rules that ask for follow-ups and records their changes as
/// events. Every hit is kept with the rule's name; nothing here can lose the message.
public struct RulesStep: IntakeStep {
    /// A queue as routing sees it.
    public struct Queue: Sendable, Equatable {
        public var name: String
        /// Lowercased.
        public var addresses: [String]
        public var priority: TicketPriority?
        /// Working hours for `arrival` (nil: always open), and the zone arrival is read in.
        public var calendar: WorkingCalendar?
        public var timeZone: TimeZone
        public var language: String?

        public init(name: String, addresses: [String] = [], priority: TicketPriority? = nil, calendar: WorkingCalendar? = nil,
                    timeZone: TimeZone? = nil, language: String? = nil) {
            self.name = name
            self.addresses = addresses.map(Address.normalised)
            self.priority = priority
            self.calendar = calendar
            self.timeZone = timeZone ?? calendar?.timeZone ?? TimeZone(identifier: "UTC")!
            self.language = language
        }
    }

    public var rules: RuleSet
    public var queues: [Queue]
    public var customers: CustomerDirectory
    public var lifecycle: Lifecycle
    public var ownAddresses: Set<String>

    public init(rules: RuleSet, queues: [Queue], customers: CustomerDirectory, ownAddresses: Set<String>,
                lifecycle: Lifecycle = .standard) {
        self.rules = rules
        self.queues = queues
        self.customers = customers
        self.ownAddresses = ownAddresses
        self.lifecycle = lifecycle
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        let trigger: Rule.Trigger
        switch plan.disposition {
        case .newTicket: trigger = .new
        case .join where plan.actor == .customer: trigger = .followUp
        default: return
        }
        if trigger == .new, input.mailboxQueue == nil, let byAddress = queue(addressedBy: input.facts) {
            plan.queue = byAddress.name
        }
        let profile = customers.profile(for: plan.ticket?.requester ?? input.sender)
        let startQueue = queues.first { $0.name == plan.queue }
        // On a follow-up the ticket already has its language: a reply without Content-Language
        // must not read as the queue's default (only the customers list, config, overrides it).
        let number = trigger == .followUp ? plan.joinedTicket : nil
        let stored: String? = number.flatMap { view.language(ofTicket: $0) }
        var language = CustomerLanguage.resolve(profile: profile, headers: input.facts.headers, queueDefault: startQueue?.language)
        if let stored, language.source != "customers" { language = (stored, "ticket") }
        let facts = RuleFacts(from: input.facts.from, fromName: input.facts.fromName,
                              to: input.facts.to + input.facts.deliveredTo, cc: input.facts.cc, mailbox: input.mailbox ?? "",
                              subject: input.facts.subject, text: trigger == .new ? input.text : (input.replyText ?? input.text),
                              headers: input.facts.headers, attachments: input.attachments, size: input.size,
                              messageClass: input.messageClass, language: language.language, customer: profile,
                              arrival: rules.readsArrival ? RulesStep.arrival(at: input.now, in: startQueue, businessHours: rules.readsBusinessHours)
                                                          : ArrivalFacts(weekday: 1, hour: 0, businessHours: true))
        let outcome = rules.evaluate(facts, trigger: trigger)
        plan.routing.verdicts = outcome.verdicts
        plan.routing.hits = outcome.hits.map { RoutingPlan.Hit(rule: $0.rule, because: $0.because, actions: $0.actionText) }
        if trigger == .new {
            applyToNewTicket(outcome, plan: &plan)
            let finalQueue = queues.first { $0.name == plan.queue }
            if language.source == "queue" || language.source == "none", finalQueue?.name != startQueue?.name {
                language = CustomerLanguage.resolve(profile: profile, headers: input.facts.headers, queueDefault: finalQueue?.language)
            }
            plan.routing.language = language.language
            plan.routing.languageSource = language.source
        } else {
            applyToFollowUp(outcome, input: input, plan: &plan)
            // A ticket without a language (opened before routing existed) takes the one its
            // customer's mail now states.
            if stored == nil, language.source == "customers" || language.source.hasSuffix("-Language") {
                plan.routing.language = language.language
                plan.routing.languageSource = language.source
            }
        }
        for address in outcome.cc where address != plan.sender && !ownAddresses.contains(address)
            && !plan.participants.contains(where: { $0.address == address }) && plan.ticket?.participants[address] == nil {
            plan.participants.append(TicketPlan.Participant(address, view.isAgent(address) ? .agent : .cc))
        }
        plan.routing.tags = outcome.tags
        plan.routing.category = outcome.category
        plan.routing.slaPolicy = outcome.sla
        if let policy = outcome.sla { plan.slaRequested = policy }
        plan.routing.acknowledge = outcome.acknowledge
        if let acknowledge = outcome.acknowledge { plan.acknowledge = acknowledge }
        plan.routing.spam = outcome.spam
        plan.routing.assign = outcome.assign
    }

    private func applyToNewTicket(_ outcome: RuleOutcome, plan: inout TicketPlan) {
        if let q = outcome.queue { plan.queue = q }
        if let p = outcome.priority ?? queues.first(where: { $0.name == plan.queue })?.priority { plan.state.priority = p }
        if let s = outcome.status { plan.state.status = s }
    }

    /// On a follow-up the ticket exists: each change is an event naming the rule that made it.
    private func applyToFollowUp(_ outcome: RuleOutcome, input: PipelineInput, plan: inout TicketPlan) {
        func event(_ kind: TicketEvent.Kind, _ old: String?, _ new: String, _ action: (RuleAction) -> Bool) {
            let rule = outcome.hits.last { $0.actions.contains(where: action) }?.rule ?? "?"
            plan.events.append(TicketEvent(kind: kind, old: old, new: new, actor: "system", reason: "rule \"\(rule)\"", at: input.now))
        }
        if let q = outcome.queue, q != plan.queue {
            event(.queue, plan.queue, q) { if case .queue = $0 { return true }; return false }
            plan.queue = q
        }
        if let p = outcome.priority, p != plan.state.priority {
            event(.priority, plan.state.priority.rawValue, p.rawValue) { if case .priority = $0 { return true }; return false }
            plan.state.priority = p
        }
        if let s = outcome.status, s != plan.state.status {
            if lifecycle.allows(from: plan.state.status, to: s) {
                event(.status, plan.state.status.rawValue, s.rawValue) {
                    if case .status = $0 { return true }
                    if case .spam = $0 { return true }
                    return false
                }
                plan.state.status = s
            } else {
                plan.routing.skipped.append("status \(plan.state.status.rawValue) → \(s.rawValue) is not allowed")
            }
        }
    }

    /// The queue whose address the message was sent to (To, Cc, or the envelope recipient).
    func queue(addressedBy facts: InboundFacts) -> Queue? {
        let recipients = Set((facts.to + facts.cc + facts.deliveredTo).map(Address.normalised))
        return queues.first { q in q.addresses.contains { recipients.contains($0) } }
    }

    /// Weekday, hour and open-or-not of `date` in the queue's zone and calendar (UTC and always
    /// open without a queue). By arithmetic on the zone's offset: a Calendar per message showed in
    /// intake profiles. `businessHours: false` skips the calendar (no rule reads it).
    public static func arrival(at date: Date, in queue: Queue?, businessHours: Bool = true) -> ArrivalFacts {
        let offset = queue?.timeZone.secondsFromGMT(for: date) ?? 0
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let (days, seconds) = (local >= 0 ? local / 86_400 : (local - 86_399) / 86_400, ((local % 86_400) + 86_400) % 86_400)
        // 1970-01-01 was a Thursday; rules count Monday as 1.
        let weekday = ((days % 7) + 7 + 3) % 7 + 1
        return ArrivalFacts(weekday: weekday, hour: seconds / 3600,
                            businessHours: businessHours ? (queue?.calendar?.isOpen(at: date) ?? true) : true)
    }
}
