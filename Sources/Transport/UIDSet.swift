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
