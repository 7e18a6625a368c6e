/// The store as the pipeline sees it: read-only. The daemon implements it over SQLite, a dry run
/// over the same store without writing, tests over dictionaries. Steps that need more facts of
/// the store (loads, history) add requirements here rather than reading the store themselves.
public protocol PipelineView: ThreadLookup {
    /// The SLA-relevant history of a ticket (creation, status changes, customer messages, relayed
    /// replies) and the policy a rule asked for; nil when unknown.
    func slaHistory(ticket number: Int) -> SLAHistory?
}

extension PipelineView {
    public func slaHistory(ticket number: Int) -> SLAHistory? { nil }
}
