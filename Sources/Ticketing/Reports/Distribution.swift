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
        let sorted = values.sorted()
        let n = sorted.count
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        p90 = sorted[Swift.max(0, (9 * n + 9) / 10 - 1)]
        mean = sorted.reduce(0, +) / Int64(n)
    }

    public init(count: Int, median: Int64?, p90: Int64?, mean: Int64?) {
        self.count = count
        self.median = median
        self.p90 = p90
        self.mean = mean
    }
}
