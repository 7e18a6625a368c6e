@testable import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// Changed SLA settings on a store of many open tickets: re-timed in batches between polls (not
/// before READY, not in one transaction), resumable after a restart; and due lists walked a page
/// at a time, so tickets whose change keeps failing do not hold up the rest.
extension SLASchedulerTests {
    func testChangedSettingsAreAppliedInBatchesWhileMailIsTakenInAndARestartGoesOnWhereTheyStopped() throws {
        let dir = Fixtures.temporaryDirectory("sla-retime")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("postdesk.db").path
        db = try Store.open(path: path, now: now)
        restart()
        try db.transaction {
            for n in 1...1_200 {
                _ = try TicketStore(db: db).createTicket(subject: "Ticket \(n)", requester: "c\(n)@customer.test", queue: "support",
                                                         actor: "c\(n)@customer.test", now: now)
            }
            try TicketStore(db: db).recordAppliedSLASettings("settings of an older config", now: now)
        }
        let file = dir.appendingPathComponent("config.json").path
        let mailbox = #""mailboxes": [{"name": "support", "url": "imaps://imap.example.com", "user": "support@example.test", "password": "x"}]"#
        try Data(Self.configText.replacingOccurrences(of: #"{"smtp""#, with: #"{"database": "\#(path)", "state_directory": "\#(dir.path)", \#(mailbox), "smtp""#)
            .utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        let box = FakeMailbox()
        box.append("From: ann@customer.test\r\nTo: support@example.test\r\nSubject: Printer\r\nMessage-ID: <retime-1@c>\r\n\r\nIt jams.\r\n")
        let service = Service(config: try Config.load(path: file), configPath: file, databaseOverride: nil, environment: [:],
                              clock: clock, log: log, signals: nil) { _ in box }
        service.retimeBatchesPerPass = 1
        func retimed() throws -> Int64 { try db.row("SELECT COUNT(*) FROM ticket_sla_policy")?[0].int ?? -1 }

        try service.start()
        XCTAssertEqual(try retimed(), 0, "nothing re-timed before READY")
        _ = service.pollAll()
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1_201)?.subject, "Printer", "the mail is taken in on the first pass")
        XCTAssertEqual(try TicketStore(db: db).slaRetimeProgress()?.throughTicket, 500, "one batch of 500 per pass")
        XCTAssertEqual(try retimed(), 501, "the first batch, and the new ticket by its intake")
        XCTAssertEqual(try TicketStore(db: db).appliedSLASettings(), "settings of an older config", "not applied until all are done")

        // A restart (a new scheduler over the store) goes on after ticket 500.
        restart()
        XCTAssertEqual(try TicketStore(db: db).slaRetimeProgress()?.fingerprint, config.sla.fingerprint)
        XCTAssertTrue(scheduler.beginRetimeIfSettingsChanged())
        XCTAssertTrue(lines.all.contains { $0.contains("event=sla.retime_resumed after_ticket=500") }, lines.all.joined(separator: "\n"))
        XCTAssertTrue(scheduler.advanceRetime(batches: 1), "ticket 1 000 done, 200 left")
        XCTAssertFalse(scheduler.advanceRetime(batches: 5))
        // 700: the walk ends at the last ticket there was when it began; #1 201 was timed by its intake.
        XCTAssertTrue(lines.all.contains { $0.contains("event=sla.recomputed tickets=700 ") }, lines.all.joined(separator: "\n"))
        XCTAssertEqual(try retimed(), 1_201)
        XCTAssertEqual(try TicketStore(db: db).appliedSLASettings(), config.sla.fingerprint)
        XCTAssertNil(try TicketStore(db: db).slaRetimeProgress())
        XCTAssertNil(scheduler.recomputeIfSettingsChanged(), "nothing left to do")
        XCTAssertEqual(try clocks()[.firstResponse]?.dueAt, now + 3600, "re-timed from history under p1")
    }

    /// Page size 2: tickets #1 and #2 fall silent first and their auto-resolve keeps failing;
    /// #3 behind them is resolved all the same, and they are once the failure is gone.
    func testAutoResolvesThatKeepFailingDoNotHoldUpTheTicketsBehindThem() throws {
        scheduler.pageSize = 2
        let store = TicketStore(db: db)
        for n in 1...3 {
            try deliver(mail(from: "c\(n)@customer.test", subject: "Question \(n)", id: "q\(n)@c"))
            let ticket = try XCTUnwrap(try store.ticket(number: Int64(n)))
            try store.setStatus(ticketID: ticket.id, to: .pending, actor: "agent1@example.test", reason: nil, now: now)
            try intake.retimeSLA(ticketID: ticket.id, now: now)
            clock.advance(by: minute)
        }
        try db.execute("""
            CREATE TRIGGER stuck BEFORE UPDATE OF status ON tickets WHEN old.number IN (1, 2)
            BEGIN SELECT RAISE(ABORT, 'stuck'); END
            """)
        clock.advance(by: 7 * day)
        var resolved = 0
        for _ in 0..<3 { resolved += scheduler.tick().autoResolved }
        XCTAssertEqual(resolved, 1)
        XCTAssertEqual(try store.ticket(number: 3)?.status, .resolved, "not held up behind the two that fail")
        XCTAssertEqual(try store.ticket(number: 1)?.status, .pending)
        XCTAssertTrue(lines.all.contains { $0.contains("event=sla.auto_close_failed ticket=1 ") }, lines.all.joined(separator: "\n"))
        try db.execute("DROP TRIGGER stuck")
        for _ in 0..<2 { resolved += scheduler.tick().autoResolved }
        XCTAssertEqual(resolved, 3, "retried when the walk comes round again")
    }
}
