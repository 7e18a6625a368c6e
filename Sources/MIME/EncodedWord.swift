#if canImport(Glibc)
import Glibc
#endif

/// RFC 2047 encoded words in header text ("=?utf-8?B?...?="), plus raw 8-bit header bytes.
enum EncodedWord {
    /// What went wrong while decoding one header's text.
    struct Problems: OptionSet, Sendable {
        let rawValue: UInt8
        static let invalidWord = Problems(rawValue: 1)
        static let unknownCharset = Problems(rawValue: 2)
        static let lossy = Problems(rawValue: 4)
        static let rawNonASCII = Problems(rawValue: 8)
        static let guessed = Problems(rawValue: 16)
    }

    /// Removes folding (a line break followed by whitespace) and trims the ends.
    static func unfold(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = raw.startIndex, hi = raw.endIndex
        while lo < hi, isSpace(raw[lo]) { lo += 1 }
        while hi > lo, isSpace(raw[hi - 1]) { hi -= 1 }
        let trimmed = raw[lo..<hi]
        // Line breaks found with memchr and the text between them copied in runs: every header
        // of every message comes through here, some of them kilobytes long (DKIM, ARC, Received).
        return trimmed.withUnsafeBufferPointer { p -> ArraySlice<UInt8> in
            guard let base = p.baseAddress else { return trimmed }
            let n = p.count
            func nextBreak(_ from: Int) -> Int {
                let lf = memchr(base + from, 0x0A, n - from).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
                return memchr(base + from, 0x0D, lf - from).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? lf
            }
            var stop = nextBreak(0)
            guard stop < n else { return trimmed }
            let out = [UInt8](unsafeUninitializedCapacity: n) { o, written in
                guard let dst = o.baseAddress else { return }
                var w = 0, i = 0
                while true {
                    (dst + w).initialize(from: base + i, count: stop - i)
                    w += stop - i
                    guard stop < n else { break }
                    i = stop + 1
                    stop = i < n ? nextBreak(i) : n
                }
                written = w
            }
            return out[...]
        }
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// Decodes the encoded words in `text`. Adjacent words are joined (the space between them is
    /// dropped) and words in the same charset are decoded together, so a multi-byte character split
    /// across two words survives. A word in an unknown charset stays as written.
    /// Raw 8-bit bytes outside words are UTF-8 when valid, else decoded as `fallbackCharset` or guessed.
    static func decode(_ text: ArraySlice<UInt8>, fallbackCharset: String? = nil) -> (String, Problems) {
        var problems: Problems = []
        let hasWord = text.count > 5 && containsWordStart(text)
        if !hasWord {
            return (literal(text, fallbackCharset: fallbackCharset, problems: &problems), problems)
        }
        var out = ""
        var literalStart = text.startIndex
        var pendingCharset: String? = nil
        var pendingBytes: [UInt8] = []
        var pendingRaw: ArraySlice<UInt8> = []
        var i = text.startIndex
        let end = text.endIndex

        func flushPending() {
            guard let cs = pendingCharset else { return }
            let decoded = Charset.decode(pendingBytes, label: cs)
            if decoded.unknown || !Charset.isKnown(cs) {
                problems.insert(.unknownCharset)
                out += String(decoding: pendingRaw, as: UTF8.self)
            } else {
                if decoded.lossy { problems.insert(.lossy) }
                out += decoded.text
            }
            pendingCharset = nil
            pendingBytes.removeAll(keepingCapacity: true)
        }

        while i < end {
            guard text[i] == 0x3D, i + 1 < end, text[i + 1] == 0x3F, let word = parseWord(text, at: i) else {
                i += 1
                continue
            }
            // Literal text before this word: dropped when it is only whitespace between two words.
            let between = text[literalStart..<i]
            let onlySpace = between.allSatisfy(isSpace)
            if pendingCharset != nil, onlySpace {
                // joined
            } else {
                flushPending()
                out += literal(between, fallbackCharset: fallbackCharset, problems: &problems)
            }
            if !word.clean { problems.insert(.invalidWord) }
            let cs = word.charset.lowercased()
            if let p = pendingCharset, Charset.canonicalName(p) != Charset.canonicalName(cs) { flushPending() }
            if pendingCharset == nil { pendingCharset = cs; pendingRaw = text[i..<word.end] }
            else { pendingRaw = text[pendingRaw.startIndex..<word.end] }
            pendingBytes += word.bytes
            i = word.end
            literalStart = i
        }
        flushPending()
        out += literal(text[literalStart..<end], fallbackCharset: fallbackCharset, problems: &problems)
        return (out, problems)
    }

    private static func containsWordStart(_ text: ArraySlice<UInt8>) -> Bool {
        var prev: UInt8 = 0
        for b in text {
            if prev == 0x3D && b == 0x3F { return true }
            prev = b
        }
        return false
    }

    /// Text outside encoded words: ASCII as is; 8-bit bytes as UTF-8 (RFC 6532) or a flagged guess.
    static func literal(_ bytes: ArraySlice<UInt8>, fallbackCharset: String?, problems: inout Problems) -> String {
        if Charset.isASCII(bytes) {
            // Raw ISO-2022-JP (escape sequences in 7-bit text), as old Japanese mailers send it.
            if bytes.contains(0x1B), let d = Charset.iconvDecode(Array(bytes), from: "ISO-2022-JP-2"), !d.lossy {
                problems.insert(.rawNonASCII)
                return d.text
            }
            return Charset.asciiString(bytes)
        }
        if let s = Charset.validUTF8(bytes) { return s }
        problems.insert(.rawNonASCII)
        if let fallbackCharset {
            let d = Charset.decode(bytes, label: fallbackCharset)
            if !d.unknown {
                if d.lossy { problems.insert(.lossy) }
                return d.text
            }
        }
        problems.insert(.guessed)
        return Charset.guess(bytes).text
    }

    struct Word {
        var charset: String
        var bytes: [UInt8]
        var end: Int
        var clean: Bool
    }

    /// Parses "=?charset?E?text?=" starting at `start`, or nil when it is not a well-formed word.
    static func parseWord(_ text: ArraySlice<UInt8>, at start: Int) -> Word? {
        let end = text.endIndex
        var i = start + 2
        let csStart = i
        while i < end, text[i] != 0x3F {
            let c = text[i]
            if c <= 0x20 || c >= 0x7F || c == 0x3D { return nil }
            i += 1
            if i - csStart > 64 { return nil }
        }
        guard i < end, i > csStart else { return nil }
        let charset = String(decoding: text[csStart..<i], as: UTF8.self)
        i += 1
        guard i + 1 < end, text[i + 1] == 0x3F else { return nil }
        let enc = text[i] | 0x20
        guard enc == 0x62 || enc == 0x71 else { return nil }
        i += 2
        let payloadStart = i
        // The payload ends at "?="; encoded words never contain whitespace, but some mailers put
        // spaces in Q words, so allow them and stop at the terminator.
        // Bounded: RFC 2047 words are at most 75 characters; real ones run longer, but a header full
        // of unterminated "=?" must not make this quadratic.
        let limit = min(end, payloadStart + 1_024)
        while i + 1 < limit, !(text[i] == 0x3F && text[i + 1] == 0x3D) { i += 1 }
        guard i + 1 < limit else { return nil }
        let payload = text[payloadStart..<i]
        let decoded = enc == 0x62 ? TransferDecoding.base64(payload) : TransferDecoding.quotedPrintable(payload, header: true)
        return Word(charset: charset, bytes: decoded.bytes, end: i + 2, clean: decoded.clean)
    }
}
