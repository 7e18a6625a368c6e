/// The outcome of one assignment: who (or nobody yet), and the reasoning `rules test` prints.
public struct AssignmentDecision: Sendable, Equatable {
    public var assignee: String?
    /// The target when nobody could take the ticket now: the daemon retries it each poll.
    public var waiting: AssignTarget?
    /// For round robin: the group and the agent now last in its rotation (to persist).
    public var rotation: (group: String, agent: String)?
    /// One line: the strategy, each candidate with why it was or was not taken, the choice.
    public var reasoning: String

    public init(assignee: String?, waiting: AssignTarget?, rotation: (group: String, agent: String)? = nil, reasoning: String) {
        self.assignee = assignee
        self.waiting = waiting
        self.rotation = rotation
        self.reasoning = reasoning
    }

    public static func == (a: AssignmentDecision, b: AssignmentDecision) -> Bool {
        a.assignee == b.assignee && a.waiting == b.waiting && a.rotation?.group == b.rotation?.group
            && a.rotation?.agent == b.rotation?.agent && a.reasoning == b.reasoning
    }
}
