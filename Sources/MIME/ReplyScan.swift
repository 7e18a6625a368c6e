/// `ReplyText`'s scan over the UTF-8 bytes of a text: where the new part of a reply ends.
/// Every marker test first looks at a line's first and last bytes; only a line that passes
/// becomes a lowercased String for the phrase tables (`ReplyText`), so the verdicts are those
/// of the tables while prose lines cost a few byte compares.
///
/// A scan borrows the String's own UTF-8 storage (no copy), so it lives only inside
/// `keptBytes(of:)`, within `withUTF8`: its initialiser is private, and what leaves is an array.
struct ReplyScan {
    /// One line: `start..<end` without its LF (and a CR right before it), `lo..<hi` the same
    /// without surrounding ASCII white space (empty for a blank line).
    struct Line {
        var start, end, lo, hi: Int
        var isBlank: Bool { lo == hi }
    }

    /// Valid only during the `withUTF8` call of `keptBytes(of:)`.
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var lines: [Line] = []
    /// Whether a CR was dropped before some LF: then the kept text is not a slice of the input.
    private(set) var droppedCR = false

    /// The bytes of the reply in `text` (kept lines joined by LF), or nil when that is the whole
    /// text. `inout` only because `withUTF8` may make the String's storage contiguous first.
    /// Inlined so the intake's code is what it was when callers wrote the `withUTF8` themselves.
    @inline(__always)
    static func keptBytes(of text: inout String) -> [UInt8]? {
        text.withUTF8 { ReplyScan($0).keptBytes() }
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        lines.reserveCapacity(bytes.count / 40 + 1)
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            var end = i
            if end > start, bytes[end - 1] == 0x0D { end -= 1; droppedCR = true }
            lines.append(line(start, end))
            start = i + 1
        }
        lines.append(line(start, bytes.count))
    }

    private func line(_ start: Int, _ end: Int) -> Line {
        var lo = start, hi = end
        while lo < hi, Self.isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, Self.isSpace(bytes[hi - 1]) { hi -= 1 }
        return Line(start: start, end: end, lo: lo, hi: hi)
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// The bytes of the reply (kept lines joined by LF), or nil when that is the whole input.
    private func keptBytes() -> [UInt8]? {
        let cut = cutIndex()
        var out: [UInt8] = []
        if cut < lines.count, lines[..<cut].allSatisfy(\.isBlank) {
            // Interleaved reply: drop quoted lines and attributions, keep the rest up to a signature.
            var first = true
            for k in lines.indices {
                if isSignature(k) { break }
                if startsQuote(k) || isAttribution(k) { continue }
                append(k, to: &out, separated: !first)
                first = false
            }
            return out
        }
        if cut == lines.count, !droppedCR { return nil }
        out.reserveCapacity(cut < lines.count ? lines[cut].start : bytes.count)
        for k in 0..<cut { append(k, to: &out, separated: k > 0) }
        return out
    }

    private func append(_ k: Int, to out: inout [UInt8], separated: Bool) {
        if separated { out.append(0x0A) }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lines[k].start..<lines[k].end]))
    }

    /// The first line of quoted history or signature; `lines.count` when there is none.
    func cutIndex() -> Int {
        var i = 0
        while i < lines.count {
            let l = lines[i]
            guard !l.isBlank else { i += 1; continue }
            let fb = bytes[l.lo], lb = bytes[l.hi - 1]
            let nextEndsColon = endsColon(i + 1)
            let mayBeAttribution = lb == 0x3A || lb == 0x65 || lb == 0x62 || lb == 0x68 || nextEndsColon
            let mayBeSeparator = fb == 0x2D || fb == 0x5F || (lb == 0x3A && (fb | 0x20) == 0x62)
            // Header labels: From/Von/De/Da/Van/Från/Fra/От/*From*.
            let mayBeOutlook = (fb | 0x20) == 0x66 || (fb | 0x20) == 0x76 || (fb | 0x20) == 0x64 || fb == 0x2A || fb == 0xD0
            guard fb == 0x3E || mayBeAttribution || mayBeSeparator || mayBeOutlook else { i += 1; continue }
            if fb == 0x2D, isSignature(i) { return i }
            if mayBeSeparator, ReplyText.isSeparator(lower(i)) { return i }
            if fb == 0x3E {
                // The attribution line(s) right above the quote go too.
                var k = i - 1
                while k >= 0, lines[k].isBlank { k -= 1 }
                guard k >= 0, isAttribution(k) else { return i }
                return k >= 1 && !lines[k - 1].isBlank && startsAttribution(k - 1) ? k - 1 : k
            }
            if mayBeAttribution {
                if isAttribution(i), startsAttribution(i) || i + 1 < lines.count && startsQuote(i + 1) || lb == 0x3A { return i }
                // "On Mon, 1 Jan 2024 at 10:00, Jane Doe <jane@\nexample.com> wrote:" split over two lines.
                if nextEndsColon, startsAttribution(i), isAttribution(i + 1) { return i }
            }
            if mayBeOutlook, bytes[l.lo..<min(l.hi, l.lo + 24)].contains(0x3A), isOutlookBlock(at: i) {
                return i >= 1 && lines[i - 1].end - lines[i - 1].start >= 4 && all(i - 1, { $0 == 0x5F || $0 == 0x2D }) ? i - 1 : i
            }
            if fb == 0x5F, l.end - l.start >= 20, all(i, { $0 == 0x5F }), isOutlookBlock(at: i + 1) { return i }
            i += 1
        }
        return lines.count
    }

    // MARK: - Marker tests: a byte filter, then the phrase tables on the lowercased line

    /// The line, trimmed and lowercased (Unicode rules, as the phrase tables are written).
    func lower(_ k: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[lines[k].lo..<lines[k].hi]), as: UTF8.self).lowercased()
    }

    func endsColon(_ k: Int) -> Bool { k < lines.count && !lines[k].isBlank && bytes[lines[k].hi - 1] == 0x3A }

    /// "--" alone, or the "-- " signature separator.
    func isSignature(_ k: Int) -> Bool {
        let l = lines[k]
        return (l.hi - l.lo == 2 && bytes[l.lo] == 0x2D && bytes[l.lo + 1] == 0x2D)
            || (l.end - l.start == 3 && bytes[l.start] == 0x2D && bytes[l.start + 1] == 0x2D && bytes[l.start + 2] == 0x20)
    }

    /// The trimmed line starts with the character ">" (not ">" under a combining mark).
    func startsQuote(_ k: Int) -> Bool {
        let l = lines[k]
        guard !l.isBlank, bytes[l.lo] == 0x3E else { return false }
        return l.hi - l.lo == 1 || bytes[l.lo + 1] < 0x80 || lower(k).hasPrefix(">")
    }

    /// A lowercased line can end with an attribution ending only if it ends with ":" or, in
    /// ASCII letters of any case, with "wrote" or "schrieb" (no other character lowercases to
    /// these letters as a character of its own).
    func isAttribution(_ k: Int) -> Bool {
        let l = lines[k]
        guard !l.isBlank else { return false }
        guard bytes[l.hi - 1] == 0x3A || endsCaseless(k, "wrote") || endsCaseless(k, "schrieb") else { return false }
        return ReplyText.isAttribution(lower(k))
    }

    /// The attribution openings start with o/a/l/e/i/d/w, "в", U+200E or a number: any other
    /// ASCII first byte rules the line out.
    func startsAttribution(_ k: Int) -> Bool {
        let l = lines[k]
        guard !l.isBlank else { return false }
        let f = bytes[l.lo]
        if f < 0x80 {
            let c = f | 0x20
            guard c == 0x6F || c == 0x61 || c == 0x6C || c == 0x65 || c == 0x69 || c == 0x64 || c == 0x77 || (f >= 0x30 && f <= 0x39)
            else { return false }
        }
        return ReplyText.startsAttribution(lower(k))
    }

    /// "From: …" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:".
    func isOutlookBlock(at i: Int) -> Bool {
        guard i < lines.count else { return false }
        let first = lower(i)
        guard ReplyText.isFromLabel(first) else { return false }
        var sawSent = false, sawTo = false
        for k in (i + 1)..<min(lines.count, i + 6) {
            let t = lower(k)
            if ReplyText.isSentLabel(t) { sawSent = true }
            if ReplyText.isToLabel(t) { sawTo = true }
        }
        // "Von: x@y / Datum: …" without a recipient line still starts quoted history.
        return sawSent && (sawTo || first.contains("@"))
    }

    private func endsCaseless(_ k: Int, _ word: StaticString) -> Bool {
        let l = lines[k], n = word.utf8CodeUnitCount
        guard l.hi - l.lo >= n else { return false }
        let w = word.utf8Start
        for j in 0..<n where bytes[l.hi - n + j] | 0x20 != w[j] { return false }
        return true
    }

    private func all(_ k: Int, _ test: (UInt8) -> Bool) -> Bool {
        bytes[lines[k].start..<lines[k].end].allSatisfy(test)
    }
}
