import Foundation

/// Step 2: how a joined ticket reacts (see `Lifecycle.react`): a customer reply reopens, an
/// agent's reply and commands move it; a reply to a closed or long-resolved ticket opens a new,
/// linked one instead.
public struct LifecycleStep: IntakeStep {
    public var lifecycle: Lifecycle
    public var reopenWindowDays: Int
    /// The subject a new ticket takes (old tags stripped), from the thread resolver.
    public var newSubject: @Sendable (String) -> String
    public var ownAddresses: Set<String>
    /// The configured agents `#assign` may name; nil takes any address (no directory given).
    public var agents: AgentDirectory?
    /// The first agent reply on an unassigned ticket assigns it to that agent.
    public var assignOnFirstReply: Bool
    /// Our addresses whose `+N-note` form makes an agent's mail an internal note.
    public var plusAddressBases: [String]
    /// Canned answers by name, for `#macro NAME`.
    public var macros: [String: Template]
    /// What a canned answer's `{{ticket.tag}}`, `{{ticket.url}}` and localised names need.
    public var macroContext: MacroContext

    /// The install's side of canned answers' placeholders.
    public struct MacroContext: Sendable {
        public var tag: @Sendable (Int) -> String
        public var url: @Sendable (Int) -> String?
        /// Each queue's default language.
        public var queueLanguages: [String: String]
        /// Status and priority names per language (the template set's `names.<language>.txt`).
        public var names: [String: LocalisedNames]

        public init(tag: @escaping @Sendable (Int) -> String = { "[#\($0)]" }, url: @escaping @Sendable (Int) -> String? = { _ in nil },
                    queueLanguages: [String: String] = [:], names: [String: LocalisedNames] = [:]) {
            self.tag = tag
            self.url = url
            self.queueLanguages = queueLanguages
            self.names = names
        }
    }

    public init(lifecycle: Lifecycle = .standard, reopenWindowDays: Int, ownAddresses: Set<String>,
                agents: AgentDirectory? = nil, assignOnFirstReply: Bool = false, plusAddressBases: [String] = [],
                macros: [String: Template] = [:], macroContext: MacroContext = MacroContext(),
                newSubject: @escaping @Sendable (String) -> String) {
        self.lifecycle = lifecycle
        self.reopenWindowDays = reopenWindowDays
        self.ownAddresses = ownAddresses
        self.agents = agents
        self.assignOnFirstReply = assignOnFirstReply
        self.plusAddressBases = plusAddressBases
        self.macros = macros
        self.macroContext = macroContext
        self.newSubject = newSubject
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard case let .join(number) = plan.disposition, let ticket = plan.ticket else { return }
        let isAgent = plan.actor == .agent
        let parsed = isAgent && input.messageClass == .human
            ? AgentCommand.parse(input.replyText ?? input.text, sender: input.sender, agents: agents,
                                 macros: Set(macros.keys)) : nil
        // Only `#link`/`#merge` and no text: filing, not an answer; the ticket does not move to open.
        let filing = parsed.map { p in
            !p.commands.isEmpty && p.errors.isEmpty && p.body.trimmingWhitespace().isEmpty
                && p.commands.allSatisfy { if case .link = $0 { true } else if case .merge = $0 { true } else { false } }
        } ?? false
        let reaction = filing ? LifecycleReaction(state: ticket.state, events: [], refused: [], startsNewTicket: false)
            : lifecycle.react(ticket.state, messageClass: input.messageClass, actor: plan.actor,
                              actorAddress: input.sender, commands: parsed?.commands ?? [],
                              reopenWindow: TimeInterval(reopenWindowDays) * 86_400, at: input.now)
        if reaction.startsNewTicket {
            plan.explanation = ticket.status == .closed
                ? "new: ticket \(number) closed"
                : "new: ticket \(number) resolved more than \(reopenWindowDays) days ago"
            plan.openTicket(input, view: view, subject: newSubject(input.facts.subject), queue: ticket.queue,
                            ownAddresses: ownAddresses, follows: number)
            return
        }
        plan.state = reaction.state
        plan.events += reaction.events
        // Commands that could not be read (unknown verb, bad value) fail like refused ones.
        plan.refused += (parsed?.errors ?? []) + reaction.refused
        plan.agentBody = parsed?.body
        if input.messageClass == .human {
            plan.participants.append(TicketPlan.Participant(input.sender, isAgent ? .agent : .cc))
        }
        guard let parsed else { return }
        let names = parsed.commands.compactMap { c -> String? in if case let .macro(name) = c { return name } else { return nil } }
        let values = names.isEmpty ? TemplateValues() : macroValues(ticket, state: plan.state, queue: plan.queue.isEmpty ? ticket.queue : plan.queue, agent: input.sender,
                                                                       details: view.details(ticket: number))
        let canned = names.compactMap { macros[$0]?.render(values, for: .plain) }
        if !canned.isEmpty { plan.agentBody = (canned + [parsed.body]).joined(separator: "\n") }
        plan.internalNote = parsed.commands.contains(.note) || isNoteAddressed(input.facts, ticket: number)
        for case let .cc(address) in parsed.commands where ticket.participants[address] == nil && !ownAddresses.contains(address)
            && !plan.ccAdded.contains(address) {
            plan.participants.append(TicketPlan.Participant(address, .cc))
            plan.ccAdded.append(address)
        }
        for command in parsed.commands {
            switch command {
            case let .merge(into, reason):
                if let refusal = TicketMerge.refusal(from: ticket, into: into, lookup: view) {
                    plan.refused.append("merge: \(refusal)")
                } else if plan.merge == nil {
                    plan.merge = TicketMerge(from: number, into: into, actor: Address.normalised(input.sender), reason: reason)
                    let target = view.ticket(number: into)
                    plan.merge?.disclosure = TicketMerge.disclosure(from: number, requester: ticket.requester, fromOthers: ticket.customerCopies,
                                                                    into: into, intoRequester: target?.requester ?? "",
                                                                    intoOthers: target?.customerCopies ?? [])
                }
            case let .link(other):
                if let refusal = TicketMerge.linkRefusal(from: ticket, to: other, lookup: view) {
                    plan.refused.append("link: \(refusal)")
                } else if !plan.links.contains(TicketPlan.Link(other, .related)) {
                    plan.links.append(TicketPlan.Link(other, .related))
                }
            default: continue
            }
        }
        // Filing or merging is not an answer: nobody takes the ticket by it.
        if assignOnFirstReply, !plan.internalNote, !filing, plan.merge == nil, plan.state.assignee == nil, !parsed.commands.contains(.unassign) {
            let me = Address.normalised(input.sender)
            plan.events.append(TicketEvent(kind: .assignee, old: nil, new: me, actor: me, reason: "first agent reply", at: input.now))
            plan.state.assignee = me
        }
    }

