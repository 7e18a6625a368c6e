/// Trimming without Foundation: `trimmingCharacters(in:)` bridges through NSString on Linux and
/// dominated parse time on long bodies. These work on UTF-8 code units.
extension StringProtocol where SubSequence == Substring {
    /// Without leading and trailing ASCII white space (space, tab, CR, LF, VT, FF).
    func trimmedSpace() -> Substring {
        let s = self[...]
        let u = s.utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, Self.isSpace(u[lo]) { lo = u.index(after: lo) }
        while hi > lo, Self.isSpace(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        return s[lo..<hi]
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// Without leading and trailing characters from `set`.
    func trimmed(_ set: Set<Character>) -> Substring {
        let s = self[...]
        guard let first = s.firstIndex(where: { !set.contains($0) }) else { return s[s.endIndex...] }
        let last = s.lastIndex(where: { !set.contains($0) }) ?? first
        return s[first...last]
    }

    /// True when the text has nothing but ASCII white space.
    var isBlank: Bool { utf8.allSatisfy(Self.isSpace) }
}

extension String {
    /// ASCII case-insensitive equality on UTF-8 bytes (header names are ASCII); no Foundation.
    @inline(__always) func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        // Native strings compare on their contiguous bytes (a zip of the two views was 2 % of a parse).
        if let r = a.withContiguousStorageIfAvailable({ x in b.withContiguousStorageIfAvailable { y in Self.equalsIgnoringASCIICase(x, y) } }),
           let r { return r }
        for (x, y) in zip(a, b) where x != y {
            if Self.lowerASCII(x) != Self.lowerASCII(y) { return false }
        }
        return true
    }

    @inline(__always) static func lowerASCII(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    static func equalsIgnoringASCIICase(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<x.count where x[i] != y[i] {
            if lowerASCII(x[i]) != lowerASCII(y[i]) { return false }
        }
        return true
    }
}

extension String {
    /// Without surrounding white space and double quotes ("\"base64\"" in Content-Transfer-Encoding).
    func trimmingCharactersSpaceAndQuotes() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\"" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\"" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
