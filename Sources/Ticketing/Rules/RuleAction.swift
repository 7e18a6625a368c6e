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

extension AssignTarget {
    /// Reads back what `description` wrote (a waiting assignment is stored that way).
    public init?(stored text: String) {
        guard text.hasPrefix("group:") else {
            guard text.contains("@") else { return nil }
            self = .agent(text)
            return
        }
        let parts = text.dropFirst("group:".count).split(separator: "/").map(String.init)
        guard parts.count >= 2, let strategy = AssignStrategy(rawValue: parts[1]) else { return nil }
        var prefer: AssignPreference?
        if parts.count == 3 {
            guard parts[2].hasPrefix("prefer:"), let p = AssignPreference(rawValue: String(parts[2].dropFirst("prefer:".count))) else { return nil }
            prefer = p
        }
        self = .group(parts[0], strategy: strategy, prefer: prefer)
    }
}
