/// A day of the week, Monday first (ISO 8601), as calendars and agent hours name it.
public enum Weekday: Int, CaseIterable, Sendable, Comparable {
    case mon = 0, tue, wed, thu, fri, sat, sun

    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }

    /// The three-letter name used in config (`mon`).
    public var name: String { ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][rawValue] }

    /// Reads `mon` or `monday`, any case.
    public init?(name: String) {
        let lower = name.lowercased()
        guard let day = Weekday.allCases.first(where: { lower == $0.name || lower == $0.fullName }) else { return nil }
        self = day
    }

    private var fullName: String {
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][rawValue]
    }
}
