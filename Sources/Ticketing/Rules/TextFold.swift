import Foundation

/// The comparison form of text for rules: case folded (full folding, so `ß` equals `ss`),
/// full-width forms made ordinary (`ＩＮＶＯＩＣＥ` equals `invoice`), composed (NFC), as UTF-8
/// bytes so comparisons are byte compares. ASCII takes a fast path.
public enum TextFold {
    public static func folded(_ text: String) -> [UInt8] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        }
        return composed(text.folding(options: [.caseInsensitive, .widthInsensitive], locale: nil))
    }

    /// The text as written (composed), for `"case": "sensitive"`.
    public static func exact(_ text: String) -> [UInt8] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
        return composed(text)
    }

    /// NFC bytes; most text has nothing to compose, and normalising costs more than folding.
    static func composed(_ text: String) -> [UInt8] {
        let composes = text.unicodeScalars.contains { s in
            s.value >= 0x300 && (s.properties.canonicalCombiningClass != .notReordered || (0x1100...0x11FF).contains(s.value))
        }
        return Array((composes ? text.precomposedStringWithCanonicalMapping : text).utf8)
    }

    public static func form(_ text: String, caseSensitive: Bool) -> [UInt8] {
        caseSensitive ? exact(text) : folded(text)
    }

    /// Whether `needle` occurs in `haystack`: memchr for the first byte, memcmp for the rest.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        if needle.count > haystack.count { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let first = Int32(n[0]), base = h.baseAddress!, last = h.count - n.count
                var i = 0
                while i <= last {
                    guard let hit = memchr(base + i, first, last - i + 1) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                    i = at + 1
                }
                return false
            }
        }
    }

    static func hasPrefix(_ text: [UInt8], _ prefix: [UInt8]) -> Bool {
        prefix.count <= text.count && text[..<prefix.count].elementsEqual(prefix)
    }

    static func hasSuffix(_ text: [UInt8], _ suffix: [UInt8]) -> Bool {
        suffix.count <= text.count && text[(text.count - suffix.count)...].elementsEqual(suffix)
    }
}
