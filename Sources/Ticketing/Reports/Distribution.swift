/// Median, 90th percentile and mean of durations in seconds.
/// Median: the middle value, or the mean of the two middle ones (rounded down); p90: the
/// nearest-rank value (the ⌈0.9·n⌉-th smallest); mean rounded down. All nil when empty.
public struct Distribution: Sendable, Equatable {
    public var count: Int
    public var median: Int64?
    public var p90: Int64?
    public var mean: Int64?

    public init(_ values: [Int64]) {
        count = values.count
        guard !values.isEmpty else { return }
        // Selection instead of a full sort: a yearly report takes a dozen distributions of up to
        // a million durations each, and only three ranks of each are read.
        var v = values
        let n = v.count
        let middle = n / 2, rank90 = Swift.max(0, (9 * n + 9) / 10 - 1)
        let (middleValue, p90Value, below) = v.withUnsafeMutableBufferPointer { buffer in
            Self.select(rank90, in: buffer, lower: 0, upper: n - 1)
            // Everything before rank90 is now no larger than it, and middle <= rank90.
            Self.select(middle, in: buffer, lower: 0, upper: rank90)
            // After selecting `middle`, the values before it are the n/2 smallest: their
            // largest is the other middle value of an even count.
            return (buffer[middle], buffer[rank90], middle > 0 ? buffer[0..<middle].max()! : buffer[middle])
        }
        p90 = p90Value
        median = Self.median(count: n, middle: middleValue, below: below)
        mean = values.reduce(0, +) / Int64(n)
    }

    /// The median of `a` alone (what a group's figure needs), reordering `a`; nil when empty.
    static func median(reordering a: UnsafeMutableBufferPointer<Int64>) -> Int64? {
        let n = a.count
        guard n > 0 else { return nil }
        let middle = n / 2
        select(middle, in: a, lower: 0, upper: n - 1)
        return median(count: n, middle: a[middle], below: middle > 0 ? a[0..<middle].max()! : a[middle])
    }

    /// `middle`: the (n/2)-th smallest value (from 0); `below`: the one just under it in order.
    private static func median(count n: Int, middle: Int64, below: Int64) -> Int64 {
        n % 2 == 1 ? middle : (below + middle) / 2
    }

    public init(count: Int, median: Int64?, p90: Int64?, mean: Int64?) {
        self.count = count
        self.median = median
        self.p90 = p90
        self.mean = mean
    }

    /// Puts the `k`-th smallest of `a[lower...upper]` at index `k`, smaller or equal values
    /// before it and larger or equal after (Hoare's FIND). Falls back to sorting the part still
    /// open when pivots keep being poor, so the cost stays O(n log n) at worst.
    static func select(_ k: Int, in a: UnsafeMutableBufferPointer<Int64>, lower: Int, upper: Int) {
        var lo = lower, hi = upper
        var budget = 2 * (Int.bitWidth - (upper - lower + 1).leadingZeroBitCount) + 4
        while hi > lo {
            if budget == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
                rest.sort()
                return
            }
            budget -= 1
            let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi]
            let pivot = Swift.max(Swift.min(x, y), Swift.min(Swift.max(x, y), z))
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // [lo, j] <= pivot, [i, hi] >= pivot, and what lies between equals the pivot.
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}
