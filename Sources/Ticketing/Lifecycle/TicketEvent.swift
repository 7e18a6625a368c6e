import Foundation

/// Who caused a change.
public enum ActorKind: String, Sendable, Equatable {
    case customer, agent, system
}

/// One change to a ticket, stored as an event row: type, old and new value, actor, reason, time.
public struct TicketEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case status, priority, assignee, queue
    }

    public var kind: Kind
    public var old: String?
    public var new: String?
    /// The actor's address, or "system".
    public var actor: String
    public var reason: String
    public var at: Date

    public init(kind: Kind, old: String?, new: String?, actor: String, reason: String, at: Date) {
        self.kind = kind
        self.old = old
        self.new = new
        self.actor = actor
        self.reason = reason
        self.at = at
    }
}
