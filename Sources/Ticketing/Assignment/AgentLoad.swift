import Foundation

/// What the store knows of an agent's work, for `least_open` and capacity checks.
public struct AgentLoad: Sendable, Equatable {
    /// Tickets assigned to the agent that are new, open or pending.
    public var open: Int
    /// When a ticket was last assigned to the agent (nil: never).
    public var lastAssignedAt: Date?

    public init(open: Int = 0, lastAssignedAt: Date? = nil) {
        self.open = open
        self.lastAssignedAt = lastAssignedAt
    }
}
