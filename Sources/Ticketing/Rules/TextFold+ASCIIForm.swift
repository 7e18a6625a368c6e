/// Skipping the fold for ASCII needles. An ASCII needle meets the folded text only inside runs of
/// folded ASCII bytes (UTF-8 never puts an ASCII byte inside a longer character). When no
/// character of the text folds to anything holding ASCII, is dropped by the fold, or makes it
/// compose, those runs are exactly the text's own ASCII runs lower-cased, with the same
/// non-ASCII neighbours: so `equals`, `contains`, `starts_with`, `ends_with` and `in` with an
/// ASCII needle give the same answer on the text with only A–Z lower-cased. Intake mail is
/// mostly such text (accents, Cyrillic, CJK), and folding it was most of the rules' cost.
extension TextFold {
    /// Appends the ASCII form of at most the first `limit` bytes of `text` (cut as `append` cuts:
    /// before a character that does not fit whole) and returns true; or, when a character in
    /// that part touches ASCII (`touchesASCII`), appends nothing and returns false.
    static func appendASCIIForm(_ text: String, limit: Int, to out: inout [UInt8]) -> Bool {
        var text = text
        if let done = text.utf8.withContiguousStorageIfAvailable({ appendASCIIForm($0, limit: limit, to: &out) }) { return done }
        text.makeContiguousUTF8()
        return appendASCIIForm(text, limit: limit, to: &out)
    }

    private static func appendASCIIForm(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int, to out: inout [UInt8]) -> Bool {
        var end = min(bytes.count, limit)
        // A cut inside a character drops that character (its continuation bytes are 10xxxxxx).
        if end < bytes.count { while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 } }
        guard end > 0 else { return true }
        let base = UnsafeRawPointer(bytes.baseAddress!)
        var i = 0
        while i < end {
            while i + 8 <= end, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < end else { break }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            guard i + length <= end else { return false }
            var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
            if touchesASCII(v) { return false }
            i += length
        }
        let from = out.count
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<end]))
        out.withUnsafeMutableBytes { lowerASCIILetters($0, from: from) }
        return true
    }

    /// A–Z to a–z in `buffer[from...]`, eight bytes at a time; other bytes, non-ASCII ones
    /// included, stay as they are (each byte's top bit is taken off before the arithmetic, so
    /// no carry crosses into its neighbour).
    static func lowerASCIILetters(_ buffer: UnsafeMutableRawBufferPointer, from: Int) {
        guard let p = buffer.baseAddress else { return }
        var i = from
        while i + 8 <= buffer.count {
            let word = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let low7 = word & 0x7F7F_7F7F_7F7F_7F7F
            let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F // top bit set where the byte's low 7 bits >= 0x41
            let pastZ = low7 &+ 0x2525_2525_2525_2525    // top bit set where they are >= 0x5B
            let upper = atLeastA & ~pastZ & ~word & 0x8080_8080_8080_8080
            p.storeBytes(of: word | (upper >> 2), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < buffer.count {
            let b = buffer[i]
            if b >= 0x41 && b <= 0x5A { buffer[i] = b | 0x20 }
            i += 1
        }
    }

    /// Whether the non-ASCII scalar `v` may make the fold differ from the ASCII form where an
    /// ASCII needle could see it: its fold holds an ASCII byte (ß → ss, ſ → s, K → k, ﬁ → fi,
    /// full-width Ａ → a, U+3000 → space, İ → i̇, ŉ → ʼn …), is empty, or asks for composition
    /// (a combining mark can join an ASCII letter: e + ◌́ → é). Read from `fold` itself, a bit
    /// per scalar for U+0080–U+1FFFF (made once), so it cannot drift from it; above, `fold` is asked.
    @inline(__always)
    static func touchesASCII(_ v: UInt32) -> Bool {
        if v < 0x20000 { return asciiTouchers[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 }
        return foldTouchesASCII(v)
    }

    private static let asciiTouchers: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x20000 / 64)
        var scratch: [UInt8] = []
        for v in UInt32(0x80)..<0x20000 where foldTouchesASCII(v, scratch: &scratch) { bits[Int(v >> 6)] |= 1 << UInt64(v & 63) }
        return bits
    }()

    static func foldTouchesASCII(_ v: UInt32) -> Bool {
        var scratch: [UInt8] = []
        return foldTouchesASCII(v, scratch: &scratch)
    }

    private static func foldTouchesASCII(_ v: UInt32, scratch: inout [UInt8]) -> Bool {
        guard Unicode.Scalar(v) != nil else { return true } // surrogates: never in a String
        scratch.removeAll(keepingCapacity: true)
        var composes = false
        fold(v, to: &scratch, composes: &composes)
        return composes || scratch.isEmpty || scratch.contains { $0 < 0x80 }
    }
}
