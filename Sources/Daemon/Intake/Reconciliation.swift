import Store
import Transport

/// One poll's comparison of the folder with the deliveries table, at or below the cursor.
/// The cursor says "everything up to here was taken in"; this checks it: a UID the folder
/// holds there without a delivery row was skipped and must be taken in. `\Seen` never counts
/// as taken (a person may have read it in webmail): only a delivery row does.
public struct Reconciliation {
    public let uidValidity: Int64
    /// Folder UIDs at or below the cursor without a delivery row, ascending.
    public let skipped: [Int64]
    /// Folder UIDs at or below the cursor that have a delivery row (for `move`/`delete` they
    /// should not be there once their action is applied).
    public let stillThere: [Int64]

    /// One set difference: the folder's UIDs up to the cursor against the delivered ones,
    /// both ascending, walked together.
    public init(uidValidity: Int64, cursor: Int64, folder: UIDSet, store: MailboxStore, mailbox: String) throws {
        self.uidValidity = uidValidity
        let below = folder.prefix(through: UInt32(clamping: cursor))
        guard let low = below.ranges.first?.lowerBound else {
            skipped = []
            stillThere = []
            return
        }
        let delivered = try store.deliveredUIDs(mailbox: mailbox, uidValidity: uidValidity, from: Int64(low), through: cursor)
        var skipped: [Int64] = []
        var there: [Int64] = []
        there.reserveCapacity(delivered.count)
        var d = 0
        for range in below.ranges {
            for uid32 in range {
                let uid = Int64(uid32)
                while d < delivered.count && delivered[d] < uid { d += 1 }
                if d < delivered.count && delivered[d] == uid { there.append(uid) } else { skipped.append(uid) }
            }
        }
        self.skipped = skipped
        self.stillThere = there
    }

    /// What no delivery accounts for now: skipped UIDs still without a delivery row, and, for
    /// `move`/`delete`, UIDs whose action was confirmed applied but which are still listed.
    /// (For `seen` every taken message stays, so only the first kind exists.)
    public func unaccounted(store: MailboxStore, mailbox: String, afterImport: AfterImport) throws -> (notTaken: [Int64], stillThere: [Int64]) {
        let notTaken = try skipped.filter { try store.delivery(mailbox: mailbox, uidValidity: uidValidity, uid: $0) == nil }
        if case .seen = afterImport { return (notTaken, []) }
        return (notTaken, try store.actedOn(mailbox: mailbox, uidValidity: uidValidity, uids: stillThere))
    }
}
