/// A report being computed one ticket at a time: the store streams a million rows into `add`
/// without first building an array of them; `report()` gives the figures. `ReportBuilder.build`
/// feeds it a `ReportInput`'s tickets, so both paths compute the same figures.
public struct ReportAccumulator {
    let input: ReportInput
    let from: Int64, to: Int64, now: Int64
    let granularity: ReportGranularity
    let business: (any BusinessClock)?
    let starts: [Int64]
    let periods: PeriodIndex

    var totals = Report.Totals()
    var created: [Int], resolved: [Int], closed: [Int]
    var openAtStart = 0
    var firstResponse: [Int64] = [], resolution: [Int64] = []
    var firstResponseBusiness: [Int64] = [], resolutionBusiness: [Int64] = []
    var businessKnown: Bool
    var noResponse = 0, unresolved = 0
    var agentHandled: [Int], agentResolved: [Int], agentOpen: [Int]
    var agentResponses: GroupedDurations
    var queueTickets: [Int], queueResolution: GroupedDurations
    var domainTickets: [Int], domainResolution: GroupedDurations
    var categoryTickets: [Int], categoryResolution = GroupedDurations()
    var ages: [TicketStatus: [Int64]] = [:]
    /// Per target of `SLAOutcomes.targets`: tickets with a clock, met, breached.
    var slaClocks = [0, 0, 0], slaMet = [0, 0, 0], slaBreached = [0, 0, 0]

    /// `input`'s names, messages and ratings are used; its tickets are not (add them).
    /// `expectedTickets`: how many will be added, to size the arrays once.
    public init(_ input: ReportInput, from: Int64, to: Int64, granularity: ReportGranularity, now: Int64,
                business: (any BusinessClock)? = nil, expectedTickets: Int? = nil) {
        var context = input
        context.tickets = []
        self.input = context
        self.from = from
        self.to = to
        self.now = now
        self.granularity = granularity
        self.business = business
        starts = granularity.starts(from: from, to: to)
        periods = PeriodIndex(starts: starts, from: from, to: to)
        created = [Int](repeating: 0, count: starts.count)
        resolved = created
        closed = created
        businessKnown = business != nil
        agentHandled = [Int](repeating: 0, count: input.agents.count)
        agentResolved = agentHandled
        agentOpen = agentHandled
        let capacity = expectedTickets ?? input.tickets.count
        agentResponses = GroupedDurations(capacity: capacity)
        queueTickets = [Int](repeating: 0, count: input.queues.count)
        queueResolution = GroupedDurations(capacity: capacity)
        domainTickets = [Int](repeating: 0, count: input.domains.count)
        domainResolution = GroupedDurations(capacity: capacity)
        categoryTickets = [Int](repeating: 0, count: input.categories.count)
        firstResponse.reserveCapacity(capacity)
        resolution.reserveCapacity(capacity)
    }

    func inRange(_ t: Int64?) -> Bool { t.map { $0 >= from && $0 < to } ?? false }

    /// Business seconds from `start` to `end` in the calendar of queue `queue`; nil once any
    /// queue had no calendar (from then on business figures are not given at all).
    mutating func businessSeconds(queue: Int, from start: Int64, to end: Int64) -> Int64? {
        guard businessKnown else { return nil }
        if let seconds = business?.businessSeconds(queue: input.queues[queue], from: start, to: end) { return seconds }
        businessKnown = false
        return nil
    }

    public mutating func add(_ t: TicketFacts) {
        let end = to - 1
        if t.created < from && t.isBacklog(at: from - 1) { openAtStart += 1 }
        if t.isBacklog(at: end) {
            totals.backlog += 1
            if let a = t.agent { agentOpen[a] += 1 }
        }
        if t.status == .new || t.status == .open || t.status == .pending, t.created <= now {
            ages[t.status, default: []].append(max(0, now - t.statusSince))
        }
        if inRange(t.resolved) {
            totals.resolved += 1
            if let p = periods.period(t.resolved!) { resolved[p] += 1 }
            if let a = t.agent { agentResolved[a] += 1 }
        }
        if let c = t.closed, let p = periods.period(c) { totals.closed += 1; closed[p] += 1 }
        if inRange(t.firstResolved) {
            totals.firstResolved += 1
            if t.reopened > 0 { totals.reopened += 1 }
        }
        guard let p = periods.period(t.created) else { return }
        totals.created += 1
        created[p] += 1
        if let r = t.firstResponse, r >= t.created {
            firstResponse.append(r - t.created)
            if let a = t.agent { agentResponses.append(r - t.created, group: a) }
            if let b = businessSeconds(queue: t.queue, from: t.created, to: r) { firstResponseBusiness.append(b) }
        } else {
            noResponse += 1
        }
        var resolutionTime: Int64?
        if let r = t.resolved, r >= t.created {
            resolutionTime = r - t.created
            resolution.append(r - t.created)
            if let b = businessSeconds(queue: t.queue, from: t.created, to: r) { resolutionBusiness.append(b) }
        } else {
            unresolved += 1
        }
        if let a = t.agent { agentHandled[a] += 1 }
        queueTickets[t.queue] += 1
        domainTickets[t.domain] += 1
        if let r = resolutionTime { queueResolution.append(r, group: t.queue); domainResolution.append(r, group: t.domain) }
        if let c = t.category {
            categoryTickets[c] += 1
            if let r = resolutionTime { categoryResolution.append(r, group: c) }
        }
        if t.sla.bits != 0 {
            for k in slaClocks.indices {
                switch t.sla.outcome(k) {
                case nil: break
                case .undecided: slaClocks[k] += 1
                case .met: slaClocks[k] += 1; slaMet[k] += 1
                case .breached: slaClocks[k] += 1; slaBreached[k] += 1
                }
            }
        }
    }

