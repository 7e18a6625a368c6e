extension StringProtocol {
    /// The text without leading and trailing whitespace (Foundation-free, works on substrings).
    /// Walks Unicode scalars, not Characters: every inbound subject passes here, and grapheme
    /// breaking was most of the cost.
    func trimmingWhitespace() -> String {
        let scalars = Substring(self).unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].isSpaceLike { start = scalars.index(after: start) }
        while start < end, scalars[scalars.index(before: end)].isSpaceLike { end = scalars.index(before: end) }
        return String(Substring(scalars[start..<end]))
    }
}

extension Unicode.Scalar {
    /// Whitespace or a line break (Unicode White_Space), with an ASCII fast path.
    @inline(__always) var isSpaceLike: Bool {
        value < 0x80 ? (value == 0x20 || (value >= 0x09 && value <= 0x0D)) : properties.isWhitespace
    }
}
