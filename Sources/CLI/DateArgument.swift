import Foundation

/// Dates given on the command line (`--since`, `--from`, `--to`): `2026-11-23`,
/// `2026-11-23T14:05`, `2026-11-23T14:05:00Z` (UTC), or a unix time in seconds.
enum DateArgument {
    static func parse(_ text: String) -> Int64? {
        if let n = Int64(text), n >= 0 { return n }
        let t = text.hasSuffix("Z") ? String(text.dropLast()) : text
        let parts = t.split(separator: "T", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let day = parts[0].split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard day.count == 3, (1...12).contains(day[1]), (1...31).contains(day[2]), day[0] >= 1970 else { return nil }
        var clock = [0, 0, 0]
        if parts.count == 2 {
            let c = parts[1].split(separator: ":", omittingEmptySubsequences: false).compactMap { Int($0) }
            guard (2...3).contains(c.count), (0...23).contains(c[0]), (0...59).contains(c[1]), c.count == 2 || (0...60).contains(c[2]) else { return nil }
            for (i, v) in c.enumerated() { clock[i] = v }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1], second: clock[2])
        guard calendar.date(from: components).map({ calendar.component(.day, from: $0) == day[2] }) == true,
              let date = calendar.date(from: components) else { return nil }
        return Int64(date.timeIntervalSince1970)
    }

    /// A day without a time (`2026-11-23`): as an end of range it means the whole day. A unix
    /// time of ten digits is not one, though it has the same length.
    static func isPlainDate(_ text: String) -> Bool {
        text.utf8.count == 10 && text.contains("-") && !text.contains("T") && parse(text) != nil
    }

    /// Parses option `name`, or fails with a usage error naming it.
    static func option(_ inv: Invocation, _ name: String) throws -> Int64? {
        guard let text = inv.arguments.value(name) else { return nil }
        guard let t = parse(text) else {
            throw CLIError(.usage, "--\(name) must be a date like 2026-11-23 or 2026-11-23T14:05 (UTC)", showUsage: true)
        }
        return t
    }
}
