import Daemon
import Foundation
import Store
import TestSupport
import XCTest

/// The intake's exactly-once promise, checked against an in-memory IMAP folder.
final class PollerTests: XCTestCase {
    var clock: FakeClock!
    var db: Database!
    var box: FakeMailbox!
    var lines: LockedLines!

    override func setUp() {
        clock = FakeClock()
        db = try! Store.open(path: ":memory:", now: clock.unixSeconds())
        box = FakeMailbox()
        lines = LockedLines()
    }

    func makeConfig(action: String = "seen", maxBytes: Int = 50 << 20) throws -> Config {
        try Config.parse(Array("""
            {"database": ":memory:", "max_message_bytes": \(maxBytes),
             "mailboxes": [{"name": "support", "url": "imap://127.0.0.1:1143", "tls": "none", "user": "support",
                            "password_env": "X", "after_import": "\(action)"}]}
            """.utf8), file: "test.json")
    }

    func makePoller(action: String = "seen", maxBytes: Int = 50 << 20, batchSize: Int = 3,
                    adjust: (Intake) -> Void = { _ in }) throws -> Poller {
        let config = try makeConfig(action: action, maxBytes: maxBytes)
        let log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { [lines] in lines!.append($0) })
        let intake = Intake(db: db, config: config, clock: clock, log: log)
        adjust(intake)
        return Poller(mailbox: config.mailboxes[0], source: box, intake: intake, clock: clock, log: log, batchSize: batchSize)
    }

    static func mail(_ n: Int, body: String = "Hello, my printer is broken.") -> String {
        "From: Customer \(n) <customer\(n)@example.test>\r\nTo: support@example.test\r\nSubject: Problem \(n)\r\nMessage-ID: <m\(n)@example.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n\(body) \(n)\r\n"
    }

    func storedRaw() throws -> [[UInt8]] {
        try db.query("SELECT raw FROM messages ORDER BY id").map { $0.blob("raw") }
    }

    func count(_ sql: String) throws -> Int64 { try db.row(sql)?[0].int ?? -1 }

    func testEveryMessageIsStoredOnceByteIdenticalInUIDOrderAndMarkedSeen() throws {
        for n in 1...10 { box.append(Self.mail(n)) }
        let report = try makePoller().poll()
        XCTAssertTrue(report.ok, report.error ?? "")
        XCTAssertEqual(report.imported, 10)
        XCTAssertEqual(try storedRaw(), box.messages.map(\.bytes))
        XCTAssertEqual(box.seenUIDs, Array(1...10))
        XCTAssertEqual(try count("SELECT COUNT(*) FROM tickets"), 10)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM deliveries WHERE action_done_at IS NULL"), 0)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 10)
    }

    func testASecondPollImportsOnlyNewMail() throws {
        let poller = try makePoller()
        for n in 1...4 { box.append(Self.mail(n)) }
        XCTAssertEqual(poller.poll().imported, 4)
        box.append(Self.mail(5))
        let second = poller.poll()
        XCTAssertEqual(second.imported, 1)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 5)
    }

    func testACrashBetweenCommitAndFlaggingRedoesOnlyTheFlag() throws {
        for n in 1...5 { box.append(Self.mail(n)) }
        box.failNextApply = FakeMailboxError(message: "server gone")
        let first = try makePoller().poll()
        XCTAssertFalse(first.ok)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 5, "both batches committed before the actions failed")
        XCTAssertEqual(box.seenUIDs, [])
        // A new process (new poller) after the "crash":
        clock.advance(by: 3600)
        let second = try makePoller().poll()
        XCTAssertTrue(second.ok, second.error ?? "")
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 5)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM tickets"), 5)
        XCTAssertEqual(box.seenUIDs, [1, 2, 3, 4, 5])
    }

    func testAfterImportActionsFollowEachRunOfBatches() throws {
        for n in 1...9 { box.append(Self.mail(n)) }
        box.failNextApply = FakeMailboxError(message: "server gone")
        let poller = try makePoller()
        poller.batchesPerRun = 2
        XCTAssertFalse(poller.poll().ok)
        // Batches of 3, runs of 2 batches: the first run committed, its actions failed, and the
        // third batch was not started.
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 6)
        clock.advance(by: 3600)
        let again = poller.poll()
        XCTAssertTrue(again.ok, again.error ?? "")
        XCTAssertEqual(again.imported, 3)
        XCTAssertEqual(box.seenUIDs, Array(1...9))
    }

    func testAConnectionLostMidFetchKeepsWhatCommittedAndResumes() throws {
        for n in 1...6 { box.append(Self.mail(n)) }
        box.failFetchAfter = 2
        let poller = try makePoller(batchSize: 10)
        XCTAssertFalse(poller.poll().ok)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 2)
        clock.advance(by: 3600)
        XCTAssertTrue(poller.poll().ok)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 6)
        XCTAssertEqual(try storedRaw(), box.messages.map(\.bytes))
    }

    func testAUIDValidityChangeReWalksWithoutDuplicates() throws {
        for n in 1...4 { box.append(Self.mail(n)) }
        let poller = try makePoller()
        XCTAssertEqual(poller.poll().imported, 4)
        box.recreate(uidValidity: 99)
        box.append(Self.mail(5))
        let report = poller.poll()
        XCTAssertEqual(report.imported, 1)
        XCTAssertEqual(report.duplicates, 4)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 5)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM tickets"), 5)
        XCTAssertTrue(lines.all.contains { $0.contains("event=mailbox.uidvalidity_changed") })
    }

    func testTheSameBytesAppendedAgainAreRecordedAsADeliveryNotATicket() throws {
        for n in 1...3 { box.append(Self.mail(n)) }
        let poller = try makePoller()
        _ = poller.poll()
        for n in 1...3 { box.append(Self.mail(n)) }
        let report = poller.poll()
        XCTAssertEqual(report.duplicates, 3)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM tickets"), 3)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM deliveries"), 6)
    }

    func testOneMailDeliveredToTwoMailboxesIsOneMessageWithTwoDeliveries() throws {
        let original = Self.mail(1)
        box.append("Delivered-To: support@example.test\r\nReturn-Path: <customer1@example.test>\r\n" + original)
        box.append("Delivered-To: billing@example.test\r\nReturn-Path: <customer1@example.test>\r\n" + original)
        let report = try makePoller().poll()
        XCTAssertEqual(report.imported, 1)
        XCTAssertEqual(report.duplicates, 1)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM tickets"), 1)
    }

    func testAMessageWithAKnownMessageIDButOtherContentIsANewMessage() throws {
        box.append(Self.mail(1))
        box.append(Self.mail(1, body: "Something else entirely, reusing the same Message-ID."))
        let report = try makePoller().poll()
        XCTAssertEqual(report.imported, 2)
        XCTAssertEqual(report.duplicates, 0)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM tickets"), 2)
    }

    func testTheContentHashIsMadeOnlyWhenAMessageIDComesAgainAndThenKeptForBothCopies() throws {
        box.append(Self.mail(1))
        box.append(Self.mail(2))
        let poller = try makePoller()
        _ = poller.poll()
        // Unique Message-IDs: no second hash over the bytes.
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages WHERE content_sha256 IS NOT NULL"), 0)
        box.append("Delivered-To: billing@example.test\r\n" + Self.mail(1))
        let report = poller.poll()
        XCTAssertEqual(report.duplicates, 1)
        // The earlier copy got its hash filled in when it was compared.
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages WHERE message_id LIKE '%m1@example.test%' AND content_sha256 IS NOT NULL"), 1)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 2)
    }

    func testMessagesWithoutAMessageIDAreMatchedByTheirContent() throws {
        let bare = "From: a@example.test\r\nSubject: no id\r\n\r\nbody\r\n"
        box.append(bare)
        box.append("Delivered-To: support@example.test\r\n" + bare)
        let report = try makePoller().poll()
        XCTAssertEqual(report.imported, 1)
        XCTAssertEqual(report.duplicates, 1)
    }

    func testGarbageGoesToQuarantineAndTheNextMessageIsStillImported() throws {
        var rng = SystemRandomNumberGenerator()
        box.append((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })
        box.append(Self.mail(2))
        let report = try makePoller().poll()
        XCTAssertEqual(report.quarantined, 1)
        XCTAssertEqual(report.imported, 1)
        let held = try QuarantineStore(db: db).list()
        XCTAssertEqual(held.count, 1)
        XCTAssertEqual(try QuarantineStore(db: db).raw(held[0].id), box.messages[0].bytes)
        XCTAssertEqual(box.seenUIDs, [1, 2], "a quarantined message is taken off the server's to-do list too")
    }

    func testAnOversizedMessageIsQuarantinedWithItsBytesAndReason() throws {
        box.append(Self.mail(1, body: String(repeating: "x", count: 4000)))
        box.append(Self.mail(2))
        let report = try makePoller(maxBytes: 2048).poll()
        XCTAssertEqual(report.quarantined, 1)
        XCTAssertEqual(report.imported, 1)
        let entry = try QuarantineStore(db: db).list()[0]
        XCTAssertTrue(entry.reason.hasPrefix("oversized"), entry.reason)
        XCTAssertEqual(entry.size, Int64(box.messages[0].bytes.count))
    }

    func testMoveActionTakesMessagesOutOfTheFolder() throws {
        for n in 1...3 { box.append(Self.mail(n)) }
        _ = try makePoller(action: "move:Processed").poll()
        XCTAssertEqual(box.liveUIDs, [])
        XCTAssertEqual(box.moved["Processed"]?.count, 3)
    }

    func testAFailingServerIsLoggedOncePerStateChangeAndBacksOff() throws {
        let poller = try makePoller()
        for _ in 0..<5 {
            box.failNextOpen = FakeMailboxError(message: "connection refused")
            _ = poller.pollIfDue()
            clock.advance(by: 1)
        }
        XCTAssertEqual(lines.all.filter { $0.contains("event=mailbox.failing") }.count, 1)
        XCTAssertLessThan(box.opens, 5, "backoff skips polls while failing")
        box.failNextOpen = nil // the server is back
        clock.advance(by: 3600)
        box.append(Self.mail(1))
        XCTAssertTrue(poller.pollIfDue().ok)
        XCTAssertEqual(lines.all.filter { $0.contains("event=mailbox.recovered") }.count, 1)
    }

    func testAStopRequestFinishesTheMessageInHandAndNoMore() throws {
        for n in 1...6 { box.append(Self.mail(n)) }
        let poller = try makePoller(batchSize: 10)
        var taken = 0
        poller.shouldStop = { taken += 1; return taken > 2 }
        _ = poller.poll()
        let stored = try count("SELECT COUNT(*) FROM messages")
        XCTAssertGreaterThanOrEqual(stored, 1)
        XCTAssertLessThan(stored, 6)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, stored)
    }

    func testAUIDTheServerListedButDidNotReturnIsAskedForAgainNotSkipped() throws {
        for n in 1...8 { box.append(Self.mail(n)) }
        box.omitOnceFromFetch = [2]
        let poller = try makePoller(batchSize: 5)
        let first = poller.poll()
        XCTAssertEqual(first.imported, 4, "the first batch, less the gap; the next batch waits")
        XCTAssertEqual(first.notReturned, 1)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 1, "the cursor stays below the gap")
        let second = poller.poll()
        XCTAssertEqual(second.imported, 4, "UID 2, then 6-8")
        XCTAssertEqual(second.alreadyTaken, 3, "UIDs 3-5 are recognised, not stored twice")
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 8)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 8)
        XCTAssertFalse(lines.all.contains { $0.contains("count_mismatch") && $0.contains("server_new=4") }, lines.all.joined(separator: "\n"))
    }

    func testAMessageThatTakesTooLongIsQuarantinedAndTheNextOnesStillFlow() throws {
        box.append(Self.mail(1))
        box.append(Self.mail(2, body: "SLOW-PATH"))
        box.append(Self.mail(3))
        let poller = try makePoller { intake in
            intake.messageTimeLimit = 0.3
            intake.timeLimitThreshold = 0
            intake.prepare = { raw in
                if String(decoding: raw, as: UTF8.self).contains("SLOW-PATH") { Thread.sleep(forTimeInterval: 2) }
                return PreparedMessage(raw: raw)
            }
        }
        let report = poller.poll()
        XCTAssertTrue(report.ok, report.error ?? "")
        XCTAssertEqual(report.imported, 2)
        XCTAssertEqual(report.quarantined, 1)
        let held = try QuarantineStore(db: db).list()
        XCTAssertEqual(held.first?.uid, 2)
        XCTAssertTrue(held.first?.reason.hasPrefix("time limit") == true, held.first?.reason ?? "")
        XCTAssertEqual(box.seenUIDs, [1, 2, 3])
    }

    // MARK: - Reconciliation: the deliveries table, not the cursor, is the truth

    func testAUIDTheServerHidOnceIsTakenInByTheNextPollAndSaidOnce() throws {
        for n in 1...5 { box.append(Self.mail(n)) }
        box.hideOnceFromListing = [2]
        let poller = try makePoller()
        let first = poller.poll()
        XCTAssertEqual(first.imported, 4)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 5, "the cursor passed the hidden UID")
        XCTAssertEqual(box.seenUIDs, [1, 3, 4, 5])
        let second = poller.poll()
        XCTAssertEqual(second.recovered, 1)
        XCTAssertEqual(second.imported, 1)
        XCTAssertEqual(second.unaccounted, 0)
        XCTAssertEqual(Set(try storedRaw()), Set(box.messages.map(\.bytes)), "every message stored, once")
        XCTAssertEqual(box.seenUIDs, [1, 2, 3, 4, 5])
        _ = poller.poll()
        let said = lines.all.filter { $0.contains("event=mailbox.recovered_skipped") }
        XCTAssertEqual(said.count, 1, said.joined(separator: "\n"))
        XCTAssertTrue(said[0].contains("uid=2") && said[0].contains("outcome=imported"), said[0])
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 5)
    }

    func testWithSeenAMessageReadByHandButNeverTakenInIsStillTakenIn() throws {
        for n in 1...3 { box.append(Self.mail(n)) }
        box.hideOnceFromListing = [2]
        let poller = try makePoller(action: "seen")
        XCTAssertEqual(poller.poll().imported, 2)
        box.markSeenByHand([2])  // someone read it in webmail: \Seen, but no delivery row
        let second = poller.poll()
        XCTAssertEqual(second.recovered, 1, "\\Seen alone never counts as taken in")
        XCTAssertEqual(try count("SELECT COUNT(*) FROM deliveries WHERE uid = 2"), 1)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 3)
    }

    func testACursorThatRanAheadOfTheDeliveriesSkipsNothing() throws {
        for n in 1...4 { box.append(Self.mail(n)) }
        try MailboxStore(db: db).setCursor("support", uidValidity: 1, lastUID: 40, now: 0)  // a bug's doing
        let report = try makePoller().poll()
        XCTAssertEqual(report.recovered, 4)
        XCTAssertEqual(report.imported, 4)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 40)
    }

    func testATakenMessageIsNeverFetchedAgainAndAnEmptyCursorListsNothing() throws {
        for n in 1...3 { box.append(Self.mail(n)) }
        let poller = try makePoller(action: "seen")
        _ = poller.poll()
        XCTAssertEqual(box.listCalls, 0, "with the cursor at 0 there is nothing at or below it to check")
        let fetches = box.fetchCalls
        let again = poller.poll()
        XCTAssertEqual(box.listCalls, 1, "one folder listing per poll")
        XCTAssertEqual(again.recovered, 0)
        XCTAssertEqual(box.fetchCalls, fetches, "nothing fetched: every folder UID has its delivery")
    }

    // MARK: - The count alarm

    func testAMoveTheServerAcknowledgedButDidNotDoRaisesTheCountAlarm() throws {
        for n in 1...3 { box.append(Self.mail(n)) }
        let poller = try makePoller(action: "move:Processed")
        box.ignoreNextApply = true
        XCTAssertEqual(poller.poll().unaccounted, 0, "the listing came before the action")
        let second = poller.poll()
        XCTAssertEqual(second.unaccounted, 3, "moved by the store's account, still in the folder")
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.unaccounted, 3)
        _ = poller.poll()
        let alarms = lines.all.filter { $0.contains("event=mailbox.count_mismatch") }
        XCTAssertEqual(alarms.count, 1, "logged when the number changes, not every poll")
        XCTAssertTrue(alarms[0].contains("unaccounted=3") && alarms[0].contains("first_still_there=1"), alarms[0])
    }

    func testASkippedUIDThatCannotBeFetchedIsCountedThenClearedWhenTakenIn() throws {
        for n in 1...4 { box.append(Self.mail(n)) }
        box.hideOnceFromListing = [3]
        let poller = try makePoller()
        _ = poller.poll()
        box.omitOnceFromFetch = [3]
        let second = poller.poll()
        XCTAssertEqual(second.unaccounted, 1)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.unaccounted, 1)
        XCTAssertTrue(lines.all.contains { $0.contains("event=mailbox.count_mismatch") && $0.contains("first_not_taken=3") })
        let third = poller.poll()
        XCTAssertEqual(third.recovered, 1)
        XCTAssertEqual(third.unaccounted, 0)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.unaccounted, 0)
        XCTAssertEqual(try count("SELECT COUNT(*) FROM messages"), 4)
    }
}

/// Collects log lines from any thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.withLock { lines.append(s) } }
    var all: [String] { lock.withLock { lines } }
}