    /// What a canned answer may name: every notification placeholder but `{{message.text}}` (the
    /// macro is the message; refused when the macros load). Status, priority and queue are as
    /// the reply leaves them; names are in the ticket's language; `{{sla.due}}` is the
    /// resolution deadline while it runs.
    func macroValues(_ ticket: TicketSnapshot, state: TicketState, queue: String, agent: String, details: TicketDetails?) -> TemplateValues {
        let language = details?.language ?? macroContext.queueLanguages[queue] ?? TemplateSet.fallbackLanguage
        let named = macroContext.names[language], english = macroContext.names[TemplateSet.fallbackLanguage]
        var v = TemplateValues()
        v[.ticketNumber] = String(ticket.number)
        v[.ticketTag] = macroContext.tag(ticket.number)
        v[.ticketSubject] = ticket.subject
        v[.ticketStatus] = named?.status(state.status) ?? english?.status(state.status) ?? state.status.rawValue
        v[.ticketPriority] = named?.priority(state.priority) ?? english?.priority(state.priority) ?? state.priority.rawValue
        v[.ticketQueue] = queue
        v[.ticketURL] = macroContext.url(ticket.number)
        v[.customerEmail] = ticket.requester
        v[.customerName] = details?.customerName
        let me = Address.normalised(agent)
        v[.agentName] = (agents?.agents[me] ?? nil) ?? me
        v[.reopenDays] = String(reopenWindowDays)
        v[.slaDue] = details?.resolutionDue.map(Self.dueText)
        return v
    }

    /// "2026-12-08 09:00 UTC", as notifications write a deadline.
    public static func dueText(_ date: Date) -> String {
        UTCTimestamp.iso(date, milliseconds: false).replacingOccurrences(of: "T", with: " ").prefix(16) + " UTC"
    }

    /// Sent to `support+N-note@…` (the address notices name for notes).
    func isNoteAddressed(_ facts: InboundFacts, ticket number: Int) -> Bool {
        let notes = Set(plusAddressBases.compactMap { base -> String? in
            let b = Address.normalised(base)
            guard let at = b.lastIndex(of: "@") else { return nil }
            return "\(b[..<at])+\(number)-note\(b[at...])"
        })
        return (facts.to + facts.cc + facts.deliveredTo).contains { notes.contains(Address.normalised($0)) }
    }
}
