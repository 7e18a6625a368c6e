import Foundation

/// Everything the SLA part takes from config: the policies, which applies to a ticket, which
/// statuses freeze the clocks, and when silent tickets are resolved and closed.
public struct SLASettings: Equatable, Sendable {
    public var policies: [String: SLAPolicy]
    /// `sla_defaults`: keys `<priority>`, `<queue>/<priority>`, `<queue>/*` and `*`, to a policy name.
    public var defaults: [String: String]
    public var pauseStatuses: Set<TicketStatus>
    /// Seconds a `pending` ticket waits for the customer before it is resolved; per queue with
    /// `*` for the rest; 0 = never.
    public var autoResolveAfter: [String: Int]
    /// Seconds a `resolved` ticket stays so before it is closed; 0 = never.
    public var autoCloseAfter: Int

    public static let defaultAutoResolve = 7 * 86_400

    public init(policies: [String: SLAPolicy] = [:], defaults: [String: String] = [:], pauseStatuses: Set<TicketStatus> = [.pending],
                autoResolveAfter: [String: Int] = ["*": SLASettings.defaultAutoResolve], autoCloseAfter: Int = 14 * 86_400) {
        self.policies = policies
        self.defaults = defaults
        self.pauseStatuses = pauseStatuses
        self.autoResolveAfter = autoResolveAfter
        self.autoCloseAfter = autoCloseAfter
    }

    /// The policy for a ticket: the one a rule asked for, else the most specific default for its
    /// queue and priority (`billing/urgent`, `billing/*`, `urgent`, `*`). Nil: no promise.
    public func policy(requested: String?, queue: String, priority: TicketPriority) -> SLAPolicy? {
        if let requested, let policy = policies[requested] { return policy }
        for key in ["\(queue)/\(priority.rawValue)", "\(queue)/*", priority.rawValue, "*"] {
            if let name = defaults[key] { return policies[name] }
        }
        return nil
    }

    public func autoResolveSeconds(queue: String) -> Int {
        autoResolveAfter[queue] ?? autoResolveAfter["*"] ?? Self.defaultAutoResolve
    }

    public func clock(_ policy: SLAPolicy) -> SLAClock { SLAClock(policy: policy, pauseStatuses: pauseStatuses) }
}
