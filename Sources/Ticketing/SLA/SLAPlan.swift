/// What the SLA step decided for a ticket: its policy, the new facts this message adds to the
/// ticket's history, and where each clock stands after it.
public struct SLAPlan: Sendable, Equatable {
    /// The policy a rule asked for (kept, so a later priority change does not undo it).
    public var requested: String?
    /// The policy in force; nil: the ticket has no promise.
    public var policy: String?
    /// Facts to record as events (`customerWrote`, `agentReplied`); status facts are the plan's events.
    public var newFacts: [SLAFact]
    public var states: [SLATargetState]
    /// When silence resolves or closes the ticket (nil: it does not).
    public var silence: SilenceDeadline?

    public init(requested: String?, policy: String?, newFacts: [SLAFact], states: [SLATargetState], silence: SilenceDeadline? = nil) {
        self.requested = requested
        self.policy = policy
        self.newFacts = newFacts
        self.states = states
        self.silence = silence
    }

    public func state(_ target: SLATarget) -> SLATargetState? { states.first { $0.target == target } }
}

/// A ticket's stored SLA history, as the pipeline's view reads it.
public struct SLAHistory: Sendable, Equatable {
    public var facts: [SLAFact]
    /// The policy a rule asked for earlier.
    public var requested: String?

    public init(facts: [SLAFact], requested: String?) {
        self.facts = facts
        self.requested = requested
    }
}
