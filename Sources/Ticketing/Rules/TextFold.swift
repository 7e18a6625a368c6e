import Foundation

/// The comparison form of text for rules, as UTF-8 bytes so comparisons are byte compares:
/// case folded (lower case, plus the full folds that lower case misses: `ß`/`ẞ` → `ss`, `ς` → `σ`,
/// `ſ` → `s`, `µ` → `μ`, the Latin ligatures `ﬁ`…, Greek symbol variants, `specialFolds`), width
/// folded (full-width ASCII and `　`, the full-width signs, half-width katakana and Hangul) and composed (NFC, only when the
/// folded text holds a combining mark: composing costs more than folding).
/// Stdlib only, one pass: ASCII eight bytes at a time, a few common scripts by arithmetic, the
/// rest by the Unicode lower-case mapping. Needles and values go through the same function, so
/// they meet whatever a fold leaves out.
public enum TextFold {
    public static func folded(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        append(text, caseSensitive: false, limit: .max, to: &out)
        return out
    }

    /// The text as written (composed), for `"case": "sensitive"`.
    public static func exact(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        append(text, caseSensitive: true, limit: .max, to: &out)
        return out
    }

    public static func form(_ text: String, caseSensitive: Bool) -> [UInt8] {
        caseSensitive ? exact(text) : folded(text)
    }

