import Store
import Transport

/// One poll's comparison of the folder with the deliveries table, at or below the cursor.
/// The cursor says "everything up to here was taken in"; this checks it: a UID the folder
/// holds there without a delivery row was skipped and must be taken in. `\Seen` never counts
/// as taken (a person may have read it in webmail): only a delivery row does.
struct Reconciliation {
    let uidValidity: Int64
    /// Folder UIDs at or below the cursor without a delivery row, ascending.
    let skipped: [Int64]
    /// Folder UIDs at or below the cursor that have a delivery row (for `move`/`delete` they
    /// should not be there once their action is applied).
    let stillThere: [Int64]

    /// One set difference: the folder's UIDs up to the cursor against the delivered ones,
    /// both ascending, walked together.
    init(uidValidity: Int64, cursor: Int64, folder: UIDSet, store: MailboxStore, mailbox: String) throws {
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
}