    /// The figures of the tickets added so far, with the input's ratings and messages.
    public func report() -> Report {
        // Ratings given in the range.
        var good = 0, rated = 0
        var agentGood = [Int](repeating: 0, count: input.agents.count), agentRated = agentGood
        var periodGood = [Int](repeating: 0, count: starts.count), periodBad = periodGood
        var queueGood = [Int](repeating: 0, count: input.queues.count), queueRated = queueGood
        for r in input.ratings {
            guard let p = periods.period(r.at) else { continue }
            rated += 1
            if r.good { good += 1; periodGood[p] += 1 } else { periodBad[p] += 1 }
            if let a = r.agent { agentRated[a] += 1; if r.good { agentGood[a] += 1 } }
            if r.queue < queueRated.count { queueRated[r.queue] += 1; if r.good { queueGood[r.queue] += 1 } }
        }

        // A target counts when a ticket created in the range has its clock, even neither met nor breached.
        let sla = slaClocks.indices.filter { slaClocks[$0] > 0 }
            .map { SLACount(target: SLAOutcomes.targets[$0], met: slaMet[$0], breached: slaBreached[$0]) }
        var report = Report(from: from, to: to, granularity: granularity, totals: totals,
                            firstResponse: ReportBuilder.timing(firstResponse, business: businessKnown ? firstResponseBusiness : nil,
                                                                missing: noResponse),
                            resolution: ReportBuilder.timing(resolution, business: businessKnown ? resolutionBusiness : nil,
                                                             missing: unresolved),
                            sla: sla.isEmpty ? nil : Report.SLA(met: sla.reduce(0) { $0 + $1.met },
                                                                breached: sla.reduce(0) { $0 + $1.breached }, targets: sla),
                            satisfaction: rated == 0 ? nil : Double(good) / Double(rated), ratings: rated)
        var backlog = openAtStart
        report.periods = starts.indices.map { i in
            backlog += created[i] - resolved[i]
            return Report.Period(start: starts[i], created: created[i], resolved: resolved[i], closed: closed[i], backlog: backlog,
                                 ratingsGood: periodGood[i], ratingsBad: periodBad[i])
        }
        let agentMedianResponse = agentResponses.medians(count: input.agents.count)
        report.agents = input.agents.indices.compactMap { a in
            guard agentHandled[a] + agentResolved[a] + agentOpen[a] + agentRated[a] > 0 else { return nil }
            return Report.Agent(agent: input.agents[a], handled: agentHandled[a], resolved: agentResolved[a], open: agentOpen[a],
                                medianFirstResponse: agentMedianResponse[a],
                                satisfaction: agentRated[a] == 0 ? nil : Double(agentGood[a]) / Double(agentRated[a]), ratings: agentRated[a])
        }.sorted { ($0.handled, $0.open, $1.agent) > ($1.handled, $1.open, $0.agent) }
        // A queue with ratings but no ticket created in the range still shows its satisfaction.
        report.queues = ReportBuilder.groups(input.queues, queueTickets, queueResolution.medians(count: input.queues.count),
                                             keep: queueRated.map { $0 > 0 }).map { g in
            guard let q = input.queues.firstIndex(of: g.name), queueRated[q] > 0 else { return g }
            var rated = g
            rated.ratings = queueRated[q]
            rated.satisfaction = Double(queueGood[q]) / Double(queueRated[q])
            return rated
        }
        report.domains = ReportBuilder.groups(input.domains, domainTickets, domainResolution.medians(count: input.domains.count))
        report.categories = ReportBuilder.groups(input.categories, categoryTickets,
                                                 categoryResolution.medians(count: input.categories.count))
        report.messages = ReportBuilder.mix(input.messages, from: from, to: to, spamClassified: input.spamClassified)
        report.statusAges = [TicketStatus.new, .open, .pending].map { status in
            let values = ages[status] ?? []
            var histogram = [Int](repeating: 0, count: Report.ageBuckets.count)
            for v in values { histogram[Report.bucket(v, in: Report.ageBuckets)] += 1 }
            return Report.StatusAge(status: status, tickets: values.count, median: Distribution(values).median, oldest: values.max(),
                                    histogram: histogram)
        }
        return report
    }
}
