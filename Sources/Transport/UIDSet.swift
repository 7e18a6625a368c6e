/// A set of message UIDs written as IMAP sequence-set ranges (`4:9,12`). UID 0 does not exist
/// and is never included.
public struct UIDSet: Sendable, Equatable, CustomStringConvertible {
    /// Sorted, non-overlapping, non-adjacent ranges.
    public private(set) var ranges: [ClosedRange<UInt32>]

    public init<UIDs: Sequence>(_ uids: UIDs) where UIDs.Element == UInt32 {
        ranges = []
        for uid in uids.sorted() where uid > 0 {
            if let last = ranges.last, uid <= last.upperBound { continue }
            if let last = ranges.last, uid == last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound ... uid
            } else {
                ranges.append(uid ... uid)
            }
        }
    }

    public init(_ range: ClosedRange<UInt32>) {
        let low = max(range.lowerBound, 1)
        ranges = low <= range.upperBound ? [low ... range.upperBound] : []
    }

    /// Ranges in any order, overlapping or not (a server's sequence set), normalised.
    public init(ranges unsorted: [ClosedRange<UInt32>]) {
        ranges = []
        for range in unsorted.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let low = max(range.lowerBound, 1)
            guard low <= range.upperBound else { continue }
            if let last = ranges.last, UInt64(low) <= UInt64(last.upperBound) + 1 {
                ranges[ranges.count - 1] = last.lowerBound ... max(last.upperBound, range.upperBound)
            } else {
                ranges.append(low ... range.upperBound)
            }
        }
    }

    /// A sequence set as a server writes it (`1:3,7,9:8`); nil when it is not one. `*` has no
    /// place in the UID lists we read (ESEARCH ALL), so it is refused.
    public init?(parsing text: Substring) {
        var found: [ClosedRange<UInt32>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: ":", omittingEmptySubsequences: false)
            guard ends.count == 1 || ends.count == 2, let a = UInt32(ends[0]), let b = UInt32(ends[ends.count - 1]) else { return nil }
            found.append(min(a, b) ... max(a, b))
        }
        self.init(ranges: found)
    }

    /// The UIDs of this set that are at most `uid`.
    public func prefix(through uid: UInt32) -> UIDSet {
        var cut = self
        cut.ranges = ranges.compactMap { $0.lowerBound > uid ? nil : $0.lowerBound ... min($0.upperBound, uid) }
        return cut
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }

    public func contains(_ uid: UInt32) -> Bool {
        var low = 0, high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if uid < ranges[mid].lowerBound { high = mid - 1 } else if uid > ranges[mid].upperBound { low = mid + 1 } else { return true }
        }
        return false
    }

    /// The UIDs one by one, in ascending order.
    public var uids: [UInt32] { ranges.flatMap { Array($0) } }

    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound):\($0.upperBound)" }
            .joined(separator: ",")
    }
}
