/// A target as config writes it: `4h`, `90m`, `1h30m`, `2d`. Days are 24 hours, so they are only
/// meaningful on the wall-clock calendar; `SLAPolicy` refuses them on any other.
public struct SLADuration: Equatable, Sendable, CustomStringConvertible {
    public let seconds: Int
    /// Written with a `d` part.
    public let hasDays: Bool

    public init(seconds: Int, hasDays: Bool = false) {
        self.seconds = seconds
        self.hasDays = hasDays
    }

    public static func parse(_ text: String) throws(CalendarParseError) -> SLADuration {
        let usage = "is not a duration like 4h, 90m, 1h30m or 2d"
        var seconds = 0, number: Int?, hasDays = false
        var lastUnit = -1
        let units: [Character: (rank: Int, seconds: Int)] = ["d": (0, 86_400), "h": (1, 3600), "m": (2, 60)]
        for ch in text.trimmingWhitespace() {
            if let digit = ch.wholeNumberValue, ch.isASCII {
                number = (number ?? 0) * 10 + digit
                guard number! < 1_000_000 else { throw CalendarParseError("\"\(text)\" is too long") }
            } else if let unit = units[Character(ch.lowercased())], let n = number, unit.rank > lastUnit {
                seconds += n * unit.seconds
                hasDays = hasDays || unit.rank == 0
                lastUnit = unit.rank
                number = nil
            } else {
                throw CalendarParseError("\"\(text)\" \(usage)")
            }
        }
        guard number == nil, lastUnit >= 0 else { throw CalendarParseError("\"\(text)\" \(usage)") }
        guard seconds > 0 else { throw CalendarParseError("\"\(text)\" must be longer than zero") }
        return SLADuration(seconds: seconds, hasDays: hasDays)
    }

    /// `1h30m`, `2d`, in the largest units that divide it.
    public var description: String { Self.words(seconds, compact: true) }

    /// A span in words, largest units first: `1h 20m` (compact: `1h20m`); seconds only under a minute.
    public static func words(_ seconds: Int, compact: Bool = false) -> String {
        let s = abs(seconds)
        if s < 60 { return "\(s)s" }
        let parts = [(s / 86_400, "d"), (s % 86_400 / 3600, "h"), (s % 3600 / 60, "m")]
            .filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }
        return parts.joined(separator: compact ? "" : " ")
    }
}
