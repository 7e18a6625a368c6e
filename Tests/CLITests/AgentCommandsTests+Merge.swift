import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk merge` and `postdesk link` as an agent runs them, on `AgentCommandsTests`' desk: the
/// agent's `#merge`/`#link` mail through the intake, so the events and mails are those of the e-mail path.
extension AgentCommandsTests {
    /// Beside carol's #1 (opened in setUp): dave's #2, the same matter, and erin's #3.
    func openTwoMore() {
        for (from, subject) in [("dave@customer.test", "Invoice wrong again"), ("erin@customer.test", "VPN")] {
            XCTAssertEqual(run(["new", "--from", from, "--subject", subject, "--text", "help", "--as", "ann@example.test"]).code, 0)
        }
    }

    func testMergeMovesTheDuplicateTellsItsRequesterOnceAndShowSaysWhere() throws {
        openTwoMore()
        let before = try db().row("SELECT MAX(id) AS n FROM outbox")?.int("n") ?? 0
        let r = run(["merge", "2", "#1", "--reason", "same printer\n#close", "--yes", "--as", "bob@example.test"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("ticket #2 merged into #1"), r.out)
        XCTAssertTrue(r.out.contains("queued merged to dave@customer.test"), r.out)
        let mails = try db().query("SELECT kind, recipients, ticket_id FROM outbox WHERE id > ? ORDER BY id", [before])
        XCTAssertEqual(mails.map { "\($0.text("kind")) \($0.text("recipients"))" },
                       ["merged dave@customer.test"], "her one mail; the agent saw the warning here and confirmed it with --yes")
        let raw = String(decoding: try db().row("SELECT raw FROM outbox WHERE kind = 'merged'")!.blob("raw"), as: UTF8.self)
        XCTAssertTrue(raw.contains("[#1-"), "the subject carries the ticket her request continues as")
        XCTAssertTrue(raw.contains("Auto-Submitted"), "an automatic mail")

        let store = TicketStore(db: try db())
        XCTAssertEqual(try store.ticket(number: 2)?.mergedInto, 1)
        XCTAssertEqual(try store.ticket(number: 2)?.status, .closed)
        let merged = try db().query("SELECT t.number, e.actor, e.reason FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.type = 'merged' ORDER BY t.number")
        XCTAssertEqual(merged.map { "\($0.int("number")) \($0.text("actor")) \($0.text("reason"))" },
                       ["1 bob@example.test same printer #close", "2 bob@example.test same printer #close"],
                       "who and why on both; the reason stays text, never a second command")
        XCTAssertEqual(try store.ticket(number: 1)?.status, .new, "the reason's #close was not obeyed")

        let show = run(["show", "2"])
        XCTAssertTrue(show.out.contains("merged into #1"), show.out)
        let showB = run(["show", "1"])
        XCTAssertTrue(showB.out.contains("merged from ticket #2"), showB.out)
        XCTAssertTrue(showB.out.contains("Invoice wrong again"), "the duplicate's messages are on #1: \(showB.out)")
        let list = run(["tickets"])
        XCTAssertFalse(list.out.contains("Invoice wrong again"), list.out)
        XCTAssertTrue(run(["tickets", "--merged"]).out.contains("merged→#1"))
        let json = run(["tickets", "--merged", "--json"]).out
        XCTAssertTrue(json.contains("\"merged_into\":1") || json.contains("\"merged_into\": 1"), json)
    }

    func testMergeRefusalsAndExitCodes() throws {
        openTwoMore()
        XCTAssertEqual(run(["merge", "1", "1", "--as", "ann@example.test"]).code, 64, "into itself")
        XCTAssertEqual(run(["merge", "1", "--as", "ann@example.test"]).code, 64, "one operand")
        XCTAssertEqual(run(["merge", "x", "1", "--as", "ann@example.test"]).code, 64, "not a number")
        XCTAssertEqual(run(["merge", "9", "1", "--as", "ann@example.test"]).code, 66, "unknown from")
        XCTAssertEqual(run(["merge", "1", "9", "--as", "ann@example.test"]).code, 66, "unknown into")
        XCTAssertEqual(run(["merge", "2", "1", "--yes", "--as", "ann@example.test"]).code, 0)
        let again = run(["merge", "2", "3", "--as", "ann@example.test"])
        XCTAssertEqual(again.code, 65, again.err)
        XCTAssertTrue(again.err.contains("already merged into #1"), again.err)
        let intoStub = run(["merge", "3", "2", "--as", "ann@example.test"])
        XCTAssertEqual(intoStub.code, 65, intoStub.err)
        XCTAssertTrue(intoStub.err.contains("ticket #2 was merged into #1; use #1"), intoStub.err)
        XCTAssertEqual(try TicketStore(db: db()).ticket(number: 3)?.mergedInto, nil)
        XCTAssertEqual(try db().row("SELECT COUNT(*) AS n FROM ticket_events WHERE type = 'command-refused'")?.int("n"), 1)
        XCTAssertEqual(run(["merge", "3", "1", "--as", "nobody@example.test"]).code, 64, "not an agent")
    }

    /// Dave's #2 into Carol's #1 would make Dave a Cc of #1, copied on its replies: the command
    /// says so and merges nothing without `--yes`. Two tickets of one customer need no `--yes`.
    func testMergingTwoCustomersTicketsWarnsAndNeedsYes() throws {
        openTwoMore()
        let before = try db().row("SELECT MAX(id) AS n FROM outbox")?.int("n") ?? 0
        let warning = "postdesk: warning: #2 and #1 have different requesters: after the merge dave@customer.test gets #1's replies "
            + "and sees its subject, which discloses carol@customer.test's conversation to dave@customer.test"
        let refused = run(["merge", "2", "1", "--as", "ann@example.test"])
        XCTAssertEqual(refused.code, 64, refused.err)
        XCTAssertTrue(refused.err.contains(warning), refused.err)
        XCTAssertTrue(refused.err.contains("nothing was merged (add --yes to merge all the same)"), refused.err)
        XCTAssertNil(try TicketStore(db: db()).ticket(number: 2)?.mergedInto)
        XCTAssertEqual(try db().row("SELECT MAX(id) AS n FROM outbox")?.int("n") ?? 0, before, "nothing queued")

        let confirmed = run(["merge", "2", "1", "--yes", "--as", "ann@example.test"])
        XCTAssertEqual(confirmed.code, 0, confirmed.err)
        XCTAssertTrue(confirmed.err.contains(warning), confirmed.err)
        XCTAssertTrue(confirmed.out.contains("ticket #2 merged into #1"), confirmed.out)
        XCTAssertEqual(try TicketStore(db: db()).ticket(number: 2)?.mergedInto, 1)
        XCTAssertEqual(try db().query("SELECT kind FROM outbox WHERE id > ? ORDER BY id", [before]).map { $0.text("kind") }, ["merged"],
                       "no command report: the warning was shown and confirmed here")

        XCTAssertEqual(run(["new", "--from", "carol@customer.test", "--subject", "Invoice (again)", "--text", "x", "--as", "ann@example.test"]).code, 0)
        let same = run(["merge", "4", "1", "--as", "ann@example.test"])
        XCTAssertEqual(same.code, 0, same.err)
        XCTAssertFalse(same.err.contains("warning"), same.err)
    }

    /// One customer's two tickets, but the duplicate has a stranger on Cc: merging copies the
    /// stranger onto the other ticket, so the command warns and waits for `--yes` all the same.
    func testACcOnTheDuplicateWhoIsNotOnTheTargetNeedsYes() throws {
        XCTAssertEqual(run(["new", "--from", "carol@customer.test", "--subject", "Invoice (again)", "--text", "x", "--as", "ann@example.test"]).code, 0)
        let store = TicketStore(db: try db())
        let duplicate = try XCTUnwrap(store.ticket(number: 2))
        try store.addParticipant(ticketID: duplicate.id, address: "eve@other.test", role: "cc", now: 0)
        let refused = run(["merge", "2", "1", "--as", "ann@example.test"])
        XCTAssertEqual(refused.code, 64, refused.err)
        XCTAssertTrue(refused.err.contains("after the merge eve@other.test gets #1's replies"), refused.err)
        XCTAssertNil(try TicketStore(db: db()).ticket(number: 2)?.mergedInto)
        XCTAssertEqual(run(["merge", "2", "1", "--yes", "--as", "ann@example.test"]).code, 0)
    }

    func testLinkRelatesBothTicketsOnceAndMailsNobody() throws {
        openTwoMore()
        let before = try db().row("SELECT MAX(id) AS n FROM outbox")?.int("n") ?? 0
        let r = run(["link", "1", "3", "--as", "ann@example.test"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(run(["show", "3"]).out.contains("related to ticket #1"))
        XCTAssertTrue(run(["show", "1"]).out.contains("related to ticket #3"))
        XCTAssertEqual(run(["link", "3", "1", "--as", "ann@example.test"]).code, 0, "again: nothing changes")
        XCTAssertEqual(try db().row("SELECT COUNT(*) AS n FROM ticket_links WHERE kind = 'related'")?.int("n"), 2)
        let kinds = try db().query("SELECT kind FROM outbox WHERE id > ?", [before]).map { $0.text("kind") }
        XCTAssertEqual(kinds, [], "filing is no answer: no mail, no status change")
        XCTAssertEqual(try TicketStore(db: db()).ticket(number: 1)?.status, .new)
        XCTAssertNil(try TicketStore(db: db()).ticket(number: 1)?.assignee, "nobody takes a ticket by linking it")
        XCTAssertEqual(run(["link", "1", "1", "--as", "ann@example.test"]).code, 64)
        XCTAssertEqual(run(["link", "1", "7", "--as", "ann@example.test"]).code, 66)
    }
}
