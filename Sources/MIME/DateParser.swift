import Foundation

/// RFC 5322 dates and the broken forms mail really carries: no weekday, two-digit years, missing
/// seconds, zone names or none, ISO 8601, asctime order, dots instead of colons.
enum DateParser {
    private static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        "mrz": 3, "mär": 3, "mai": 5, "okt": 10, "dez": 12, "sept": 9,
    ]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "cet": 60, "met": 60, "mez": 60, "cest": 120, "mesz": 120,
        "eet": 120, "eest": 180, "msk": 180, "ist": 330, "jst": 540, "kst": 540, "hkt": 480, "sgt": 480, "aest": 600,
        "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
        "akst": -540, "akdt": -480, "hst": -600,
    ]

    static func parse(_ text: String) -> Date? {
        if let fast = parseCanonical(Array(text.utf8)) { return fast }
        var day: Int?, month: Int?, year: Int?
        var hour = 0, minute = 0, second = 0
        var haveTime = false
        var offsetMinutes: Int? = nil
        var numbers: [Int] = []
        // Drop comments such as "(CEST)".
        var cleaned = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(ch) }
        }
        // ISO 8601: 2024-01-31T10:20:30Z
        if let iso = parseISO(cleaned) { return iso }
        let tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        for raw in tokens {
            let t = raw.lowercased()
            if (t.contains(":") || (t.filter { $0 == "." }.count == 2 && haveTime == false && day != nil && month != nil && year != nil)), !haveTime {
                let parts = t.split(whereSeparator: { $0 == ":" || $0 == "." }).map { Int($0.prefix { $0.isNumber }) }
                guard parts.count >= 2, let h = parts[0], let m = parts[1] else { continue }
                hour = h; minute = m
                if parts.count >= 3, let s = parts[2] { second = s }
                haveTime = true
                // "10:20:30+0100" glued together
                if let signIdx = t.firstIndex(where: { $0 == "+" || $0 == "-" }) { offsetMinutes = zoneOffset(String(t[signIdx...])) }
                continue
            }
            if (t.hasPrefix("+") || t.hasPrefix("-")), t.count >= 3, let z = zoneOffset(t) { offsetMinutes = z; continue }
            if let z = zones[t] { offsetMinutes = z; continue }
            if t.count == 1, let c = t.first, c.isLetter { offsetMinutes = 0; continue }  // military zones: treat as UTC
            if let m = months[String(t.prefix(3))], t.first?.isLetter == true, month == nil {
                month = m
                continue
            }
            if let n = Int(t) { numbers.append(n); continue }
            // "23-Nov-2026" or "2026/11/23"
            let sub = t.split(whereSeparator: { $0 == "-" || $0 == "/" })
            if sub.count == 3 {
                for s in sub {
                    if let n = Int(s) { numbers.append(n) } else if let m = months[String(s.prefix(3))] { month = m }
                }
            }
        }
        // Assign numbers: a 4-digit number (or > 31) is the year, the rest day (and month).
        var rest: [Int] = []
        for n in numbers {
            if year == nil, n > 31 || String(n).count == 4 { year = n } else { rest.append(n) }
        }
        if month == nil {
            // Numeric dates: y-m-d already took the year; then month, day.
            if rest.count >= 2 { month = rest[0]; day = rest[1] }
        } else if let first = rest.first {
            day = first
            if year == nil, rest.count >= 2 { year = rest[1] }
        }
        guard var y = year, let mo = month, let d = day, (1...12).contains(mo), (1...31).contains(d),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        if y < 50 { y += 2000 } else if y < 100 { y += 1900 }
        guard (1900...9999).contains(y) else { return nil }
        let days = daysFromCivil(y, mo, d)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - (offsetMinutes ?? 0) * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static let monthNames: [[UInt8]] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map { Array($0.utf8) }

    /// The exact RFC 5322 form most mail uses, "Mon, 23 Nov 2026 10:00:00 +0100 (CET)", read on
    /// bytes; anything else goes to the tolerant parser.
    static func parseCanonical(_ u: [UInt8]) -> Date? {
        var i = 0
        let n = u.count
        func skipSpace() { while i < n, u[i] == 0x20 || u[i] == 0x09 { i += 1 } }
        func number(_ maxDigits: Int) -> Int? {
            var v = 0, d = 0
            while i < n, d < maxDigits, u[i] >= 0x30, u[i] <= 0x39 { v = v * 10 + Int(u[i] - 0x30); i += 1; d += 1 }
            return d == 0 ? nil : v
        }
        skipSpace()
        if i + 4 <= n, u[i + 3] == 0x2C { i += 4; skipSpace() }          // "Mon,"
        guard let day = number(2), i < n, u[i] == 0x20 else { return nil }
        i += 1
        guard i + 4 <= n, u[i + 3] == 0x20 else { return nil }
        let m = u[i..<(i + 3)].map { $0 | 0x20 }
        guard let monthIndex = monthNames.firstIndex(where: { $0.elementsEqual(m) }) else { return nil }
        i += 4
        guard let year = number(4), year >= 1900, i < n, u[i] == 0x20 else { return nil }
        i += 1
        guard let h = number(2), i < n, u[i] == 0x3A else { return nil }
        i += 1
        guard let mi = number(2) else { return nil }
        var se = 0
        if i < n, u[i] == 0x3A { i += 1; guard let v = number(2) else { return nil }; se = v }
        skipSpace()
        guard i + 5 <= n, u[i] == 0x2B || u[i] == 0x2D else { return nil }
        let sign = u[i] == 0x2D ? -1 : 1
        i += 1
        let zStart = i
        guard let z = number(4), i - zStart == 4 else { return nil }
        let offset = sign * ((z / 100) * 60 + z % 100)
        skipSpace()
        guard i == n || u[i] == 0x28 else { return nil }                 // end or "(comment)"
        guard (1...31).contains(day), h < 25, mi < 60, se < 61, abs(offset) <= 18 * 60 else { return nil }
        let days = daysFromCivil(year, monthIndex + 1, day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3600 + mi * 60 + min(se, 59) - offset * 60))
    }

    private static func zoneOffset(_ t: String) -> Int? {
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = t.dropFirst().filter { $0.isNumber }
        guard digits.count == 4 || digits.count == 2, let v = Int(digits) else { return nil }
        let minutes = digits.count == 4 ? (v / 100) * 60 + v % 100 : v * 60
        guard minutes <= 18 * 60 else { return nil }
        return sign == "-" ? -minutes : minutes
    }

    private static func parseISO(_ s: String) -> Date? {
        let t = String(s.trimmedSpace())
        let u = Array(t.utf8)
        guard u.count >= 19, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x20 || u[10] == 0x74, u[13] == 0x3A,
              let y = Int(String(decoding: u[0..<4], as: UTF8.self)), let mo = Int(String(decoding: u[5..<7], as: UTF8.self)),
              let d = Int(String(decoding: u[8..<10], as: UTF8.self)), let h = Int(String(decoding: u[11..<13], as: UTF8.self)),
              let mi = Int(String(decoding: u[14..<16], as: UTF8.self)), let se = Int(String(decoding: u[17..<19], as: UTF8.self)),
              (1...12).contains(mo), (1...31).contains(d), h < 25, mi < 60, se < 61 else { return nil }
        var offset = 0
        var rest = String(decoding: u[19...], as: UTF8.self)
        if rest.hasPrefix(".") { rest = String(rest.drop { $0 == "." || $0.isNumber }) }
        rest = String(rest.trimmedSpace())
        if rest.uppercased() == "Z" || rest.isEmpty { offset = 0 }
        else if let z = zoneOffset(rest.replacingOccurrences(of: ":", with: "")) { offset = z }
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + min(se, 59) - offset * 60))
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
