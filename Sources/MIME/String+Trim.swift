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
        for (x, y) in zip(a, b) where x != y {
            let lx = (x >= 0x41 && x <= 0x5A) ? x | 0x20 : x
            let ly = (y >= 0x41 && y <= 0x5A) ? y | 0x20 : y
            if lx != ly { return false }
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
