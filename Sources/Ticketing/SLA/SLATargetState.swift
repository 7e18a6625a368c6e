import Foundation

/// Where one target of a ticket stands.
public struct SLATargetState: Equatable, Sendable {
    public enum Phase: String, Sendable {
        /// The clock counts.
        case running
        /// Frozen (a pause status such as `pending`); it resumes where it stopped.
        case paused
        /// Done: met at `metAt` (in time or late, see `breachedAt`).
        case met
        /// Nothing to answer any more (resolved or closed before a reply).
        case stopped
    }

    public var target: SLATarget
    public var phase: Phase
    /// When this cycle of the clock started: creation, or the customer message waiting for an answer.
    public var cycleStart: Date
    /// The deadline: known while running and once passed; nil while paused before it.
    public var due: Date?
    /// When the warning is due (`warn_at` of the target used); nil as for `due`.
    public var warnAt: Date?
    public var metAt: Date?
    /// The deadline, once it passed unmet (or was met late).
    public var breachedAt: Date?
    /// Working seconds counted so far (up to `metAt` when met).
    public var usedSeconds: Int
    public var targetSeconds: Int

    public var remainingSeconds: Int { targetSeconds - usedSeconds }
    public var isBreached: Bool { breachedAt != nil }
}
