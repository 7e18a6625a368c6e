import Foundation

/// The state a reaction starts from.
public struct TicketState: Sendable, Equatable {
    public var status: TicketStatus
    public var priority: TicketPriority
    public var assignee: String?
    public var resolvedAt: Date?

    public init(status: TicketStatus, priority: TicketPriority = .normal, assignee: String? = nil, resolvedAt: Date? = nil) {
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.resolvedAt = resolvedAt
    }
}

/// What a message does to its ticket: the state after, the events to store, and anything refused.
public struct LifecycleReaction: Sendable, Equatable {
    public var state: TicketState
    public var events: [TicketEvent]
    /// Commands that could not be applied, to tell the agent.
    public var refused: [String]
    /// The reply cannot join: the ticket is closed or past the reopen window. Open a linked ticket instead.
    public var startsNewTicket: Bool

    public var changed: Bool { !events.isEmpty }
}

extension Lifecycle {
    /// How the ticket reacts to an inbound message that joined it.
    ///
    /// Automatic mail (auto-replies, bounces) never changes anything. A customer reply moves `pending`
    /// and `resolved` to `open` (within `reopenWindow` of resolving); a reply to `closed`, or to `resolved`
    /// after the window, starts a new ticket. An agent reply moves `new` to `open`, then the agent's
    /// commands apply in order; commands from anyone else are ignored by the caller (never parsed).
    public func react(_ state: TicketState, messageClass: MessageClass, actor: ActorKind, actorAddress: String,
                      commands: [AgentCommand] = [], reopenWindow: TimeInterval = 14 * 86_400, at now: Date) -> LifecycleReaction {
        var reaction = LifecycleReaction(state: state, events: [], refused: [], startsNewTicket: false)
        guard messageClass.changesStatus else { return reaction }
        let who = actorAddress.isEmpty ? actor.rawValue : Address.normalised(actorAddress)
        switch actor {
        case .customer, .system:
            switch state.status {
            case .closed:
                reaction.startsNewTicket = true
            case .resolved:
                if let resolvedAt = state.resolvedAt, now.timeIntervalSince(resolvedAt) > reopenWindow {
                    reaction.startsNewTicket = true
                } else {
                    move(&reaction, to: .open, actor: who, reason: "customer replied within reopen window", at: now)
                }
            case .pending:
                move(&reaction, to: .open, actor: who, reason: "customer replied", at: now)
            case .new, .open:
                break
            }
        case .agent:
            if state.status == .new { move(&reaction, to: .open, actor: who, reason: "agent replied", at: now) }
            for command in commands { apply(command, to: &reaction, actor: who, at: now) }
        }
        return reaction
    }

    /// The state and events of a ticket a message has just opened; an agent's commands apply too.
    public func opening(actor: ActorKind, actorAddress: String, commands: [AgentCommand] = [], at now: Date) -> LifecycleReaction {
        var reaction = LifecycleReaction(state: TicketState(status: .new), events: [], refused: [], startsNewTicket: false)
        let who = actorAddress.isEmpty ? actor.rawValue : Address.normalised(actorAddress)
        reaction.events.append(TicketEvent(kind: .status, old: nil, new: TicketStatus.new.rawValue, actor: who, reason: "created by mail", at: now))
        if actor == .agent { for command in commands { apply(command, to: &reaction, actor: who, at: now) } }
        return reaction
    }

    private func apply(_ command: AgentCommand, to reaction: inout LifecycleReaction, actor: String, at now: Date) {
        switch command {
        case let .status(status):
            guard allows(from: reaction.state.status, to: status) else {
                reaction.refused.append("status \(reaction.state.status.rawValue) → \(status.rawValue) not allowed")
                return
            }
            move(&reaction, to: status, actor: actor, reason: "agent command", at: now)
        case let .priority(priority):
            guard priority != reaction.state.priority else { return }
            reaction.events.append(TicketEvent(kind: .priority, old: reaction.state.priority.rawValue, new: priority.rawValue,
                                               actor: actor, reason: "agent command", at: now))
            reaction.state.priority = priority
        case let .assign(address):
            guard address != reaction.state.assignee else { return }
            reaction.events.append(TicketEvent(kind: .assignee, old: reaction.state.assignee, new: address,
                                               actor: actor, reason: "agent command", at: now))
            reaction.state.assignee = address
        case .unassign:
            guard let old = reaction.state.assignee else { return }
            reaction.events.append(TicketEvent(kind: .assignee, old: old, new: nil, actor: actor, reason: "agent command", at: now))
            reaction.state.assignee = nil
        case .cc, .note, .macro, .merge, .link:
            // Participants, notes, links and merges, not the ticket's state: the lifecycle step records them.
            return
        }
    }

    private func move(_ reaction: inout LifecycleReaction, to status: TicketStatus, actor: String, reason: String, at now: Date) {
        let old = reaction.state.status
        guard old != status, allows(from: old, to: status) else { return }
        reaction.events.append(TicketEvent(kind: .status, old: old.rawValue, new: status.rawValue, actor: actor, reason: reason, at: now))
        reaction.state.status = status
        if status == .resolved { reaction.state.resolvedAt = now }
    }
}
