/// Which period of a report a time falls in, by one array read: every period (day, ISO week,
/// month) starts at a UTC midnight, so each UTC day of the range is given its period once.
struct PeriodIndex {
    let from: Int64, to: Int64
    private let firstDay: Int64
    private let dayPeriods: [Int32]

    /// `starts`: the periods' starts, as `ReportGranularity.starts(from:to:)` gives them.
    init(starts: [Int64], from: Int64, to: Int64) {
        self.from = from
        self.to = to
        firstDay = ReportGranularity.day.start(of: from)
        var dayPeriods: [Int32] = []
        var p = 0
        for day in stride(from: firstDay, to: starts.isEmpty ? firstDay : to, by: 86_400) {
            while p + 1 < starts.count && starts[p + 1] <= day { p += 1 }
            dayPeriods.append(Int32(p))
        }
        self.dayPeriods = dayPeriods
    }

    /// The period `t` falls in, nil outside [from, to).
    func period(_ t: Int64) -> Int? {
        guard t >= from, t < to, !dayPeriods.isEmpty else { return nil }
        return Int(dayPeriods[Int((t - firstDay) / 86_400)])
    }
}
