/// The path a message takes, as an explicit list of steps: thread decision → lifecycle
/// reaction → (rules → assignment) → notifications. New behaviour is a new step, inserted
/// where it belongs; the daemon applies the resulting plan in the message's one transaction,
/// and a dry run prints the very same plan without writing.
public struct IntakePipeline: Sendable {
    public var steps: [any IntakeStep]

    public init(steps: [any IntakeStep]) { self.steps = steps }

    /// Runs every step in order. A step that leaves the message held or dropped ends the run:
    /// such a message changes no ticket and causes no mail. So does one that took the message
    /// whole (`complete`, a rating).
    public func plan(_ input: PipelineInput, view: any PipelineView) -> TicketPlan {
        var plan = TicketPlan(sender: input.sender)
        for step in steps {
            step.apply(input, view: view, plan: &plan)
            if !plan.changesTicket || plan.complete { break }
        }
        return plan
    }

    /// The index of the first step of type `T`, for inserting a step before or after it.
    public func index<T: IntakeStep>(of type: T.Type) -> Int? {
        steps.firstIndex { $0 is T }
    }
}
