/// Comparison whose running time does not depend on where two secrets first differ.
public enum ConstantTime {
    /// True when `a` and `b` hold the same bytes. Lengths are not secret; only contents are compared evenly.
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Compares the UTF-8 bytes of two strings, e.g. a token typed into a subject and the expected one.
    public static func equals(_ a: String, _ b: String) -> Bool { equals(Array(a.utf8), Array(b.utf8)) }
}
