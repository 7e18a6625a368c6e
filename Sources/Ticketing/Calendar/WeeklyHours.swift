/// Working hours for each day of the week, several ranges a day. Ranges of a day are kept sorted;
/// ranges that touch are joined, ranges that overlap are refused (almost always a typo).
public struct WeeklyHours: Equatable, Sendable, CustomStringConvertible {
    /// Indexed by `Weekday.rawValue`.
    private var days: [[HoursRange]]

    public init(_ ranges: [Weekday: [HoursRange]] = [:]) throws(CalendarParseError) {
        days = Array(repeating: [], count: 7)
        for (day, list) in ranges { try add(list, to: day) }
    }

    /// Every minute of every day: wall-clock time.
    public static let always = try! WeeklyHours(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [HoursRange.wholeDay]) }))

    public func ranges(on day: Weekday) -> [HoursRange] { days[day.rawValue] }

    /// No working time on any day.
    public var isEmpty: Bool { days.allSatisfy(\.isEmpty) }

    /// Open around the clock, every day.
    public var isAlways: Bool { days.allSatisfy { $0 == [.wholeDay] } }

    /// Working seconds in a full week (as written; DST weeks differ by an hour).
    public var secondsPerWeek: Int { days.joined().reduce(0) { $0 + ($1.endMinute - $1.startMinute) * 60 } }

    private mutating func add(_ list: [HoursRange], to day: Weekday) throws(CalendarParseError) {
        var merged = (days[day.rawValue] + list).sorted { $0.startMinute < $1.startMinute }
        var i = 1
        while i < merged.count {
            let a = merged[i - 1], b = merged[i]
            if b.startMinute < a.endMinute {
                throw CalendarParseError("\(day.name): \(a) and \(b) overlap")
            }
            if b.startMinute == a.endMinute {
                merged[i - 1] = HoursRange(startMinute: a.startMinute, endMinute: b.endMinute)!
                merged.remove(at: i)
            } else {
                i += 1
            }
        }
        days[day.rawValue] = merged
    }

    // MARK: - Reading

    /// The calendar form: one entry per day set, `{"mon-fri": "09:00-13:00,14:00-18:00", "sat": "10:00-14:00"}`.
    /// A day named by two entries gets both entries' ranges (a night shift: `mon-fri 22:00-24:00;
    /// tue-sat 00:00-06:00`); if they overlap it is an error, so no entry silently overrides another.
    public static func parse(entries: [(days: String, ranges: String)]) throws(CalendarParseError) -> WeeklyHours {
        var hours = try WeeklyHours()
        for entry in entries {
            let set = try daySet(entry.days)
            let ranges = try rangeList(entry.ranges, days: entry.days)
            for day in set { try hours.add(ranges, to: day) }
        }
        return hours
    }

    /// An agent's single string: `"mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00"`, or `24x7`.
    public static func parse(_ text: String) throws(CalendarParseError) -> WeeklyHours {
        let trimmed = text.trimmingWhitespace()
        if trimmed.lowercased() == "24x7" { return .always }
        var entries: [(days: String, ranges: String)] = []
        for clause in trimmed.split(separator: ";", omittingEmptySubsequences: false) {
            let words = clause.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2 else {
                throw CalendarParseError("\"\(clause.trimmingWhitespace())\" needs days then hours, like \"mon-fri 09:00-17:30\"")
            }
            entries.append((String(words[0]), words.dropFirst().joined()))
        }
        let hours = try parse(entries: entries)
        if hours.isEmpty { throw CalendarParseError("\"\(trimmed)\" has no working hours") }
        return hours
    }

    /// `mon-fri`, `sat`, `mon,wed,fri`, `fri-mon` (wraps over the weekend), `daily`.
    static func daySet(_ text: String) throws(CalendarParseError) -> [Weekday] {
        let known = "use mon, tue, wed, thu, fri, sat, sun, a range like mon-fri, or daily"
        if text.lowercased() == "daily" { return Weekday.allCases }
        var set: [Weekday] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            var named: [Weekday] = []
            for end in ends {
                guard let day = Weekday(name: end) else { throw CalendarParseError("\"\(end)\" in \"\(text)\" is not a day (\(known))") }
                named.append(day)
            }
            switch named.count {
            case 1: set.append(named[0])
            case 2:
                var d = named[0].rawValue
                while true {
                    set.append(Weekday(rawValue: d)!)
                    if d == named[1].rawValue { break }
                    d = (d + 1) % 7
                }
            default: throw CalendarParseError("\"\(part)\" is not a day or a range of days (\(known))")
            }
        }
        return set
    }

    /// `09:00-13:00,14:00-18:00`, or `closed` for none.
    static func rangeList(_ text: String, days: String) throws(CalendarParseError) -> [HoursRange] {
        let trimmed = text.trimmingWhitespace()
        if trimmed.lowercased() == "closed" { return [] }
        var list: [HoursRange] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            do { list.append(try HoursRange.parse(part.trimmingWhitespace())) } catch {
                throw CalendarParseError("\(days): \(error.reason)")
            }
        }
        return list
    }

    // MARK: - Writing

    /// The single-string form, days with equal hours grouped: `mon-fri 09:00-17:30; sat 10:00-14:00`.
    public var description: String {
        if isAlways { return "24x7" }
        if isEmpty { return "closed" }
        var clauses: [String] = []
        var start = 0
        while start < 7 {
            var end = start
            while end + 1 < 7 && days[end + 1] == days[start] { end += 1 }
            if !days[start].isEmpty {
                let name = start == end ? Weekday(rawValue: start)!.name
                    : "\(Weekday(rawValue: start)!.name)-\(Weekday(rawValue: end)!.name)"
                clauses.append("\(name) \(days[start].map(\.description).joined(separator: ","))")
            }
            start = end + 1
        }
        return clauses.joined(separator: "; ")
    }
}
