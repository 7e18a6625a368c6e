/// Computes a `Report` from plain facts: pure, so every figure is checked against a
/// hand-computed fixture without a store.
public enum ReportBuilder {
    /// `from`..<`to`: the range (unix seconds); `now`: for status ages. Tickets outside the range
    /// still count for the backlog (open at the range's start) and agents' open load.
    public static func build(_ input: ReportInput, from: Int64, to: Int64, granularity: ReportGranularity, now: Int64,
                             business: (any BusinessClock)? = nil) -> Report {
        let starts = granularity.starts(from: from, to: to)
        func period(_ t: Int64) -> Int? {
            guard t >= from, t < to, !starts.isEmpty else { return nil }
            var lo = 0, hi = starts.count - 1
            while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= t { lo = mid } else { hi = mid - 1 } }
            return lo
        }
        func inRange(_ t: Int64?) -> Bool { t.map { $0 >= from && $0 < to } ?? false }

        var totals = Report.Totals()
        var created = [Int](repeating: 0, count: starts.count), resolved = created, closed = created
        var openAtStart = 0
        var firstResponse: [Int64] = [], resolution: [Int64] = []
        var firstResponseBusiness: [Int64] = [], resolutionBusiness: [Int64] = []
        var businessKnown = business != nil
        var noResponse = 0, unresolved = 0
        var agentHandled = [Int](repeating: 0, count: input.agents.count), agentResolved = agentHandled, agentOpen = agentHandled
        var agentResponses = GroupedDurations(capacity: input.tickets.count)
        var queueTickets = [Int](repeating: 0, count: input.queues.count), queueResolution = GroupedDurations(capacity: input.tickets.count)
        var domainTickets = [Int](repeating: 0, count: input.domains.count), domainResolution = GroupedDurations(capacity: input.tickets.count)
        var categoryTickets = [Int](repeating: 0, count: input.categories.count)
        var categoryResolution = GroupedDurations()
        var ages: [TicketStatus: [Int64]] = [:]
        let end = to - 1

        for t in input.tickets {
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
                if let p = period(t.resolved!) { resolved[p] += 1 }
                if let a = t.agent { agentResolved[a] += 1 }
            }
            if let c = t.closed, let p = period(c) { totals.closed += 1; closed[p] += 1 }
            if inRange(t.firstResolved) {
                totals.firstResolved += 1
                if t.reopened > 0 { totals.reopened += 1 }
            }
            guard let p = period(t.created) else { continue }
            totals.created += 1
            created[p] += 1
            let queueName = input.queues[t.queue]
            if let r = t.firstResponse, r >= t.created {
                firstResponse.append(r - t.created)
                if let a = t.agent { agentResponses.append(r - t.created, group: a) }
                if businessKnown {
                    if let b = business?.businessSeconds(queue: queueName, from: t.created, to: r) { firstResponseBusiness.append(b) } else { businessKnown = false }
                }
            } else {
                noResponse += 1
            }
            var resolutionTime: Int64?
            if let r = t.resolved, r >= t.created {
                resolutionTime = r - t.created
                resolution.append(r - t.created)
                if businessKnown {
                    if let b = business?.businessSeconds(queue: queueName, from: t.created, to: r) { resolutionBusiness.append(b) } else { businessKnown = false }
                }
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
        }

        // Ratings given in the range.
        var good = 0, rated = 0
        var agentGood = [Int](repeating: 0, count: input.agents.count), agentRated = agentGood
        var periodGood = [Int](repeating: 0, count: starts.count), periodBad = periodGood
        var queueGood = [Int](repeating: 0, count: input.queues.count), queueRated = queueGood
        for r in input.ratings {
            guard let p = period(r.at) else { continue }
            rated += 1
            if r.good { good += 1; periodGood[p] += 1 } else { periodBad[p] += 1 }
            if let a = r.agent { agentRated[a] += 1; if r.good { agentGood[a] += 1 } }
            if r.queue < queueRated.count { queueRated[r.queue] += 1; if r.good { queueGood[r.queue] += 1 } }
        }

