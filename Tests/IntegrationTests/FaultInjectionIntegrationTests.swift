import Foundation
import Glibc
import Store
import TestSupport
import Transport
import XCTest

/// The store on a tiny tmpfs of its own against the real Dovecot and the real binary: it fills
/// up at every point of a run (before the first message, mid-batch, at the cursor, at the
/// after-import record, at quarantine, at the outbox marks), or is remounted read-only, and
/// then space returns. Every message must end stored exactly once, none quarantined wrongly,
/// and nothing may be moved on the server that is not stored. Mounting needs root (CI runs as
/// root); elsewhere the tests skip.
final class FaultInjectionIntegrationTests: XCTestCase {
    var servers: MailServers!
    var mounts: [String] = []
    let user = "customer3"

    override func setUpWithError() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to mount a small tmpfs for the store (CI runs as root)") }
        guard FileManager.default.isExecutableFile(atPath: TestDesk.binary) else {
            throw XCTSkip("no postdesk binary at \(TestDesk.binary): run `swift build` first")
        }
        servers = try MailServers.shared()
    }

    override func tearDown() {
        for dir in mounts.reversed() { _ = umount2(dir, Int32(MNT_DETACH)) }
        mounts = []
    }

    // MARK: - Helpers

    /// A tmpfs of `bytes` (rounded up to pages) on a fresh directory.
    func mountTmpfs(bytes: Int) throws -> String {
        let dir = Fixtures.temporaryDirectory("postdesk-tmpfs").path
        guard mount("tmpfs", dir, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
            throw XCTSkip("cannot mount a tmpfs on \(dir): \(String(cString: strerror(errno)))")
        }
        mounts.append(dir)
        return dir
    }

    func remount(_ dir: String, readOnly: Bool = false, bytes: Int? = nil) {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        let options = bytes.map { "size=\($0)" } ?? ""
        XCTAssertEqual(mount("tmpfs", dir, "tmpfs", flags, options), 0, "remount \(dir): \(String(cString: strerror(errno)))")
    }

    /// Remounts the tmpfs at `dir` to exactly the space in use, so the next write finds it full.
    /// The running daemon may still be writing (the SLA re-time after READY, a WAL checkpoint):
    /// a size below what is used by then is refused (EINVAL), so measure again and retry.
    func shrinkToWhatIsUsed(_ dir: String) -> Bool {
        for _ in 0..<50 {
            var info = statvfs()
            guard statvfs(dir, &info) == 0 else { return false }
            let used = Int(info.f_blocks - info.f_bfree) * Int(info.f_frsize)
            if mount("tmpfs", dir, "tmpfs", UInt(MS_REMOUNT), "size=\(used)") == 0 { return true }
            usleep(100_000)
        }
        return false
    }

    /// A desk whose store lives in `dir`.
    func makeDesk(storeIn dir: String, afterImport: String = "move:Processed", pollInterval: Int = 1) throws -> TestDesk {
        let desk = try TestDesk(servers: servers, user: user, afterImport: afterImport)
        desk.databaseOverride = dir + "/postdesk.db"
        try desk.writeConfig(afterImport: afterImport, pollInterval: pollInterval)
        return desk
    }

    static func mail(_ n: Int, tag: String, size: Int) -> [UInt8] {
        let line = "Message \(n) of \(tag): the invoice for order \(n * 7919 % 10007) does not match the delivery note.\r\n"
        let body = String(repeating: line, count: max(1, size / line.utf8.count))
        return Array("From: Customer \(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nSubject: Order \(n) \(tag)\r\nMessage-ID: <\(tag)-\(n)@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n\(body)".utf8)
    }

    /// Not mail at all: the one message that belongs in quarantine.
    static func garbage(_ tag: String) -> [UInt8] {
        // Control bytes and no header field: `not an e-mail message`, quarantined.
        Array("\u{1}\u{2}\u{3} \(tag) ".utf8) + (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 131) | 0x80 }
    }

    func folderCount(_ folder: String) throws -> Int {
        let c = try servers.connectedIMAP(user: user)
        defer { c.logout() }
        do { return try c.status(folder).messages } catch { return 0 }  // no Processed folder yet
    }

    func runOnce(_ desk: TestDesk, log: String) throws -> Int32 {
        TestDesk.wait(try desk.spawn(["run", "--once"], logFile: log), timeoutSeconds: 120)
    }

    /// Fills the filesystem of `dir` with a ballast file until `leave` bytes are free.
    func fill(_ dir: String, leaving leave: Int) throws {
        let ballast = dir + "/ballast"
        unlink(ballast)
        var info = statvfs()
        guard statvfs(dir, &info) == 0 else { return }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        guard free > leave else { return }
        let fd = open(ballast, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        var remaining = free - leave
        let chunk = [UInt8](repeating: 0x5A, count: 64 * 1024)
        while remaining > 0 {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min(remaining, chunk.count)) }
            if n <= 0 { break }
            remaining -= n
        }
    }

    /// Where in a run the store failed: from the failing line's event and SQL, and for a
    /// failed COMMIT from what the store holds (deliveries whose action is not recorded mean
    /// the after-import record's own transaction failed, not the batch's).
    static func point(in log: String, pendingActions: Int64) -> String? {
        guard let line = log.split(separator: "\n").first(where: {
            $0.contains("event=mailbox.failing") || $0.contains("event=outbox.store_failed") || $0.contains("event=service.store_failed")
        }) else { return nil }
        if line.contains("event=service.store_failed") { return "before-first-message" }
        if line.contains("event=outbox.store_failed") { return "outbox-mark" }
        let table: [(String, String)] = [
            ("quarantine", "quarantine-insert"), ("action_done_at", "action-record"), ("mailbox_cursors", "cursor-update"),
            ("INSERT INTO messages", "mid-batch-message"), ("attachments", "mid-batch-message"),
            ("INSERT INTO deliveries", "mid-batch-delivery"), ("tickets", "mid-batch-ticket"), ("events", "mid-batch-ticket"),
            ("outbox", "mid-batch-outbox-row"), ("RELEASE", "mid-batch-savepoint"), ("SAVEPOINT", "mid-batch-savepoint"),
            ("ROLLBACK", "mid-batch-savepoint"), ("BEGIN", "batch-begin"),
        ]
        if let hit = table.first(where: { line.contains($0.0) }) { return hit.1 }
        if line.contains("COMMIT") { return pendingActions > 0 ? "action-record" : "batch-commit" }
        return "other"
    }

    struct Tally {
        var lost = 0, duplicated = 0, wronglyQuarantined = 0, movedUnstored = 0, failedRuns = 0, secondRuns = 0
        var points: [String: Int] = [:]
    }

    /// One fill: `good` messages and maybe one garbage message in INBOX, the store left with
    /// `leave` bytes, a run, space back, runs until the folder is empty; then the accounting.
    func fillOnce(desk: TestDesk, dir: String, index: Int, good: [[UInt8]], garbage: [UInt8]?, leave: Int, tally: inout Tally) throws {
        try servers.reset(user: user)
        for suffix in ["", "-wal", "-shm"] { unlink(desk.databasePath + suffix) }
        unlink(dir + "/ballast")
        XCTAssertEqual(desk.cli(["migrate"]).code, 0)
        var all = good
        if let garbage { all.insert(garbage, at: good.count / 2) }
        try desk.append(all)
        try fill(dir, leaving: leave)

        let log = desk.directory.appendingPathComponent("fill-\(index).log").path
        if try runOnce(desk, log: log) != 0 { tally.failedRuns += 1 }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // During the fault: what the server moved must be what the store holds.
        let moved = try folderCount("Processed")
        unlink(dir + "/ballast")
        let deliveries = Int(try desk.count("SELECT COUNT(*) FROM deliveries"))
        let pending = try desk.count("SELECT COUNT(*) FROM deliveries WHERE action_done_at IS NULL")
        if let point = Self.point(in: text, pendingActions: pending) {
            tally.points[point, default: 0] += 1
        }
        tally.movedUnstored += max(0, moved - deliveries)

        // Space is back: the next run takes everything in by itself.
        XCTAssertEqual(try runOnce(desk, log: log), 0, "fill \(index) (leave \(leave)): \(text.suffix(2000))")
        if try folderCount("INBOX") > 0 {
            tally.secondRuns += 1
            XCTAssertEqual(try runOnce(desk, log: log), 0)
        }
        let db = try Database(path: desk.databasePath, readOnly: true)
        let goodIDs = good.map { bytes -> String in
            let text = String(decoding: bytes, as: UTF8.self)
            let start = text.range(of: "Message-ID: <")!.upperBound
            return String(text[start..<text.range(of: ">", range: start..<text.endIndex)!.lowerBound])
        }
        var lost = 0, duplicated = 0
        for id in goodIDs {
            let n = Int(try db.row("SELECT COUNT(*) FROM messages WHERE message_id = ? AND direction = 'in'", [id])?[0].int ?? 0)
            if n == 0 { lost += 1 } else { duplicated += n - 1 }
        }
        var wrongly = 0
        for entry in try QuarantineStore(db: db).list(includeAll: true) where try QuarantineStore(db: db).raw(entry.id) != garbage {
            wrongly += 1
        }
        let held = try QuarantineStore(db: db).list(includeAll: true).count
        if garbage != nil {
            if held == 0 { lost += 1 } else { duplicated += held - 1 - wrongly }
        }
        XCTAssertEqual(try folderCount("INBOX"), 0, "fill \(index): INBOX empty in the end")
        XCTAssertEqual(try folderCount("Processed"), all.count, "fill \(index): everything moved once")
        XCTAssertEqual(lost + duplicated + wrongly, 0, "fill \(index) (leave \(leave) bytes): lost \(lost) duplicated \(duplicated) wrongly quarantined \(wrongly)\n\(text.suffix(3000))")
        tally.lost += lost
        tally.duplicated += duplicated
        tally.wronglyQuarantined += wrongly
    }

    // MARK: - The tests

    /// A sweep of fill levels from "nothing left" to "room for all of it" over one mailbox
    /// with a garbage message in the middle: every point of a run is hit somewhere.
    func testTheStoreFillingUpAtEveryPointOfARunSkipsAndLosesNothing() throws {
        // 24 messages of 90 KB and a large garbage one: over SQLite's 2 MB page cache, so the
        // batch's transaction spills to the log mid-batch and the disk fills at its statements
        // (messages, savepoints, the quarantine insert, the cursor), not only at its COMMIT.
        let dir = try mountTmpfs(bytes: 12 << 20)
        let desk = try makeDesk(storeIn: dir)
        let good = (1...24).map { Self.mail($0, tag: "sweep", size: 90_000) }
        let garbage = Self.garbage("sweep") + [UInt8](repeating: 0x81, count: 300_000)
        var tally = Tally()
        let steps = Int(ProcessInfo.processInfo.environment["POSTDESK_FAULT_SWEEP"] ?? "") ?? 8
        let levels = (0..<steps).map { $0 * 3_200_000 / max(steps - 1, 1) }
        for (i, leave) in levels.enumerated() {
            try fillOnce(desk: desk, dir: dir, index: i, good: good, garbage: garbage, leave: leave, tally: &tally)
        }
        let points = tally.points.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        print("figure: fault sweep fills=\(levels.count) failed_runs=\(tally.failedRuns) lost=\(tally.lost) duplicated=\(tally.duplicated) "
              + "wrongly_quarantined=\(tally.wronglyQuarantined) moved_unstored=\(tally.movedUnstored) points=\(points)")
        XCTAssertEqual(tally.movedUnstored, 0, "nothing moved on the server that is not stored")
        XCTAssertGreaterThan(tally.failedRuns + tally.points.count, 0, "the sweep must actually fill the store")
    }

    /// N runs with a random fill level and a random mailbox, printed like the kill test.
    /// POSTDESK_FAULT_FILLS (default 50) and POSTDESK_FAULT_SEED repeat or widen it.
    func testRandomFillLevelsNeverLoseDuplicateOrWronglyQuarantineMail() throws {
        let environment = ProcessInfo.processInfo.environment
        let fills = Int(environment["POSTDESK_FAULT_FILLS"] ?? "") ?? 50
        let seed = UInt64(environment["POSTDESK_FAULT_SEED"] ?? "") ?? UInt64.random(in: 1...999_999)
        var rng = SeededGenerator(seed: seed)
        let dir = try mountTmpfs(bytes: 4 << 20)
        let desk = try makeDesk(storeIn: dir)
        var tally = Tally()
        for i in 0..<fills {
            let count = Int.random(in: 1...6, using: &rng)
            let good = (0..<count).map { Self.mail(i * 10 + $0, tag: "fuzz\(seed)", size: Int.random(in: 500...16_000, using: &rng)) }
            let garbage = Bool.random(using: &rng) ? Self.garbage("fuzz\(seed)-\(i)") : nil
            let leave = Int.random(in: 0...(good.reduce(0) { $0 + $1.count } * 3 + 40_000), using: &rng)
            try fillOnce(desk: desk, dir: dir, index: i, good: good, garbage: garbage, leave: leave, tally: &tally)
        }
        let points = tally.points.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        print("figure: faults fills=\(fills) seed=\(seed) failed_runs=\(tally.failedRuns) lost=\(tally.lost) duplicated=\(tally.duplicated) "
              + "wrongly_quarantined=\(tally.wronglyQuarantined) moved_unstored=\(tally.movedUnstored) points=\(points)")
        XCTAssertEqual(tally.lost, 0)
        XCTAssertEqual(tally.duplicated, 0)
        XCTAssertEqual(tally.wronglyQuarantined, 0)
        XCTAssertEqual(tally.movedUnstored, 0)
    }

    /// The daemon running when its store's filesystem fills up (the tmpfs shrunk to what it
    /// holds): mail waits on the server, the condition is logged once, and it all comes in by
    /// itself once the filesystem grows again. (Linux refuses a read-only remount while the
    /// daemon holds the store open for writing; the next test covers read-only.)
    func testTheRunningDaemonWaitsOutAFullStoreAndRecoversByItself() throws {
        let dir = try mountTmpfs(bytes: 16 << 20)
        let desk = try makeDesk(storeIn: dir)
        let log = desk.directory.appendingPathComponent("run.log").path
        try desk.append((1...8).map { Self.mail($0, tag: "live", size: 3_000) })
        let listener = try NotifySocketListener(directory: desk.directory)
        let daemon = try spawn(desk, ["run"], logFile: log, environment: ["NOTIFY_SOCKET": listener.path])
        XCTAssertTrue(try waitUntil(30, every: 0.1) { try folderCount("Processed") == 8 }, tail(log))
        XCTAssertTrue(shrinkToWhatIsUsed(dir), "remount \(dir) to its used size")
        try desk.append((9...16).map { Self.mail($0, tag: "live", size: 40_000) })
        sleep(4)
        XCTAssertEqual(try folderCount("Processed"), 8, "nothing moved while the store could not take it")
        XCTAssertEqual(try folderCount("INBOX"), 8)
        // What `systemctl status postdesk` shows meanwhile.
        XCTAssertNotNil(listener.waitFor(seconds: 10) { $0.contains("STATUS=store full: mail waits on the server") },
                        listener.messages.joined(separator: "\n"))
        remount(dir, bytes: 16 << 20)
        XCTAssertTrue(try waitUntil(60, every: 0.1) { try folderCount("Processed") == 16 }, tail(log))
        kill(daemon.pid, SIGTERM)
        XCTAssertEqual(daemon.exitStatus(timeoutSeconds: 30), 0)
        let text = tail(log, 200_000)
        XCTAssertEqual(try desk.count("SELECT COUNT(DISTINCT message_id) FROM messages WHERE direction = 'in'"), 16)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 16)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM quarantine"), 0)
        let failing = text.split(separator: "\n").filter { $0.contains("event=store.failing") }
        XCTAssertEqual(failing.count, 1, text)
        XCTAssertTrue(failing.first?.contains("reason=store-full") ?? false, String(failing.first ?? ""))
        XCTAssertEqual(text.components(separatedBy: "event=store.recovered").count - 1, 1, text)
        print("figure: live full store stored=16 quarantined=0 store_failing_lines=\(failing.count) "
              + "mailbox_failing_lines=\(text.components(separatedBy: "event=mailbox.failing").count - 1)")
    }

    /// The store's filesystem remounted read-only between runs: a run refuses to start (exit
    /// 74, naming the store), nothing is touched on the server, and the run after the
    /// read-write remount takes everything in.
    func testAReadOnlyStoreFilesystemLosesNothingAndTheNextRunTakesItAllIn() throws {
        let dir = try mountTmpfs(bytes: 16 << 20)
        let desk = try makeDesk(storeIn: dir)
        let log = desk.directory.appendingPathComponent("run.log").path
        try desk.append((1...8).map { Self.mail($0, tag: "ro", size: 3_000) })
        XCTAssertEqual(try runOnce(desk, log: log), 0, tail(log))
        XCTAssertEqual(try folderCount("Processed"), 8)
        remount(dir, readOnly: true)
        try desk.append((9...16).map { Self.mail($0, tag: "ro", size: 3_000) })
        let refused = try runOnce(desk, log: log)
        let text = tail(log)
        XCTAssertNotEqual(refused, 0, text)
        XCTAssertEqual(try folderCount("Processed"), 8, "nothing moved while the store was read-only")
        XCTAssertEqual(try folderCount("INBOX"), 8)
        remount(dir, readOnly: false)
        XCTAssertEqual(try runOnce(desk, log: log), 0, tail(log))
        XCTAssertEqual(try folderCount("Processed"), 16)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 16)
        XCTAssertEqual(try desk.count("SELECT COUNT(DISTINCT message_id) FROM messages WHERE direction = 'in'"), 16)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM quarantine"), 0)
        print("figure: read-only store refused_exit=\(refused) stored=16 quarantined=0")
    }

    /// Issue 11's scenario as a new user tried it: the store on a 1.5 MB filesystem, 40
    /// messages of ~60 KB, `move:Processed`, `run --once`; the filesystem grown to 64 MB and
    /// `run --once` twice more. Before: 12 stored, 1 quarantined, 27 never imported.
    func testTheFullDiskScenarioEndsWithAllFortyStoredOnceAndTheInboxEmpty() throws {
        let dir = try mountTmpfs(bytes: 1_500_000)
        let desk = try makeDesk(storeIn: dir)
        try desk.append((1...40).map { Self.mail($0, tag: "scenario", size: 60_000) })
        let log = desk.directory.appendingPathComponent("run.log").path
        let first = try runOnce(desk, log: log)
        XCTAssertEqual(first, 74, "run --once says the store could not take the mail")
        let text = tail(log, 100_000)
        XCTAssertTrue(text.contains("reason=store-full"), text)
        XCTAssertFalse(text.contains("intake.quarantined"), "a full store is not a message failure")
        let movedDuringFault = try folderCount("Processed")
        let storedDuringFault = try desk.count("SELECT COUNT(*) FROM deliveries")
        XCTAssertEqual(Int64(movedDuringFault), storedDuringFault, "nothing moved that is not stored")
        // During the fault, mailboxes and doctor tell the truth.
        let boxes = desk.cli(["mailboxes", "--json"])
        XCTAssertEqual(boxes.code, 0, boxes.err)
        XCTAssertTrue(boxes.out.contains("\"unaccounted\""), boxes.out)
        XCTAssertTrue(boxes.out.replacingOccurrences(of: " ", with: "").contains("\"server_messages\":40"),
                      "the server's count is known although the store failed: \(boxes.out)")
        let doctor = desk.cli(["doctor"])
        XCTAssertTrue(doctor.out.contains("store: space"), doctor.out)
        XCTAssertTrue(doctor.out.contains("warn  store: space"), doctor.out)
        XCTAssertFalse(doctor.out.contains("never taken in"), "the cursor did not jump: nothing is unaccounted\n\(doctor.out)")
        for line in doctor.out.split(separator: "\n") where line.contains("store: space") || line.contains(": count") {
            print("scenario during the fault: doctor: \(line)")
        }
        print("scenario during the fault: mailboxes: \(desk.cli(["mailboxes"]).out.split(separator: "\n").dropFirst().first ?? "")")

        remount(dir, bytes: 64 << 20)
        XCTAssertEqual(try runOnce(desk, log: log), 0, tail(log))
        XCTAssertEqual(try runOnce(desk, log: log), 0, tail(log))
        let stored = try desk.count("SELECT COUNT(DISTINCT message_id) FROM messages WHERE direction = 'in'")
        let rows = try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'")
        let quarantined = try desk.count("SELECT COUNT(*) FROM quarantine")
        let inbox = try folderCount("INBOX")
        print("figure: full-disk scenario messages=40 first_run_exit=\(first) stored_during_fault=\(storedDuringFault) "
              + "stored=\(stored) duplicated=\(rows - stored) quarantined=\(quarantined) inbox_left=\(inbox) processed=\(try folderCount("Processed"))")
        XCTAssertEqual(stored, 40)
        XCTAssertEqual(rows, 40)
        XCTAssertEqual(quarantined, 0)
        XCTAssertEqual(inbox, 0)
        let after = desk.cli(["mailboxes", "--json"])
        XCTAssertTrue(after.out.contains("\"unaccounted\": 0") || after.out.contains("\"unaccounted\":0"), after.out)
    }

    func tail(_ path: String, _ bytes: Int = 4000) -> String {
        String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(bytes))
    }
}
