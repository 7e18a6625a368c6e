/// Durations each tagged with a group (an agent, queue, requester domain or category), kept in
/// two flat arrays and split by group once at the end: a million appends spread over thousands
/// of small arrays cost more than all the report's arithmetic.
struct GroupedDurations {
    private var groups: [Int32] = []
    private var values: [Int64] = []

    init(capacity: Int = 0) {
        groups.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    mutating func append(_ value: Int64, group: Int) {
        groups.append(Int32(truncatingIfNeeded: group))
        values.append(value)
    }

    /// The median of each group `0..<count`, nil for a group without durations (a counting sort
    /// by group, then a selection in each slice where it lies: no copy per group).
    func medians(count: Int) -> [Int64?] {
        var starts = [Int](repeating: 0, count: count + 1)
        for g in groups { starts[Int(g) + 1] += 1 }
        for i in 0..<count { starts[i + 1] += starts[i] }
        var next = starts
        var byGroup = [Int64](repeating: 0, count: values.count)
        for (g, v) in zip(groups, values) {
            byGroup[next[Int(g)]] = v
            next[Int(g)] += 1
        }
        return byGroup.withUnsafeMutableBufferPointer { all in
            (0..<count).map { Distribution.median(reordering: UnsafeMutableBufferPointer(rebasing: all[starts[$0]..<starts[$0 + 1]])) }
        }
    }
}
