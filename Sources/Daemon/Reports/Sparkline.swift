/// Small charts made of characters, for a trend at a glance in a terminal.
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value, a blank for zero;
    /// longer series are folded to `width` characters, each the largest of the values it stands for.
    public static func line(_ values: [Int], width: Int = 60) -> String {
        guard !values.isEmpty else { return "" }
        let folded = fold(values, width: width)
        let top = max(folded.max() ?? 0, 1)
        return String(folded.map { v in v == 0 ? " " : levels[min(levels.count - 1, (v * levels.count - 1) / top)] })
    }

    /// A horizontal bar of `value` scaled so `maximum` fills `width` characters (at least one for non-zero).
    public static func bar(_ value: Int, maximum: Int, width: Int) -> String {
        guard value > 0, maximum > 0 else { return "" }
        return String(repeating: "█", count: max(1, value * width / maximum))
    }

    static func fold(_ values: [Int], width: Int) -> [Int] {
        guard values.count > width, width > 0 else { return values }
        let step = (values.count + width - 1) / width
        return stride(from: 0, to: values.count, by: step).map { values[$0..<min($0 + step, values.count)].max() ?? 0 }
    }
}
