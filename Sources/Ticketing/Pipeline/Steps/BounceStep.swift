/// A bounce on a ticket: which recipients failed and how (permanent failures stop our mail to them).
public struct BounceStep: IntakeStep {
    /// Our own addresses, never taken as the failed recipient.
    public var ownAddresses: Set<String>

    public init(ownAddresses: Set<String>) { self.ownAddresses = ownAddresses }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard input.messageClass == .bounce, let bounce = input.facts.bounce else { return }
        plan.bounce = BounceReport.interpret(bounce, ignoring: ownAddresses)
    }
}
