import Foundation

/// Per-mailbox connection health: capped exponential backoff with jitter, and state changes
/// reported once (so a dead server gives one log line, not one per poll).
public struct MailboxHealth: Sendable {
    public enum State: String, Sendable { case ok, failing }
    public private(set) var state: State = .ok
    public private(set) var consecutiveFailures = 0
    public private(set) var nextAttemptAt: Int64 = 0
    public private(set) var lastError: String?
    /// The kind of the last failure (a store condition such as `store-full`, or the error text).
    public private(set) var lastKind: String?

    public let baseDelay: Int64
    public let maxDelay: Int64

    public init(baseDelay: Int64 = 5, maxDelay: Int64 = 600) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public func due(now: Int64) -> Bool { now >= nextAttemptAt }

    /// Records a success; returns true when this is a change of state (recovery).
    public mutating func succeeded(now: Int64) -> Bool {
        let changed = state != .ok
        state = .ok
        consecutiveFailures = 0
        nextAttemptAt = now
        lastError = nil
        lastKind = nil
        return changed
    }

    /// Records a failure and schedules the next try; returns true when the state or the
    /// kind of error changed (worth a log line).
    /// `kind`: what counts as the same failure for logging (default: the same error text).
    public mutating func failed(now: Int64, error: String, kind: String? = nil, permanent: Bool, jitter: Double) -> Bool {
        let kind = kind ?? error
        let changed = state != .failing || lastKind != kind
        state = .failing
        consecutiveFailures += 1
        lastError = error
        lastKind = kind
        let exponent = min(consecutiveFailures - 1, 16)
        var delay = min(maxDelay, baseDelay << Int64(exponent))
        if permanent { delay = maxDelay }
        // Jitter in [0.5, 1.0] of the delay, so many postdesks do not hammer a server in step.
        delay = max(1, Int64(Double(delay) * (0.5 + 0.5 * min(max(jitter, 0), 1))))
        nextAttemptAt = now + delay
        return changed
    }
}
