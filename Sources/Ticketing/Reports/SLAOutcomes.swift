/// How each SLA target of one ticket ended, packed as the store keeps it beside the ticket's
/// other report figures (`ticket_metrics.sla_outcomes`, kept by triggers on `ticket_sla`), so a
/// report counts met and breached targets in its one scan instead of joining the clocks.
/// Three bits per target, in `targets` order from bit 0: has a clock, met, breached.
public struct SLAOutcomes: Sendable, Equatable {
    /// The targets, in bit order (and in the report's order).
    public static let targets = ["first_response", "next_response", "resolution"]

    public enum Outcome: Sendable {
        /// A clock that is neither met nor breached (running, paused or stopped).
        case undecided
        /// Met before its deadline.
        case met
        /// Breached, whether met later or not.
        case breached
    }

    public var bits: Int

    public init(bits: Int = 0) { self.bits = bits }

    /// Outcomes by target name (one of `targets`).
    public init(_ outcomes: [String: Outcome]) {
        bits = 0
        for (target, outcome) in outcomes {
            guard let k = Self.targets.firstIndex(of: target) else { continue }
            let flags = switch outcome { case .undecided: 1; case .met: 3; case .breached: 5 }
            bits |= flags << (3 * k)
        }
    }

    /// The outcome of target `k` (an index into `targets`), nil when the ticket has no such clock.
    public func outcome(_ k: Int) -> Outcome? {
        let flags = bits >> (3 * k)
        guard flags & 1 != 0 else { return nil }
        return flags & 4 != 0 ? .breached : flags & 2 != 0 ? .met : .undecided
    }
}
