/// One thing a matching rule does (`then`).
public enum RuleAction: Sendable, Equatable, CustomStringConvertible {
    case queue(String)
    case priority(TicketPriority)
    case status(TicketStatus)
    /// Added to the ticket's tags.
    case tags([String])
    /// One per ticket (a later rule replaces it), for reports.
    case category(String)
    case assign(AssignTarget)
    /// Addresses added as participants who get the replies.
    case cc([String])
    /// `false` suppresses the acknowledgement to the customer.
    case acknowledge(Bool)
    /// An SLA policy name (applied by the SLA work; stored now).
    case sla(String)
    /// Stored, closed, tagged `spam`, and no mail at all.
    case spam

    /// The config keys of `then`, in the order they are applied and printed.
    public static let names = ["queue", "priority", "status", "tags", "category", "assign", "cc", "acknowledge", "sla", "spam"]

    public var description: String {
        switch self {
        case .queue(let q): return "queue=\(q)"
        case .priority(let p): return "priority=\(p.rawValue)"
        case .status(let s): return "status=\(s.rawValue)"
        case .tags(let t): return "tags+=\(t.joined(separator: ","))"
        case .category(let c): return "category=\(c)"
        case .assign(let target): return "assign=\(target)"
        case .cc(let list): return "cc+=\(list.joined(separator: ","))"
        case .acknowledge(let on): return "acknowledge=\(on)"
        case .sla(let policy): return "sla=\(policy)"
        case .spam: return "spam"
        }
    }
}

/// Whom an `assign` action names: one agent, or a group and how to pick from it.
public enum AssignTarget: Sendable, Equatable, CustomStringConvertible {
    case agent(String)
    case group(String, strategy: AssignStrategy, prefer: AssignPreference?)

    public var description: String {
        switch self {
        case .agent(let email): return email
        case .group(let name, let strategy, let prefer):
            return "group:\(name)/\(strategy.rawValue)" + (prefer.map { "/prefer:\($0.rawValue)" } ?? "")
        }
    }
}

public enum AssignStrategy: String, Sendable, Equatable, CaseIterable {
    case roundRobin = "round_robin"
    case leastOpen = "least_open"
}

public enum AssignPreference: String, Sendable, Equatable, CaseIterable {
    case accountManager = "account_manager"
    case lastAgent = "last_agent"
}
