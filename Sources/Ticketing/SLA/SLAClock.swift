import Foundation

/// The SLA arithmetic: from a ticket's history, a policy and the time, where each target stands.
/// Time counts only inside the policy's calendar and only while the ticket is in a counting
/// status: not in `pauseStatuses` (the team waits on the customer), and not resolved or closed.
/// Pure: the same history always gives the same answer, so a changed policy is applied by
/// evaluating the history again.
public struct SLAClock: Sendable {
    public var policy: SLAPolicy
    public var pauseStatuses: Set<TicketStatus>

    public init(policy: SLAPolicy, pauseStatuses: Set<TicketStatus> = [.pending]) {
        self.policy = policy
        self.pauseStatuses = pauseStatuses
    }

    /// Each promised target's state at `now`, in target order. `history` in the order it happened.
    /// next_response is reported for its latest cycle only, and only once one has started.
    public func evaluate(_ history: [SLAFact], now: Date) -> [SLATargetState] {
        guard let created = history.first(where: { if case .created = $0.kind { true } else { false } }) else { return [] }
        let timeline = statusTimeline(history)
        var states: [SLATargetState] = []
        for target in SLATarget.allCases {
            guard let seconds = policy.targets[target] else { continue }
            switch target {
            case .firstResponse:
                let met = history.first { $0.kind == .agentReplied && $0.at >= created.at }?.at
                states.append(run(target, seconds, from: created.at, metAt: met, timeline: timeline, now: now, isResolution: false))
            case .resolution:
                let last = timeline.last!
                let met = [.resolved, .closed].contains(last.status) ? last.at : nil
                states.append(run(target, seconds, from: created.at, metAt: met, timeline: timeline, now: now, isResolution: true))
            case .nextResponse:
                guard let cycle = latestNextResponseCycle(history) else { continue }
                states.append(run(target, seconds, from: cycle.start, metAt: cycle.metAt, timeline: timeline, now: now, isResolution: false))
            }
        }
        return states
    }

    /// Whether the clock counts in `status`.
    public func counts(in status: TicketStatus) -> Bool {
        status != .resolved && status != .closed && !pauseStatuses.contains(status)
    }

    // MARK: - Walking the history

    struct StatusSpan {
        var status: TicketStatus
        var at: Date
    }

    /// The ticket's status from creation on, one entry per change.
    func statusTimeline(_ history: [SLAFact]) -> [StatusSpan] {
        var spans: [StatusSpan] = []
        for fact in history {
            switch fact.kind {
            case .created(let s), .status(let s):
                if spans.last?.status != s { spans.append(StatusSpan(status: s, at: fact.at)) }
            case .customerWrote, .agentReplied: break
            }
        }
        return spans
    }

    /// The latest cycle of next_response: it starts at the first customer message after an agent
    /// reply (the first reply ends first_response's cycle), and ends at the next agent reply.
    /// Further customer messages while waiting do not move the start: nagging buys no time.
    func latestNextResponseCycle(_ history: [SLAFact]) -> (start: Date, metAt: Date?)? {
        var replied = false
        var cycle: (start: Date, metAt: Date?)?
        for fact in history {
            switch fact.kind {
            case .agentReplied:
                if var open = cycle, open.metAt == nil { open.metAt = fact.at; cycle = open }
                replied = true
            case .customerWrote where replied:
                if cycle == nil || cycle?.metAt != nil { cycle = (fact.at, nil) }
            default: break
            }
        }
        return cycle
    }

    /// Counts working time from `start` through the counting spans of `timeline` (up to `metAt`
    /// for a met target), finding when the warning share and the whole target are used up.
    /// Deadlines are found over the whole of the last span, so a running clock's deadline is known
    /// ahead; the time used stops at `now`.
    func run(_ target: SLATarget, _ seconds: Int, from start: Date, metAt: Date?, timeline: [StatusSpan],
             now: Date, isResolution: Bool) -> SLATargetState {
        let calendar = policy.calendar
        let goal = TimeInterval(seconds)
        let warnGoal = (goal * policy.warnAt).rounded()
        let stopAt = metAt ?? now
        var counted: TimeInterval = 0   // through the finished spans
        var used: TimeInterval = 0      // up to `stopAt`
        var due: Date?, warn: Date?
        for (i, span) in timeline.enumerated() {
            var spanEnd = i + 1 < timeline.count ? timeline[i + 1].at : nil
            if let metAt {
                if span.at >= metAt && i > 0 { break }
                spanEnd = min(spanEnd ?? metAt, metAt)
            }
            let from = max(span.at, start)
            if let spanEnd, spanEnd <= from { continue }
            guard counts(in: span.status) else { continue }
            if warn == nil, let at = calendar.adding(seconds: warnGoal - counted, to: from), spanEnd.map({ at <= $0 }) ?? true {
                warn = at
            }
            if due == nil, let at = calendar.adding(seconds: goal - counted, to: from), spanEnd.map({ at <= $0 }) ?? true {
                due = at
            }
            if stopAt > from { used += calendar.businessSeconds(from: from, to: min(spanEnd ?? stopAt, stopAt)) }
            if let spanEnd { counted += calendar.businessSeconds(from: from, to: spanEnd) }
        }
        let phase: SLATargetState.Phase
        let current = timeline.last?.status ?? .new
        if metAt != nil {
            phase = .met
        } else if !isResolution && (current == .resolved || current == .closed) {
            phase = .stopped
        } else {
            phase = counts(in: current) ? .running : .paused
        }
        var breached: Date?
        if let due, metAt.map({ due < $0 }) ?? (due <= now) { breached = due }
        return SLATargetState(target: target, phase: phase, cycleStart: start, due: due, warnAt: warn, metAt: metAt,
                              breachedAt: breached, usedSeconds: Int(used.rounded()), targetSeconds: seconds)
    }
}
