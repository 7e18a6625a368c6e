/// Who works each queue: "the queue's agents" of notifications (new tickets nobody holds,
/// notes, urgent, SLA alerts for unassigned tickets). Built once per config from `queues[].agents`
/// and `queues[].groups`; a queue that names neither (or an unknown queue) has every agent, so a
/// config without membership behaves as before.
public struct QueueMembers: Sendable, Equatable {
    /// Every agent's address, normalised, sorted.
    public let everyone: [String]
    /// The queues that name their agents: normalised, sorted, never empty.
    public let byQueue: [String: [String]]

    public init(agents: [String] = [], queues: [String: [String]] = [:]) {
        everyone = Set(agents.map(Address.normalised)).sorted()
        byQueue = queues.compactMapValues { list in
            let members = Set(list.map(Address.normalised)).sorted()
            return members.isEmpty ? nil : members
        }
    }

    /// The agents of `queue`: its members when it names any, else every agent.
    public func agents(of queue: String?) -> [String] {
        queue.flatMap { byQueue[$0] } ?? everyone
    }

    /// Whether `queue` names its own agents (rather than falling back to every agent).
    public func namesMembers(_ queue: String) -> Bool { byQueue[queue] != nil }
}
