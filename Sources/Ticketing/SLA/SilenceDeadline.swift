import Foundation

/// When silence ends a ticket: `pending` with no customer message and no status change for
/// `auto_resolve_after` (per queue) is resolved; `resolved` for `auto_close_after` is closed.
/// Worked out from the same history as the SLA clocks and stored with them, so the scheduler
/// reads only tickets whose deadline has come (an index), never every pending ticket.
public struct SilenceDeadline: Equatable, Sendable {
    public enum Action: String, Sendable {
        case resolve, close
    }

    public var action: Action
    /// The last status change or customer message.
    public var since: Date
    public var seconds: Int
    public var at: Date { since + TimeInterval(seconds) }

    public init(action: Action, since: Date, seconds: Int) {
        self.action = action
        self.since = since
        self.seconds = seconds
    }

    /// The deadline of a ticket now in `status`, from its history; nil when its status has no
    /// silence rule, the rule is 0 (never), or there is no history. Auto-replies are no facts,
    /// so they neither stop nor restart the wait.
    public static func of(_ facts: [SLAFact], status: TicketStatus, queue: String, settings: SLASettings) -> SilenceDeadline? {
        let seconds: Int, action: Action
        switch status {
        case .pending: (seconds, action) = (settings.autoResolveSeconds(queue: queue), .resolve)
        case .resolved: (seconds, action) = (settings.autoCloseAfter, .close)
        default: return nil
        }
        guard seconds > 0 else { return nil }
        let since = facts.lazy.filter {
            switch $0.kind {
            case .created, .status, .customerWrote: return true
            case .agentReplied: return false
            }
        }.map(\.at).max()
        return since.map { SilenceDeadline(action: action, since: $0, seconds: seconds) }
    }
}
