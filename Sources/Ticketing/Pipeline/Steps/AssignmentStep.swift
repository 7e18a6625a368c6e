/// Step 4: who takes the ticket, when a rule asked (`assign`). Only an unassigned ticket is
/// assigned; when nobody named is on duty the ticket waits (`routing.waiting`) and the daemon
/// assigns it on a later poll, once someone comes on duty.
public struct AssignmentStep: IntakeStep {
    public var assigner: Assigner
    public var customers: CustomerDirectory

    public init(assigner: Assigner, customers: CustomerDirectory) {
        self.assigner = assigner
        self.customers = customers
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard let target = plan.routing.assign, !plan.routing.spam else { return }
        if let holder = plan.state.assignee {
            // A rule never takes a ticket from its agent; said (rules test, the log), not silent.
            let note = "assign=\(target) not applied: the ticket is assigned to \(holder) (assign only assigns unassigned tickets)"
            plan.routing.assignment = note
            plan.routing.skipped.append(note)
            return
        }
        let requester = plan.ticket?.requester ?? plan.sender
        let reads = Assigner.reads(target)
        let context = Assigner.Context(accountManager: customers.profile(for: requester)?.agent,
                                       lastAgent: reads.lastAgent ? view.lastAgent(forRequester: requester) : nil,
                                       lastInRotation: reads.rotation ? view.rotation() : [:])
        let loads = view.agentLoads(of: assigner.candidates(for: target, context: context))
        let decision = assigner.assign(target, context: context, loads: loads, at: input.now)
        plan.routing.assignment = decision.reasoning
        if let agent = decision.assignee {
            plan.state.assignee = agent
            plan.events.append(TicketEvent(kind: .assignee, old: nil, new: agent, actor: "system", reason: decision.reasoning, at: input.now))
            plan.routing.rotation = decision.rotation.map { RoutingPlan.Rotation(group: $0.group, agent: $0.agent) }
        } else {
            plan.routing.waiting = decision.waiting
        }
    }
}
