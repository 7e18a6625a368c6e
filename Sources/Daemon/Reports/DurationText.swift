/// Durations as a person reads them in a table: `45s`, `12m`, `3h 05m`, `2d 4h`; `-` for none.
public enum DurationText {
    public static func short(_ seconds: Int64?) -> String {
        guard let s = seconds else { return "-" }
        if s < 60 { return "\(s)s" }
        if s < 3_600 { return "\(s / 60)m" }
        if s < 86_400 {
            let m = (s % 3_600) / 60
            return "\(s / 3_600)h " + (m < 10 ? "0" : "") + "\(m)m"
        }
        return "\(s / 86_400)d \((s % 86_400) / 3_600)h"
    }

    /// `87.5%`; `-` when there is nothing to take a share of.
    public static func percent(_ share: Double?) -> String {
        guard let share else { return "-" }
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A share of a count: `12.5%` of `part` in `whole`, `-` for an empty whole.
    public static func percent(_ part: Int64, of whole: Int64) -> String {
        whole == 0 ? "-" : percent(Double(part) / Double(whole))
    }
}
