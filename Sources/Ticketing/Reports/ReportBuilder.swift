/// Computes a `Report` from plain facts: pure, so every figure is checked against a
/// hand-computed fixture without a store.
public enum ReportBuilder {
    /// `from`..<`to`: the range (unix seconds); `now`: for status ages. Tickets outside the range
    /// still count for the backlog (open at the range's start) and agents' open load.
    public static func build(_ input: ReportInput, from: Int64, to: Int64, granularity: ReportGranularity, now: Int64,
                             business: (any BusinessClock)? = nil) -> Report {
        var accumulator = ReportAccumulator(input, from: from, to: to, granularity: granularity, now: now, business: business)
        for t in input.tickets { accumulator.add(t) }
        return accumulator.report()
    }

    static func timing(_ wall: [Int64], business: [Int64]?, missing: Int) -> Report.Timing {
        var histogram = [Int](repeating: 0, count: Report.durationBuckets.count)
        // Report.bucket's rule over plain numbers (a million durations): the last bucket is open.
        let limits = Report.durationBuckets.map { $0.upTo ?? .max }
        for v in wall { histogram[limits.firstIndex { v < $0 } ?? limits.count - 1] += 1 }
        return Report.Timing(wall: Distribution(wall), business: business.map(Distribution.init), missing: missing, histogram: histogram)
    }

    static func groups(_ names: [String], _ tickets: [Int], _ medianResolution: [Int64?], keep: [Bool] = []) -> [Report.Group] {
        names.indices.filter { tickets[$0] > 0 || ($0 < keep.count && keep[$0]) }
            .map { Report.Group(name: names[$0], tickets: tickets[$0], medianResolution: medianResolution[$0]) }
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
