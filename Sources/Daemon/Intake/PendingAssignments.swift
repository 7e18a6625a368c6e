import Foundation
import Store
import Ticketing

/// Tickets that arrived when nobody they were meant for was on duty wait unassigned in their
/// queue; each poll this looks again, through the injected clock, and assigns each one as soon
/// as someone can take it. A ticket is assigned this way at most once: the wait is cleared then,
/// and also when someone assigned, closed or resolved it meanwhile.
struct PendingAssignments {
    let db: Database
    let config: Config
    let clock: any Clock
    let log: Log
    /// Queues the assignment mails (to the agent, and the customer's "a specialist has been
    /// assigned") in the assignment's transaction, as an assignment by mail does; nil sends none.
    var notifier: Notifier? = nil

    /// Returns how many tickets were assigned.
    @discardableResult
    func tick() -> Int {
        let tickets = TicketStore(db: db)
        let assigner = MessageRouter.assigner(config)
        var assigned = 0
        do {
            let waiting = try tickets.waitingForAssignment()
            guard !waiting.isEmpty else { return 0 }
            let now = clock.now()
            let seconds = clock.unixSeconds()
            for (stale, text) in waiting {
                try db.transaction {
                    // Read again inside the transaction: an agent (or `postdesk set`, another
                    // process) may have assigned or closed it since the list was read.
                    guard let ticket = try tickets.ticket(id: stale.id), try tickets.routing(ticketID: stale.id).assignPending != nil else { return }
                    guard ticket.assignee == nil, [.new, .open, .pending].contains(ticket.status) else {
                        try tickets.setAssignPending(ticketID: ticket.id, target: nil)
                        return
                    }
                    guard let target = AssignTarget(stored: text), isKnown(target) else {
                        try tickets.setAssignPending(ticketID: ticket.id, target: nil)
                        log.warning("assign.dropped", ["ticket": ticket.number, "target": text, "reason": "no such agent or group any more"])
                        return
                    }
                    let reads = Assigner.reads(target)
                    let context = Assigner.Context(accountManager: config.customers.profile(for: ticket.requester)?.agent,
                                                   lastAgent: try reads.lastAgent ? tickets.lastAgent(forRequester: ticket.requester) : nil,
                                                   lastInRotation: try reads.rotation ? tickets.rotation() : [:])
                    let loads = try tickets.agentLoads(of: assigner.candidates(for: target, context: context))
                    let decision = assigner.assign(target, context: context, loads: loads, at: now)
                    guard let agent = decision.assignee else { return }
                    try tickets.setField(ticketID: ticket.id, field: "assignee", old: nil, new: agent, actor: "system",
                                         reason: "came on duty: " + decision.reasoning, now: seconds)
                    try tickets.setAssignPending(ticketID: ticket.id, target: nil)
                    if let r = decision.rotation { try tickets.setRotation(group: r.group, lastAgent: r.agent, now: seconds) }
                    try announce(ticketID: ticket.id, agent: agent, tickets: tickets, now: seconds)
                    assigned += 1
                    log.info("assign.on_duty", ["ticket": ticket.number, "assignee": agent])
                }
            }
        } catch {
            log.warning("assign.tick_failed", ["error": "\(error)"])
        }
        return assigned
    }

    /// The `assigned` and `assigned-customer` notifications, each as `notifications` configures it.
    private func announce(ticketID: Int64, agent: String, tickets: TicketStore, now: Int64) throws {
        guard let notifier, let ticket = try tickets.ticket(id: ticketID) else { return }
        let agents = Set(config.agents.map { Address.normalised($0.email) })
        for event in [NotificationEvent.assigned, .assignedCustomer] {
            let rule = config.notifications.policy.rule(event, queue: ticket.queue)
            guard rule.enabled else { continue }
            var to: [String] = []
            for role in rule.recipients {
                switch role {
                case .requester: to.append(ticket.requester)
                case .cc: to += try tickets.participants(ticketID: ticket.id).filter { $0.role == "cc" }.map(\.address)
                case .assignee, .assigneeOrQueue: to.append(agent)
                case .queue: to += config.queueMembers.agents(of: ticket.queue)
                }
            }
            var seen: Set<String> = []
            to = to.map(Address.normalised).filter { !$0.isEmpty && !(event.isForCustomer && agents.contains($0)) && seen.insert($0).inserted }
            guard !to.isEmpty else { continue }
            try notifier.queue(PlannedMail(event: event, to: to, agent: agent), ticket: ticket, tickets: tickets,
                               outbox: OutboxStore(db: db), now: now)
        }
    }

    private func isKnown(_ target: AssignTarget) -> Bool {
        switch target {
        case .agent(let email): return config.agents.contains { $0.email == email }
        case .group(let name, _, _): return config.groups.contains { $0.name == name }
        }
    }
}
