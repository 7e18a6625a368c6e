/// One decision of the intake, as a pure function from the facts (message, the ticket as it
/// was, the store's read-only view, the time in `input.now`) to changes in the plan.
/// Steps run in order; each sees what the steps before it planned.
public protocol IntakeStep: Sendable {
    func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan)
}
