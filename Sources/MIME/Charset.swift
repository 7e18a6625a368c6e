import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns bytes in a mail charset into text. Labels are mapped to what real mail means by them
/// (a "gb2312" message is usually GBK, "iso-8859-1" usually windows-1252); conversion goes through
/// glibc iconv because Foundation's converters are unreliable on Linux.
enum Charset {
    /// The outcome of one conversion: the text and how much trust it deserves.
    struct Decoded {
        var text: String
        /// Some bytes were not valid in the charset and became U+FFFD.
        var lossy: Bool = false
        /// The label was not a charset iconv knows; a fallback was used.
        var unknown: Bool = false
        /// The label was wrong: the bytes were not valid in it but are valid UTF-8, read as such.
        var mislabelledUTF8: Bool = false
    }

    /// The iconv name for a label from a message, after the aliases real mail needs.
    static func canonicalName(_ label: String) -> String {
        var name = labelKey(label)
        switch name {
        case "utf8", "utf-8", "x-utf8", "x-utf-8", "unicode-1-1-utf-8", "unicode-2-0-utf-8", "utf_8": return "UTF-8"
        case "unicode-1-1-utf-7", "utf7", "utf-7", "x-utf-7", "unicode-2-0-utf-7": return "UTF-7"
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "cp367", "ascii-us": return "US-ASCII"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
             "iso-8859-1:1987", "iso_8859-1:1987", "8859-1", "iso88591", "windows-1252", "cp1252",
             "cp-1252", "win-1252", "x-cp1252", "ms-ansi", "ansi", "iso-ir-100": return "WINDOWS-1252"
        case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "euccn", "x-euc-cn",
             "chinese", "csgb2312", "gb_2312-80", "gb18030", "hz-gb-2312": return name == "hz-gb-2312" ? "HZ" : "GB18030"
        case "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ks_c_5601-1989", "euc-kr", "euckr", "korean",
             "cp949", "windows-949", "x-windows-949", "ksc_5601", "csksc56011987": return "CP949"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932",
             "x-ms-cp932", "ms932": return "CP932"
        case "iso-2022-jp", "csiso2022jp", "iso2022jp", "jis": return "ISO-2022-JP-2"
        case "euc-jp", "eucjp", "x-euc-jp", "x-euc": return "EUC-JP-MS"
        case "big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "big5-hkscs", "cp950", "x-big5": return "BIG5-HKSCS"
        case "x-mac-roman", "macintosh", "mac", "macroman", "x-mac", "csmacintosh": return "MACINTOSH"
        case "x-mac-cyrillic", "mac-cyrillic", "maccyrillic", "x-mac-ukrainian": return "MAC-CYRILLIC"
        case "x-mac-ce", "x-mac-centraleurroman", "x-mac-centraleurope", "mac-centraleurope": return "MAC-CENTRALEUROPE"
        case "x-mac-icelandic", "mac-is": return "MAC-IS"
        case "iso-8859-8-i", "iso-8859-8-e", "logical", "visual": return "ISO-8859-8"
        case "iso-8859-6-i", "iso-8859-6-e": return "ISO-8859-6"
        case "tis-620", "windows-874", "x-windows-874", "cp874", "iso-8859-11": return "CP874"
        case "koi8r", "koi8", "koi": return "KOI8-R"
        case "latin2", "l2": return "ISO-8859-2"
        case "utf-16", "utf16": return "UTF-16"
        default: break
        }
        if name.hasPrefix("x-") { name.removeFirst(2) }
        for prefix in ["windows-", "win-", "cp-", "cp", "ms-"] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            if !digits.isEmpty, digits.allSatisfy(\.isNumber) { return digits.count == 4 ? "WINDOWS-\(digits)" : "CP\(digits)" }
        }
        if name.hasPrefix("iso8859-") { return "ISO-8859-" + name.dropFirst(8) }
        if name.hasPrefix("iso_8859-") { return "ISO-8859-" + name.dropFirst(9) }
        if name.hasPrefix("iso8859") { return "ISO-8859-" + name.dropFirst(7) }
        return name.uppercased()
    }

    /// The label trimmed of white space and quotes, lowercased, without an RFC 2231 language
    /// suffix ("utf-8*en"). On UTF-8 bytes: labels are ASCII and this runs for every part.
    static func labelKey(_ label: String) -> String {
        let u = label.utf8
        @inline(__always) func junk(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0x22 || b == 0x27 }
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, junk(u[lo]) { lo = u.index(after: lo) }
        while hi > lo, junk(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        if let star = u[lo..<hi].firstIndex(of: 0x2A) { hi = star }
        let trimmed = u[lo..<hi]
        if !trimmed.contains(where: { ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 }) {
            return lo == u.startIndex && hi == u.endIndex ? label : String(Substring(trimmed))
        }
        return String(Substring(trimmed)).lowercased()
    }

    /// Whether iconv (or our own decoders) know this label. Answers are cached: labels repeat.
    static func isKnown(_ label: String) -> Bool {
        let name = canonicalName(label)
        switch name {
        case "UTF-8", "US-ASCII", "WINDOWS-1252": return true
        default: break
        }
        if let cached = knownCache.lookup(name) { return cached }
        let cd = IconvPool.shared.take(name)
        if let cd { IconvPool.shared.give(cd, name) }
        knownCache.store(name, cd != nil)
        return cd != nil
    }

    /// A small lock-protected memo of label → known.
    final class KnownCache: @unchecked Sendable {
        private var map: [String: Bool] = [:]
        private let lock = NSLock()
        func lookup(_ name: String) -> Bool? { lock.lock(); defer { lock.unlock() }; return map[name] }
        func store(_ name: String, _ known: Bool) {
            lock.lock(); defer { lock.unlock() }
            if map.count < 1_000 { map[name] = known }
        }
    }
    static let knownCache = KnownCache()

    /// Decodes `bytes` labelled `label` (nil: no label, so UTF-8 if valid, else a guess).
    static func decode<C: Collection>(_ bytes: C, label: String?) -> Decoded where C.Element == UInt8 {
        // Plain ASCII reads the same in every ASCII-compatible charset; escape-based and wide ones
        // (ISO-2022-*, UTF-7, HZ, UTF-16) announce themselves with ESC, "+", "~" or NUL bytes.
        if isASCII(bytes), label == nil || !bytes.contains(where: { $0 == 0x1B || $0 == 0x2B || $0 == 0x7E || $0 == 0 }) {
            return Decoded(text: asciiString(bytes))
        }
        guard let label, !label.isEmpty else { return guess(bytes) }
        let name = canonicalName(label)
        switch name {
        case "UTF-8":
            if let s = validUTF8(bytes) { return Decoded(text: s) }
            return Decoded(text: String(decoding: Array(bytes), as: UTF8.self), lossy: true)
        case "US-ASCII" where isASCII(bytes), "WINDOWS-1252" where isASCII(bytes), "UTF-8" where isASCII(bytes):
            return Decoded(text: asciiString(bytes))
        case "US-ASCII":
            // 8-bit bytes under an ASCII label: mislabelled UTF-8 or windows-1252.
            if let s = validUTF8(bytes) { return Decoded(text: s) }
            return Decoded(text: windows1252(bytes))
        case "WINDOWS-1252":
            return Decoded(text: windows1252(bytes))
        default:
            if let result = iconvDecode(Array(bytes), from: name) {
                // Mislabelled UTF-8 is common (a "big5" label on UTF-8 text): prefer it over U+FFFD.
                if result.lossy, let s = validUTF8(bytes) { return Decoded(text: s, mislabelledUTF8: true) }
                return result
            }
            var fallback = guess(bytes)
            fallback.unknown = true
            return fallback
        }
    }

    /// No usable label: UTF-8 when the bytes are valid UTF-8, else a Cyrillic or Western guess.
    static func guess<C: Collection>(_ bytes: C) -> Decoded where C.Element == UInt8 {
        if let s = validUTF8(bytes) { return Decoded(text: s) }
        if let cyrillic = cyrillicGuess(bytes), let result = iconvDecode(Array(bytes), from: cyrillic) { return result }
        return Decoded(text: windows1252(bytes))
    }

    /// The likely Cyrillic charset when the 8-bit bytes look like words of Cyrillic letters.
    /// koi8-r and windows-1251 both put the 32 letters at 0xC0-0xFF, in different orders; the
    /// reading whose letters are more frequent in Russian text wins.
    static func cyrillicGuess<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        var high = 0, letterRange = 0, asciiLetters = 0
        var koi = 0.0, win = 0.0
        for b in bytes {
            if b >= 0x80 {
                high += 1
                if b >= 0xC0 {
                    letterRange += 1
                    let k = Int(b - 0xC0) & 31
                    koi += russianFrequency[koiOrder[k]] + (b < 0xE0 ? 0.5 : 0)
                    win += russianFrequency[k] + (b >= 0xE0 ? 0.5 : 0)
                }
            } else if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A { asciiLetters += 1 }
        }
        guard high >= 4, high >= asciiLetters, letterRange * 10 >= high * 8 else { return nil }
        return koi > win ? "KOI8-R" : "WINDOWS-1251"
    }

    /// Letter frequency (percent) in Russian text, by position in "абвгдежзийклмнопрстуфхцчшщъыьэюя".
    private static let russianFrequency: [Double] = [
        8.01, 1.59, 4.54, 1.70, 2.98, 8.45, 0.94, 1.65, 7.35, 1.21, 3.49, 4.40, 3.21, 6.70, 10.97, 2.81,
        4.73, 5.47, 6.26, 2.62, 0.26, 0.97, 0.48, 1.44, 0.73, 0.36, 0.04, 1.90, 1.74, 0.32, 0.64, 2.01,
    ]
    /// koi8-r's letter order "юабцдефгхийклмнопярстужвьызшэщчъ" as positions in the alphabet above.
    private static let koiOrder: [Int] = [30, 0, 1, 22, 4, 5, 20, 3, 21, 8, 9, 10, 11, 12, 13, 14, 15, 31, 16, 17, 18, 19, 6, 2, 28, 27, 7, 24, 29, 25, 23, 26]

    static func isASCII<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable(isASCII) { return r }
        return !bytes.contains { $0 >= 0x80 }
    }

    /// Eight bytes at a time: every header and text part asks this first.
    static func isASCII(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buf.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = buf.count
        var i = 0
        while i + 32 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            if x & 0x8080_8080_8080_8080 != 0 { return false }
            i += 32
        }
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    static func asciiString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let s = bytes.withContiguousStorageIfAvailable({ String(decoding: $0, as: UTF8.self) }) { return s }
        return String(decoding: Array(bytes), as: UTF8.self)
    }

    static func validUTF8<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) }) { return r }
        return String(validating: Array(bytes), as: UTF8.self)
    }

    /// windows-1252 done in Swift: the common case must be fast, and the five bytes 1252 leaves
    /// undefined map to the same-numbered C1 controls (as browsers do) instead of failing.
    static func windows1252<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 2)
        for b in bytes {
            if b < 0x80 { out.append(b) } else { out += cp1252UTF8[Int(b) - 0x80] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// UTF-8 encodings of bytes 0x80-0xFF read as windows-1252.
    private static let cp1252UTF8: [[UInt8]] = (0x80...0xFF).map { b in
        let v: UInt32 = b < 0xA0 ? cp1252High[b - 0x80] : UInt32(b)
        return Array(String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Converts with iconv; invalid bytes become U+FFFD one at a time so that nothing after them is
    /// lost. Returns nil only when iconv does not know the charset.
    static func iconvDecode(_ bytes: [UInt8], from charset: String) -> Decoded? {
        guard let cd = IconvPool.shared.take(charset) else { return nil }
        defer { IconvPool.shared.give(cd, charset) }
        var input = bytes
        var out = [UInt8](repeating: 0, count: max(64, bytes.count * 3 + 16))
        var produced = 0
        var lossy = false
        input.withUnsafeMutableBufferPointer { ib in
            guard let base = ib.baseAddress else { return }
            var offset = 0
            while offset < ib.count {
                var inLeft = ib.count - offset
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base + offset).assumingMemoryBound(to: CChar.self)
                var err: Int32 = 0
                let consumedBefore = inLeft
                out.withUnsafeMutableBufferPointer { ob in
                    var outLeft = ob.count - produced
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress! + produced).assumingMemoryBound(to: CChar.self)
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    produced = ob.count - outLeft
                    err = r == -1 ? errno : 0
                }
                offset += consumedBefore - inLeft
                if err == 0 { break }
                if err == E2BIG {
                    out += [UInt8](repeating: 0, count: out.count)
                    continue
                }
                // EILSEQ (invalid) or EINVAL (truncated at the end): mark it and skip one byte.
                lossy = true
                if out.count - produced < 3 { out += [UInt8](repeating: 0, count: out.count) }
                out[produced] = 0xEF; out[produced + 1] = 0xBF; out[produced + 2] = 0xBD
                produced += 3
                offset += 1
                _ = iconv(cd, nil, nil, nil, nil)
            }
        }
        return Decoded(text: String(decoding: out[..<produced], as: UTF8.self), lossy: lossy)
    }
}
