import Foundation
import Store
import Ticketing
import XCTest

final class TicketStoreTests: StoreTestCase {
    func forEachStore(_ body: (TicketStore, String) throws -> Void) {
        forEachDatabase { db, kind in
            try Schema.migrator.migrate(db, now: 0)
            try body(TicketStore(db: db), kind)
        }
    }

    func testTicketsAreNumberedOneTwoThree() {
        forEachStore { store, kind in
            let numbers = try (1...3).map {
                try store.createTicket(subject: "Problem \($0)", requester: "c\($0)@example.com", queue: "support",
                                       actor: "intake", now: 1000 + Int64($0)).number
            }
            XCTAssertEqual(numbers, [1, 2, 3], kind)
        }
    }

    func testACreatedTicketReadsBackWithEveryField() {
        forEachStore { store, kind in
            let made = try store.createTicket(subject: "Printer on fire", requester: "ann@example.com", queue: "hardware",
                                              priority: .urgent, status: .open, actor: "intake", now: 1234)
            let read = try XCTUnwrap(store.ticket(number: made.number))
            XCTAssertEqual(read, made, kind)
            XCTAssertEqual(read.subject, "Printer on fire", kind)
            XCTAssertEqual(read.priority, .urgent, kind)
            XCTAssertEqual(read.status, .open, kind)
            XCTAssertEqual(read.queue, "hardware", kind)
            XCTAssertNil(read.assignee, kind)
            XCTAssertEqual(read.createdAt, 1234, kind)
            XCTAssertEqual(try store.ticket(id: made.id), made, kind)
            XCTAssertNil(try store.ticket(number: 99), kind)
        }
    }