    /// Appends the comparison form of at most the first `limit` bytes of `text` (cut before the
    /// first character that does not fit whole) to `out`.
    static func append(_ text: String, caseSensitive: Bool, limit: Int, to out: inout [UInt8]) {
        var text = text
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            append(UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, limit)]), whole: bytes.count <= limit,
                   caseSensitive: caseSensitive, to: &out)
        }
        if done == nil {
            text.makeContiguousUTF8()
            append(text, caseSensitive: caseSensitive, limit: limit, to: &out)
        }
    }

    /// `whole`: `bytes` is the entire text; otherwise a last, cut character is dropped.
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, whole: Bool, caseSensitive: Bool, to out: inout [UInt8]) {
        let start = out.count
        let n = bytes.count
        var i = 0
        var composes = false
        while i < n {
            // A run of ASCII, found eight bytes at a time, copied at once and lower-cased in place.
            var run = i
            while run + 8 <= n, UnsafeRawPointer(bytes.baseAddress! + run).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                run += 8
            }
            if run > i {
                let from = out.count
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<run]))
                if !caseSensitive { out.withUnsafeMutableBytes { lowerASCIILetters($0, from: from) } }
                i = run
                if i == n { break }
            }
            let b = bytes[i]
            if b < 0x80 {
                out.append(!caseSensitive && b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                i += 1
                continue
            }
            // One multi-byte scalar (the String is valid UTF-8).
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            if i + length > n {
                if whole { i = n; continue } // cannot happen for valid UTF-8; stop rather than trap
                break
            }
            var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
            i += length
            if caseSensitive {
                composes = composes || combines(v)
                appendScalar(v, to: &out)
            } else {
                fold(v, to: &out, composes: &composes)
            }
        }
        if composes {
            let composed = String(decoding: out[start...], as: UTF8.self).precomposedStringWithCanonicalMapping
            out.removeSubrange(start...)
            out.append(contentsOf: composed.utf8)
        }
    }

    /// The folded form of one non-ASCII scalar.
    static func fold(_ v: UInt32, to out: inout [UInt8], composes: inout Bool) {
        switch v {
        case 0xC0...0xDE where v != 0xD7: appendScalar(v + 0x20, to: &out)
        case 0xDF, 0x1E9E: out.append(0x73); out.append(0x73) // ß ẞ → ss
        case 0xB5: appendScalar(0x3BC, to: &out) // micro sign → μ
        case 0x17F: out.append(0x73) // ſ → s
        case 0x391...0x3A9: appendScalar(v + 0x20, to: &out)
        case 0x3C2: appendScalar(0x3C3, to: &out) // final sigma
        case 0x3AC...0x3CE, 0x430...0x45F, 0x3040...0x3096, 0x30A0...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3:
            appendScalar(v, to: &out) // already lower case, no marks (CJK, kana, Hangul syllables)
        case 0x400...0x40F: appendScalar(v + 0x50, to: &out)
        case 0x410...0x42F: appendScalar(v + 0x20, to: &out)
        case 0x3D0: appendScalar(0x3B2, to: &out) // ϐ → β
        case 0x3D1: appendScalar(0x3B8, to: &out) // ϑ → θ
        case 0x3D5: appendScalar(0x3C6, to: &out) // ϕ → φ
        case 0x3D6: appendScalar(0x3C0, to: &out) // ϖ → π
        case 0x3F0: appendScalar(0x3BA, to: &out) // ϰ → κ
        case 0x3F1: appendScalar(0x3C1, to: &out) // ϱ → ρ
        case 0x3F5: appendScalar(0x3B5, to: &out) // ϵ → ε
        case 0xFB00...0xFB06: out.append(contentsOf: ligatures[Int(v - 0xFB00)].utf8)
        case 0x3000: out.append(0x20) // ideographic space
        case 0xFF01...0xFF5E:
            let ascii = UInt8(v - 0xFEE0)
            out.append(ascii >= 0x41 && ascii <= 0x5A ? ascii | 0x20 : ascii)
        case 0xFF61...0xFF9F:
            let wide = halfWidthKana[Int(v - 0xFF61)]
            composes = composes || wide == 0x3099 || wide == 0x309A
            appendScalar(wide, to: &out)
        case 0xFFE0...0xFFE6: appendScalar(fullWidthSigns[Int(v - 0xFFE0)], to: &out)
        default:
            guard let scalar = Unicode.Scalar(v) else { return }
            if specialFoldRange.contains(v), let folds = specialFolds[v] {
                for f in folds {
                    composes = composes || combines(f)
                    appendScalar(f, to: &out)
                }
            } else if scalar.properties.changesWhenLowercased {
                for s in scalar.properties.lowercaseMapping.unicodeScalars {
                    composes = composes || combines(s.value)
                    appendScalar(s.value, to: &out)
                }
            } else {
                composes = composes || combines(v)
                appendScalar(v, to: &out)
            }
        }
    }

    /// Whether NFC may change text holding `v`: a combining mark, or a Hangul jamo.
    @inline(__always)
    private static func combines(_ v: UInt32) -> Bool {
        guard v >= 0x300 else { return false }
        if (0x1100...0x11FF).contains(v) { return true }
        return Unicode.Scalar(v).map { $0.properties.canonicalCombiningClass != .notReordered } ?? false
    }

    @inline(__always)
    private static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case ..<0x80: out.append(UInt8(v))
        case ..<0x800:
            out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        }
    }

    private static let ligatures = ["ff", "fi", "fl", "ffi", "ffl", "st", "st"]
    /// U+FFE0…U+FFE6: ￠ ￡ ￢ ￣ ￤ ￥ ￦ (the macron stays, as Foundation keeps it).
    private static let fullWidthSigns: [UInt32] = [0xA2, 0xA3, 0xAC, 0xFFE3, 0xA6, 0xA5, 0x20A9]
    /// U+FF61…U+FF9F, half-width katakana and punctuation, as their full-width forms (the voicing
    /// marks become the combining ones, so ｶﾞ composes to ガ).
    private static let halfWidthKana: [UInt32] = [
        0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3,
        0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB,
        0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8,
        0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF,
        0x30F3, 0x3099, 0x309A,
    ]

    /// Whether `needle` occurs in `haystack`. Two bytes of the needle, the least common and the
    /// least common at another offset (not the first: `e`, a space or a Cyrillic lead byte is
    /// everywhere), are compared at eight places at once (one 64-bit word each); only places where
    /// both match are compared whole. One pass, no libc call per candidate (memchr on one byte
    /// stopped every few dozen bytes in real text).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        let m = haystack.count
        if n > m { return false }
        let h = haystack.baseAddress!, w = needle.baseAddress!
        if n == 1 { return memchr(h, Int32(needle[0]), m) != nil }
        var a = 0
        for i in 1..<n where commonness[Int(needle[i])] < commonness[Int(needle[a])] { a = i }
        var b = a == 0 ? 1 : 0
        for i in 0..<n where i != a && commonness[Int(needle[i])] < commonness[Int(needle[b])] { b = i }
        let (ba, bb) = (needle[a], needle[b])
        let last = m - n // the last place the needle can start
        var p = 0
        // Sixteen places at once (SSE2 compares); the rest eight at a time, then one by one.
        let (va, vb) = (SIMD16<UInt8>(repeating: ba), SIMD16<UInt8>(repeating: bb))
        while p + 15 <= last {
            // Bytes p+a…p+a+15 and p+b…p+b+15 lie within the haystack: a, b < n and p+15 <= m-n.
            let both = (h.loadUnaligned(fromByteOffset: p + a, as: SIMD16<UInt8>.self) .== va)
                .& (h.loadUnaligned(fromByteOffset: p + b, as: SIMD16<UInt8>.self) .== vb)
            if any(both) {
                for k in 0..<16 where both[k] && same(h + (p + k), w, n) { return true }
            }
            p += 16
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let (wa, wb) = (UInt64(ba) &* ones, UInt64(bb) &* ones)
        while p + 7 <= last {
            // Bytes p+a…p+a+7 and p+b…p+b+7 lie within the haystack: a, b < n and p+7 <= m-n.
            let z = (UInt64(littleEndian: h.loadUnaligned(fromByteOffset: p + a, as: UInt64.self)) ^ wa)
                | (UInt64(littleEndian: h.loadUnaligned(fromByteOffset: p + b, as: UInt64.self)) ^ wb)
            // A high bit for every zero byte of z (and maybe for some bytes above one): both anchors match there.
            var hits = (z &- ones) & ~z & 0x8080_8080_8080_8080
            while hits != 0 {
                if same(h + (p + hits.trailingZeroBitCount >> 3), w, n) { return true }
                hits &= hits &- 1
            }
            p += 8
        }
        while p <= last {
            if h.load(fromByteOffset: p + a, as: UInt8.self) == ba, h.load(fromByteOffset: p + b, as: UInt8.self) == bb,
               same(h + p, w, n) { return true }
            p += 1
        }
        return false
    }

    /// Whether `n` bytes at `a` and `b` are equal; short ones compared inline (a libc call per
    /// candidate cost more than the compare).
    @inline(__always)
    static func same(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        if n > 16 { return memcmp(a, b, n) == 0 }
        for i in 0..<n where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        return true
    }

    /// How common each byte is in folded mail text (English letter order, Cyrillic lead bytes);
    /// only the order matters.
    private static let commonness: [UInt8] = {
        var table = [UInt8](repeating: 60, count: 256)
        for (i, c) in "etaoinshrdlcumwfgypbvkjxqz".utf8.enumerated() { table[Int(c)] = UInt8(220 - i * 6) }
        for c in "0123456789.,-:/'\"()".utf8 { table[Int(c)] = 110 }
        for b in 0x80...0xBF { table[b] = 140 }
        table[0x20] = 250
        table[0x0A] = 200
        table[0xD0] = 240
        table[0xD1] = 240
        return table
    }()

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBytes { h in needle.withUnsafeBytes { n in contains(h, n) } }
    }
}
