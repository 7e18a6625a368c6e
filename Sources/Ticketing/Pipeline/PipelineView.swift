import Foundation

/// The store as the pipeline sees it: read-only. The daemon implements it over SQLite, a dry run
/// over the same store without writing, tests over dictionaries. Steps that need more facts of
/// the store (loads, history) add requirements here rather than reading the store themselves.
public protocol PipelineView: ThreadLookup {
    /// These agents' new+open+pending tickets and last assignment (assignment).
    func agentLoads(of agents: [String]) -> [String: AgentLoad]
    /// The agent who last handled tickets of this requester (assignment's `prefer: last_agent`).
    func lastAgent(forRequester address: String) -> String?
    /// Round robin: the agent last assigned in each group.
    func rotation() -> [String: String]
    /// The SLA-relevant history of a ticket (creation, status changes, customer messages, relayed
    /// replies) and the policy a rule asked for; nil when unknown.
    func slaHistory(ticket number: Int) -> SLAHistory?
    /// The language stored on a ticket (routing), nil when it has none; one read (rules ask it
    /// on every follow-up, `details` costs several).
    func language(ofTicket number: Int) -> String?
    /// Name, language and resolution deadline of a ticket, for canned answers.
    func details(ticket number: Int) -> TicketDetails?
}

extension PipelineView {
    // A view that knows no history (tests of other steps): nobody is loaded, nothing rotated.
    public func agentLoads(of agents: [String]) -> [String: AgentLoad] { [:] }
    public func lastAgent(forRequester address: String) -> String? { nil }
    public func rotation() -> [String: String] { [:] }
    public func slaHistory(ticket number: Int) -> SLAHistory? { nil }
    public func language(ofTicket number: Int) -> String? { nil }
    public func details(ticket number: Int) -> TicketDetails? { nil }
}