    func testCreatingATicketRecordsACreateEvent() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "s", requester: "r@example.com", queue: "q", actor: "intake", now: 5)
            let events = try store.events(ticketID: t.id)
            XCTAssertEqual(events.map(\.type), ["create"], kind)
            XCTAssertEqual(events.first?.newValue, "new", kind)
            XCTAssertEqual(events.first?.actor, "intake", kind)
        }
    }

    func testListsAreNewestFirstAndFilterByStatusQueueAndLimit() {
        forEachStore { store, kind in
            let a = try store.createTicket(subject: "a", requester: "r@x", queue: "support", actor: "t", now: 1)
            _ = try store.createTicket(subject: "b", requester: "r@x", queue: "billing", actor: "t", now: 2)
            _ = try store.createTicket(subject: "c", requester: "r@x", queue: "support", actor: "t", now: 3)
            try store.setStatus(ticketID: a.id, to: .resolved, actor: "alice@example.com", reason: "fixed", now: 4)
            XCTAssertEqual(try store.tickets().map(\.number), [3, 2, 1], kind)
            XCTAssertEqual(try store.tickets(status: .new).map(\.number), [3, 2], kind)
            XCTAssertEqual(try store.tickets(status: .resolved).map(\.number), [1], kind)
            XCTAssertEqual(try store.tickets(queue: "support").map(\.number), [3, 1], kind)
            XCTAssertEqual(try store.tickets(status: .new, queue: "support").map(\.number), [3], kind)
            XCTAssertEqual(try store.tickets(limit: 2).map(\.number), [3, 2], kind)
            XCTAssertEqual(try store.tickets(queue: "nobody").count, 0, kind)
        }
    }

    func testAStatusChangeIsRecordedWithOldNewActorAndReason() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "s", requester: "r@x", queue: "q", actor: "intake", now: 1)
            try store.setStatus(ticketID: t.id, to: .pending, actor: "bob@example.com", reason: "waiting for customer", now: 50)
            let change = try XCTUnwrap(store.events(ticketID: t.id).last)
            XCTAssertEqual(change.type, "status", kind)
            XCTAssertEqual(change.field, "status", kind)
            XCTAssertEqual(change.oldValue, "new", kind)
            XCTAssertEqual(change.newValue, "pending", kind)
            XCTAssertEqual(change.actor, "bob@example.com", kind)
            XCTAssertEqual(change.reason, "waiting for customer", kind)
            XCTAssertEqual(try store.ticket(id: t.id)?.status, .pending, kind)
            XCTAssertEqual(try store.ticket(id: t.id)?.updatedAt, 50, kind)
        }
    }

    func testSettingTheSameStatusRecordsNothing() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "s", requester: "r@x", queue: "q", actor: "intake", now: 1)
            try store.setStatus(ticketID: t.id, to: .new, actor: "bob", reason: nil, now: 2)
            XCTAssertEqual(try store.events(ticketID: t.id).count, 1, kind)
            XCTAssertEqual(try store.ticket(id: t.id)?.updatedAt, 1, kind)
        }
    }

    func testEventsComeBackInTheOrderTheyWereAdded() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "s", requester: "r@x", queue: "q", actor: "intake", now: 1)
            try store.addEvent(ticketID: t.id, type: "comment", actor: "alice", now: 2)
            try store.addEvent(ticketID: t.id, type: "set", field: "assignee", oldValue: nil, newValue: "alice", actor: "alice", now: 2)
            XCTAssertEqual(try store.events(ticketID: t.id).map(\.type), ["create", "comment", "set"], kind)
        }
    }

    func testAMessagesRawBytesComeBackUnchanged() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "s", requester: "r@x", queue: "q", actor: "intake", now: 1)
            // CRLF, a NUL, 8-bit Latin-1 and invalid UTF-8: stored exactly, never transcoded.
            let raw: [UInt8] = Array("From: Zoë <z@example.com>\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\n".utf8)
                + [0x63, 0x61, 0x66, 0xE9, 0x00, 0xC3, 0x28, 0xFF, 0x0D, 0x0A]
            let row = try store.addMessage(ticketID: t.id, direction: "in", messageID: "abc@example.com", sha256: "00ff",
                                           raw: raw, fromAddress: "z@example.com", subject: "café", sentAt: nil,
                                           decision: "new-ticket", now: 7)
            XCTAssertEqual(try store.raw(row: row), raw, kind)
            let record = try XCTUnwrap(store.message(row: row))
            XCTAssertEqual(record.size, Int64(raw.count), kind)
            XCTAssertEqual(record.ticketID, t.id, kind)
            XCTAssertEqual(record.decision, "new-ticket", kind)
            XCTAssertEqual(try store.messages(ticketID: t.id).map(\.id), [row], kind)
            XCTAssertNil(try store.raw(row: row + 100), kind)
        }
    }

    func testALargeMessageIsWrittenInPiecesBesideTheRowAndReadsBackTheSame() {
        forEachStore { store, kind in
            var store = store
            store.largeMessageBytes = 10_000
            let t = try store.createTicket(subject: "s", requester: "r@x", queue: "q", actor: "intake", now: 1)
            let large = Array("From: Big <big@x>\r\nSubject: big\r\n\r\n".utf8) + (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let small = Array("From: Small <small@x>\r\n\r\nhi".utf8)
            let bigRow = try store.db.transaction {
                try store.addMessage(ticketID: t.id, direction: "in", messageID: "big@x", sha256: "0", raw: large, fromAddress: "big@x",
                                     subject: "big", sentAt: nil, decision: nil, now: 2)
            }
            let smallRow = try store.addMessage(ticketID: t.id, direction: "in", messageID: "small@x", sha256: "0", raw: small,
                                                fromAddress: "small@x", subject: "small", sentAt: nil, decision: nil, now: 3)
            XCTAssertEqual(try store.raw(row: bigRow), large, kind)
            XCTAssertEqual(try store.raw(row: smallRow), small, kind)
            let held = try store.db.query("SELECT id, length(raw) AS n FROM messages ORDER BY id").map { $0.int("n") }
            XCTAssertEqual(held, [0, Int64(small.count)], "\(kind): the large one's bytes are not in messages.raw")
            XCTAssertEqual(try store.db.row("SELECT length(raw) AS n FROM message_raw WHERE message_row = ?", [bigRow])?.int("n"), Int64(large.count), kind)
            XCTAssertEqual(try store.message(row: bigRow)?.size, Int64(large.count), kind)
            XCTAssertEqual(try store.firstHeader(ticketID: t.id, from: "big@x").map { Array($0.prefix(9)) }, Array("From: Big".utf8), kind)

            // Rolled back with its transaction like any row.
            _ = try? store.db.transaction { () throws -> Int64 in
                _ = try store.addMessage(ticketID: t.id, direction: "in", messageID: "gone@x", sha256: "0", raw: large, fromAddress: nil,
                                         subject: nil, sentAt: nil, decision: nil, now: 4)
                throw StoreError(kind: .invalid, message: "roll back")
            }
            XCTAssertEqual(try store.db.row("SELECT count(*) AS n FROM message_raw")?.int("n"), 1, kind)
        }
    }

    func testABlobWriteOfTheWrongLengthIsRefused() {
        forEachStore { store, kind in
            try store.db.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT")
            try store.db.execute("INSERT INTO b (id, v) VALUES (1, zeroblob(4))")
            XCTAssertThrowsError(try store.db.writeBlob(table: "b", column: "v", row: 1, bytes: [1, 2, 3]), kind)
            try store.db.writeBlob(table: "b", column: "v", row: 1, bytes: [1, 2, 3, 4], pieceBytes: 3)
            XCTAssertEqual(try store.db.row("SELECT v FROM b")?.blob("v"), [1, 2, 3, 4], kind)
        }
    }

    func testMessagesAreFoundByMessageIDWithOrWithoutAngleBrackets() {
        forEachStore { store, kind in
            let row = try store.addMessage(ticketID: nil, direction: "in", messageID: "m1@example.com", sha256: "aa",
                                           raw: [1], fromAddress: nil, subject: nil, sentAt: nil, decision: nil, now: 1)
            XCTAssertEqual(try store.messages(messageID: "<m1@example.com>").map(\.id), [row], kind)
            XCTAssertEqual(try store.messages(messageID: "m1@example.com").map(\.id), [row], kind)
            XCTAssertEqual(try store.messages(messageID: "other@example.com").count, 0, kind)
        }
    }

    func testAMessageForAMissingTicketIsRefusedByTheForeignKey() {
        forEachStore { store, kind in
            XCTAssertThrowsError(try store.addMessage(ticketID: 999, direction: "in", messageID: nil, sha256: "aa", raw: [1],
                                                      fromAddress: nil, subject: nil, sentAt: nil, decision: nil, now: 1), kind)
        }
    }

    func testEventsAddedTogetherReadBackInOrderAsIfAddedOneByOne() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "Hello", requester: "ann@example.com", queue: "support", actor: "intake", now: 10)
            let before = try store.events(ticketID: t.id).count
            // 21 events: more than one statement's worth (16), with NULLs and text that needs binding.
            let events = (0..<21).map { i in
                TicketStore.NewEvent(type: "rule", field: "rule-\(i)", oldValue: i % 3 == 0 ? nil : "o\(i)",
                                     newValue: "tags+=t\(i)", reason: i % 2 == 0 ? "subject contains \"x'\(i)\"" : nil)
            }
            try store.addEvents(ticketID: t.id, messageRow: nil, events, actor: "system", now: 20)
            try store.addEvents(ticketID: t.id, messageRow: nil, [], actor: "system", now: 21)
            let read = try Array(store.events(ticketID: t.id).dropFirst(before))
            XCTAssertEqual(read.map(\.field), events.map(\.field), kind)
            XCTAssertEqual(read.map(\.oldValue), events.map(\.oldValue), kind)
            XCTAssertEqual(read.map(\.newValue), events.map(\.newValue), kind)
            XCTAssertEqual(read.map(\.reason), events.map(\.reason), kind)
            XCTAssertEqual(Set(read.map(\.type)), ["rule"], kind)
            XCTAssertEqual(Set(read.map(\.actor)), ["system"], kind)
            XCTAssertEqual(Set(read.map(\.createdAt)), [20], kind)
            XCTAssertEqual(Set(read.map(\.ticketID)), [t.id], kind)
            XCTAssertEqual(read.map(\.id), read.map(\.id).sorted(), kind)
        }
    }

    func testTagsAreAddedOnceEachInTheOrderGivenHoweverMany() {
        forEachStore { store, kind in
            let t = try store.createTicket(subject: "Hello", requester: "ann@example.com", queue: "support", actor: "intake", now: 10)
            try store.addTags(ticketID: t.id, ["vip", "billing"])
            let many = (0..<20).map { "t\($0)" }
            try store.addTags(ticketID: t.id, ["billing", "new"] + many + ["vip"])
            try store.addTags(ticketID: t.id, [])
            XCTAssertEqual(try store.tags(ticketID: t.id), ["vip", "billing", "new"] + many, kind)
        }
    }
}
