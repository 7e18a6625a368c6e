import Foundation

/// Picks the agent for a ticket, purely: the roster, the loads and the time come in, a decision
/// goes out. Only agents on duty are picked (working hours in their own time zone, not away,
/// under `max_open`); when none is, the ticket waits unassigned and the daemon asks again.
public struct Assigner: Sendable, Equatable {
    public var agents: [AgentProfile]

    public init(agents: [AgentProfile]) {
        self.agents = agents
    }

    /// The facts about one ticket's requester that preferences use.
    public struct Context: Sendable, Equatable {
        /// The customer's account manager (customers list).
        public var accountManager: String?
        /// The agent who last handled this requester.
        public var lastAgent: String?
        /// Round robin: the agent last assigned in each group.
        public var lastInRotation: [String: String]

        public init(accountManager: String? = nil, lastAgent: String? = nil, lastInRotation: [String: String] = [:]) {
            self.accountManager = accountManager
            self.lastAgent = lastAgent
            self.lastInRotation = lastInRotation
        }
    }

    /// The agents whose loads `assign(target, …)` reads: for `least_open` the group's members
    /// and the preferred agent; otherwise only those of them with a `max_open` (a load decides
    /// nothing else). Loads are read per agent, not for every assignee.
    public func candidates(for target: AssignTarget, context: Context) -> [String] {
        let emails: [String]
        switch target {
        case .agent(let email): emails = [email]
        case .group(let group, _, let prefer):
            let preferred = prefer.flatMap { $0 == .accountManager ? context.accountManager : context.lastAgent }
            let members = members(of: group).map(\.email)
            emails = preferred.map { members.contains($0) ? members : members + [$0] } ?? members
        }
        if case .group(_, .leastOpen, _) = target { return emails }
        return emails.filter { email in agents.contains { $0.email == email && $0.maxOpen != nil } }
    }

    /// Which of a context's facts deciding `target` reads (the others need not be looked up):
    /// the requester's last agent only for `prefer: last_agent`, the rotation only for round robin.
    public static func reads(_ target: AssignTarget) -> (lastAgent: Bool, rotation: Bool) {
        guard case .group(_, let strategy, let prefer) = target else { return (false, false) }
        return (prefer == .lastAgent, strategy == .roundRobin)
    }

    public func members(of group: String) -> [AgentProfile] {
        agents.filter { $0.groups.contains(group) }
    }

    public func assign(_ target: AssignTarget, context: Context, loads: [String: AgentLoad], at date: Date) -> AssignmentDecision {
        func duty(_ agent: AgentProfile) -> String? { agent.offDuty(at: date, open: loads[agent.email]?.open ?? 0) }
        let when = UTCTimestamp.iso(date, milliseconds: false)
        switch target {
        case .agent(let email):
            guard let agent = agents.first(where: { $0.email == email }) else {
                return AssignmentDecision(assignee: nil, waiting: nil, reasoning: "\(email) is not an agent (any more)")
            }
            if let why = duty(agent) {
                return AssignmentDecision(assignee: nil, waiting: target, reasoning: "\(email) at \(when): \(why); waits unassigned")
            }
            return AssignmentDecision(assignee: email, waiting: nil, reasoning: "\(email) at \(when): on duty")
        case .group(let group, let strategy, let prefer):
            var notes: [String] = []
            if let prefer {
                let wanted = prefer == .accountManager ? context.accountManager : context.lastAgent
                if let wanted, let agent = agents.first(where: { $0.email == wanted }) {
                    if let why = duty(agent) {
                        notes.append("\(prefer.rawValue) \(wanted) \(why)")
                    } else {
                        return AssignmentDecision(assignee: wanted, waiting: nil,
                                                  reasoning: "\(prefer.rawValue) at \(when): \(wanted) on duty → \(wanted)")
                    }
                } else {
                    notes.append("no \(prefer.rawValue)")
                }
            }
            let members = members(of: group)
            var onDuty: [AgentProfile] = []
            for agent in members {
                if let why = duty(agent) { notes.append("\(agent.email) \(why)") } else { onDuty.append(agent) }
            }
            let head = "\(strategy.rawValue) in \(group) at \(when)"
            guard !onDuty.isEmpty else {
                notes.append(members.isEmpty ? "the group has no agents" : "nobody on duty")
                return AssignmentDecision(assignee: nil, waiting: target, reasoning: "\(head): \(notes.joined(separator: "; ")); waits unassigned")
            }
            let chosen: AgentProfile
            switch strategy {
            case .roundRobin:
                chosen = Assigner.next(after: context.lastInRotation[group], in: members, onDuty: onDuty)
                notes.append("after \(context.lastInRotation[group] ?? "nobody yet")")
            case .leastOpen:
                chosen = onDuty.min { a, b in Assigner.lighter(loads[a.email] ?? AgentLoad(), than: loads[b.email] ?? AgentLoad()) }!
                notes += onDuty.map { "\($0.email) \(loads[$0.email]?.open ?? 0) open" }
            }
            return AssignmentDecision(assignee: chosen.email, waiting: nil,
                                      rotation: strategy == .roundRobin ? (group, chosen.email) : nil,
                                      reasoning: "\(head): \(notes.joined(separator: "; ")) → \(chosen.email)")
        }
    }

    /// The first on-duty member after `last` in the group's order, wrapping around.
    static func next(after last: String?, in members: [AgentProfile], onDuty: [AgentProfile]) -> AgentProfile {
        let start = last.flatMap { l in members.firstIndex { $0.email == l } }.map { $0 + 1 } ?? 0
        for step in 0..<members.count {
            let candidate = members[(start + step) % members.count]
            if onDuty.contains(where: { $0.email == candidate.email }) { return candidate }
        }
        return onDuty[0]
    }

    /// Fewer open tickets first; on a tie, the one who waited longest since their last assignment.
    static func lighter(_ a: AgentLoad, than b: AgentLoad) -> Bool {
        if a.open != b.open { return a.open < b.open }
        switch (a.lastAssignedAt, b.lastAssignedAt) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): return x < y
        }
    }
}
