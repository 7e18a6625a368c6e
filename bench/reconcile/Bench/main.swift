// reconcile-bench: what the per-poll reconciliation costs with N messages in the folder,
// against the poll it is added to. Loads N small messages into a folder of the real Dovecot,
// then times (median of R):
//   baseline      SELECT + the listing of new UIDs above the cursor (a poll with nothing new)
//   esearch       UID SEARCH RETURN (ALL) ALL (what postdesk sends to servers with ESEARCH)
//   uid_fetch     UID FETCH 1:* (UID) (servers without ESEARCH)
//   set_diff      the folder's UIDs against the deliveries table (`Reconciliation`), worst
//                 case `after_import: seen`: every one of the N messages has a delivery row
//   set_diff_move the same for `move`/`delete`: the folder is empty below the cursor
//
// Usage: ReconcileBench HOST PORT USER PASSWORD_FILE CA_FILE N [REPEAT]
//        ReconcileBench --store-only N [REPEAT]   (the set difference alone, no server)
import Daemon
import Foundation
import Glibc
import Store
import Transport

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("reconcile-bench: \(message)\n".utf8))
    exit(69)
}

/// Median milliseconds of `repeat` runs of `body`.
func median(_ repeatCount: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<repeatCount {
        let start = monotonicSeconds()
        try body()
        times.append((monotonicSeconds() - start) * 1000)
    }
    return times.sorted()[times.count / 2]
}

/// The store's half alone (no server): the set difference for N delivered UIDs.
func storeHalf(n: Int, folderUIDs: UIDSet, repeatCount: Int) throws -> (seen: Double, move: Double) {
    let dir = NSTemporaryDirectory() + "reconcile-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let db = try Store.open(path: dir + "/p.db", now: 0)
    let store = MailboxStore(db: db)
    try db.transaction {
        for uid in folderUIDs.uids {
            try store.addDelivery(mailbox: "support", uidValidity: 1, uid: Int64(uid), messageRow: nil, quarantineID: nil,
                                  outcome: "imported", action: "seen", now: 0)
        }
    }
    let cursor = Int64(folderUIDs.ranges.last?.upperBound ?? 0)
    var result: Reconciliation?
    let seen = try median(repeatCount) {
        result = try Reconciliation(uidValidity: 1, cursor: cursor, folder: folderUIDs, store: store, mailbox: "support")
    }
    guard result?.skipped.isEmpty == true, result?.stillThere.count == n else { fail("set difference is wrong") }
    let move = try median(repeatCount) {
        result = try Reconciliation(uidValidity: 1, cursor: cursor, folder: UIDSet([UInt32]()), store: store, mailbox: "support")
    }
    return (seen, move)
}

let args = CommandLine.arguments
if args.count >= 3, args[1] == "--store-only", let n = Int(args[2]) {
    let (seen, move) = try storeHalf(n: n, folderUIDs: UIDSet(1...UInt32(n)), repeatCount: args.count > 3 ? Int(args[3]) ?? 7 : 7)
    print(String(format: "figure: reconcile-store N=%d set_diff_seen_ms=%.1f set_diff_move_ms=%.2f", n, seen, move))
    exit(0)
}
guard args.count >= 7, let port = Int(args[2]), let n = Int(args[6]) else {
    fail("usage: ReconcileBench HOST PORT USER PASSWORD_FILE CA_FILE N [REPEAT] | ReconcileBench --store-only N [REPEAT]")
}
let repeatCount = args.count > 7 ? Int(args[7]) ?? 7 : 7
guard let password = try? String(contentsOfFile: args[4], encoding: .utf8) else { fail("cannot read \(args[4])") }
let endpoint = IMAPEndpoint(host: args[1], port: port, implicitTLS: false, requireTLS: true, caFile: args[5], user: args[3],
                            credential: .password(password.trimmingCharacters(in: .whitespacesAndNewlines)), timeoutSeconds: 600)
let folder = "reconcile-bench"

do {
    let client = CurlIMAPClient(endpoint: endpoint)
    try client.connect()
    try? client.deleteMailbox(folder)
    try client.createMailbox(folder)
    let loadStart = monotonicSeconds()
    var batch: [[UInt8]] = []
    for i in 1...n {
        batch.append(Array("From: c\(i % 97)@example.test\r\nSubject: m\(i)\r\nMessage-ID: <r\(i)@example.test>\r\n\r\nbody \(i)\r\n".utf8))
        if batch.count == 500 || i == n {
            try client.append(batch, to: folder)
            batch.removeAll(keepingCapacity: true)
        }
    }
    FileHandle.standardError.write(Data(String(format: "reconcile-bench: loaded %d messages in %.1f s\n", n, monotonicSeconds() - loadStart).utf8))

    var selected = try client.select(folder)
    guard selected.exists == n else { fail("folder holds \(selected.exists), expected \(n)") }
    let uidNext = UInt32(selected.uidNext ?? UInt32(n + 1))
    let baseline = try median(repeatCount) {
        selected = try client.select(folder)
        _ = try client.messageSizes(in: uidNext...UInt32.max)
    }
    var folderUIDs = UIDSet([UInt32]())
    let esearch = try median(repeatCount) { folderUIDs = try client.allUIDs(exists: selected.exists) }
    guard folderUIDs.count == n else { fail("ESEARCH listed \(folderUIDs.count)") }
    let hadESEARCH = client.capabilities.contains("ESEARCH")
    var fetched = UIDSet([UInt32]())
    let uidFetch = try median(repeatCount) { fetched = try client.allUIDs(exists: selected.exists, esearch: false) }
    guard fetched == folderUIDs else { fail("UID FETCH listed \(fetched.count)") }
    try client.deleteMailbox(folder)
    client.logout()

    // The store: N delivery rows, as after_import: seen leaves them (every UID delivered).
    let (setDiff, setDiffMove) = try storeHalf(n: n, folderUIDs: folderUIDs, repeatCount: repeatCount)
    print(String(format: "%-14@ %10@", "step" as NSString, "median ms" as NSString))
    for (name, ms) in [("baseline", baseline), ("esearch", esearch), ("uid_fetch", uidFetch), ("set_diff", setDiff), ("set_diff_move", setDiffMove)] {
        print(String(format: "%-14@ %10.1f", name as NSString, ms))
    }
    print(String(format: "figure: reconcile N=%d esearch=%@ baseline_ms=%.1f esearch_ms=%.1f uid_fetch_ms=%.1f set_diff_seen_ms=%.1f set_diff_move_ms=%.2f added_per_poll_seen_ms=%.1f",
                 n, hadESEARCH ? "yes" : "no", baseline, esearch, uidFetch, setDiff, setDiffMove, esearch + setDiff))
} catch {
    fail("\(error)")
}