        var report = Report(from: from, to: to, granularity: granularity, totals: totals,
                            firstResponse: timing(firstResponse, business: businessKnown ? firstResponseBusiness : nil, missing: noResponse),
                            resolution: timing(resolution, business: businessKnown ? resolutionBusiness : nil, missing: unresolved),
                            sla: input.sla.isEmpty ? nil : Report.SLA(met: input.sla.reduce(0) { $0 + $1.met },
                                                                      breached: input.sla.reduce(0) { $0 + $1.breached }, targets: input.sla), satisfaction: rated == 0 ? nil : Double(good) / Double(rated), ratings: rated)
        var backlog = openAtStart
        report.periods = starts.indices.map { i in
            backlog += created[i] - resolved[i]
            return Report.Period(start: starts[i], created: created[i], resolved: resolved[i], closed: closed[i], backlog: backlog,
                                 ratingsGood: periodGood[i], ratingsBad: periodBad[i])
        }
        let agentResponseTimes = agentResponses.distributions(count: input.agents.count)
        report.agents = input.agents.indices.compactMap { a in
            guard agentHandled[a] + agentResolved[a] + agentOpen[a] + agentRated[a] > 0 else { return nil }
            return Report.Agent(agent: input.agents[a], handled: agentHandled[a], resolved: agentResolved[a], open: agentOpen[a],
                                medianFirstResponse: agentResponseTimes[a].median,
                                satisfaction: agentRated[a] == 0 ? nil : Double(agentGood[a]) / Double(agentRated[a]), ratings: agentRated[a])
        }.sorted { ($0.handled, $0.open, $1.agent) > ($1.handled, $1.open, $0.agent) }
        // A queue with ratings but no ticket created in the range still shows its satisfaction.
        report.queues = groups(input.queues, queueTickets, queueResolution.distributions(count: input.queues.count),
                               keep: queueRated.map { $0 > 0 }).map { g in
            guard let q = input.queues.firstIndex(of: g.name), queueRated[q] > 0 else { return g }
            var rated = g
            rated.ratings = queueRated[q]
            rated.satisfaction = Double(queueGood[q]) / Double(queueRated[q])
            return rated
        }
        report.domains = groups(input.domains, domainTickets, domainResolution.distributions(count: input.domains.count))
        report.categories = groups(input.categories, categoryTickets, categoryResolution.distributions(count: input.categories.count))
        report.messages = mix(input.messages, from: from, to: to, spamClassified: input.spamClassified)
        report.statusAges = [TicketStatus.new, .open, .pending].map { status in
            let values = ages[status] ?? []
            var histogram = [Int](repeating: 0, count: Report.ageBuckets.count)
            for v in values { histogram[Report.bucket(v, in: Report.ageBuckets)] += 1 }
            return Report.StatusAge(status: status, tickets: values.count, median: Distribution(values).median, oldest: values.max(),
                                    histogram: histogram)
        }
        return report
    }

    static func timing(_ wall: [Int64], business: [Int64]?, missing: Int) -> Report.Timing {
        var histogram = [Int](repeating: 0, count: Report.durationBuckets.count)
        for v in wall { histogram[Report.bucket(v, in: Report.durationBuckets)] += 1 }
        return Report.Timing(wall: Distribution(wall), business: business.map(Distribution.init), missing: missing, histogram: histogram)
    }

    static func groups(_ names: [String], _ tickets: [Int], _ resolution: [Distribution], keep: [Bool] = []) -> [Report.Group] {
        names.indices.filter { tickets[$0] > 0 || ($0 < keep.count && keep[$0]) }
            .map { Report.Group(name: names[$0], tickets: tickets[$0], medianResolution: resolution[$0].median) }
            .sorted { ($0.tickets, $1.name) > ($1.tickets, $0.name) }
    }

    static func mix(_ counts: [DailyMessageCount], from: Int64, to: Int64, spamClassified: Bool = false) -> Report.MessageMix {
        var mix = Report.MessageMix()
        if spamClassified { mix.spam = 0 }
        // Days are whole: a day counts when it starts inside the range.
        for c in counts where c.day * 86_400 >= ReportGranularity.day.start(of: from) && c.day * 86_400 < to {
            mix.total += c.count
            switch c.messageClass {
            case MessageClass.autoReply.rawValue: mix.autoReply += c.count
            case MessageClass.bounce.rawValue: mix.bounce += c.count
            case MessageClass.list.rawValue: mix.list += c.count
            case "spam": mix.spam = (mix.spam ?? 0) + c.count
            default: mix.human += c.count
            }
        }
        return mix
    }
}
