@testable import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// The pipeline asks the store questions that cannot throw. A read the store fails must not
/// pass for "no such ticket" (a customer's reply filed as a new ticket and acknowledged): the
/// router keeps the failure and the intake throws it, so the batch rolls back and is retried.
final class StorePipelineViewTests: XCTestCase {
    let config = try! Config.parse(Array(#"{"agents": [{"email": "agent@example.test"}]}"#.utf8), file: "t.json")

    func router() -> MessageRouter {
        MessageRouter(config: config, key: SigningKey(hex: String(repeating: "cd", count: 32))!, clock: FakeClock(),
                      log: Log(level: .error, timestamps: false, clock: { Date(timeIntervalSince1970: 0) }, sink: { _ in }))
    }

    func reply(_ router: MessageRouter) -> PipelineInput {
        let raw = Array("From: Ann <ann@customer.test>\r\nTo: support@example.test\r\nSubject: Re: [#1] Printer\r\nMessage-ID: <r1@customer.test>\r\n\r\nStill jammed.\r\n".utf8)
        return router.input(PreparedMessage(raw: raw), size: raw.count, mailbox: nil)
    }

    func makeStore(at path: String) throws {
        let db = try Store.open(path: path, now: 0)
        _ = try TicketStore(db: db).createTicket(subject: "Printer", requester: "ann@customer.test", queue: "support",
                                                 actor: "ann@customer.test", now: 0)
    }

    func testAHealthyStoreAnswersAndTheReplyJoinsItsTicket() throws {
        let directory = Fixtures.temporaryDirectory("view-ok")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("postdesk.db").path
        try makeStore(at: path)
        let r = router()
        let plan = r.plan(reply(r), db: try Database(path: path, readOnly: true))
        XCTAssertEqual(plan.disposition, .join(ticket: 1))
        XCTAssertNil(r.readFailure)
    }

    func testAReadTheStoreFailsIsKeptAsAStoreFailureNotTakenForNoTicket() throws {
        let directory = Fixtures.temporaryDirectory("view-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("postdesk.db").path
        try makeStore(at: path)
        // The disk now returns garbage where the database was: every read is the store's failure.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.write(Data(repeating: 0x5A, count: 4096))
        try handle.close()
        let r = router()
        _ = r.plan(reply(r), db: try Database(path: path, readOnly: true))
        let failure = try XCTUnwrap(r.readFailure, "the failed read must not pass for 'no ticket #1'")
        XCTAssertTrue(failure.isStoreFailure, "\(failure)")
        XCTAssertEqual(failure.condition, .corrupt, "\(failure)")
    }
}
