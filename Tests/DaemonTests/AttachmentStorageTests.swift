@testable import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// Issue 17: an attachment's decoded bytes are not stored beside the raw message. The row
/// keeps what the file is and where it sits in the MIME tree; the bytes are decoded from the
/// stored message when a relay or `postdesk attachment` asks. Rows stored before keep theirs.
final class AttachmentStorageTests: XCTestCase {
    var db: Database!
    var intake: Intake!

    override func setUp() {
        (db, intake) = try! MemoryIntake.make(config: """
            {"agents": [{"email": "agent1@example.test"}], "queues": [{"name": "support", "address": "support@example.test"}]}
            """)
    }

    static func payload(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// A message with a text part, a base64 file and a quoted-printable text file.
    static func mail(file: [UInt8], notes: String) -> [UInt8] {
        let b64 = Data(file).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let text = """
            From: Ann <ann@customer.test>\r
            To: support@example.test\r
            Subject: logs attached\r
            Message-ID: <files@customer.test>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary=b\r
            \r
            --b\r
            Content-Type: text/plain\r
            \r
            Two files.\r
            --b\r
            Content-Type: application/octet-stream; name=dump.bin\r
            Content-Disposition: attachment; filename=dump.bin\r
            Content-Transfer-Encoding: base64\r
            \r
            \(b64)\r
            --b\r
            Content-Type: text/plain; charset=utf-8; name=notes.txt\r
            Content-Disposition: attachment; filename=notes.txt\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            \(notes)\r
            --b--\r

            """
        return Array(text.utf8)
    }

    func testTheRowNamesThePartAndHoldsNoBytesAndTheBytesComeBackFromTheRawMessage() throws {
        let file = Self.payload(300_000, seed: 7)
        let raw = Self.mail(file: file, notes: "caf=C3=A9 =\r\nau lait")
        guard case .imported(_, let row, _) = try intake.ingest(raw: raw, key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: 1, action: "seen")) else {
            return XCTFail("not imported")
        }
        let rows = try db.query("SELECT filename, size, sha256, length(data) AS stored, part_path FROM attachments ORDER BY id")
        XCTAssertEqual(rows.map { $0.optionalText("filename") }, ["dump.bin", "notes.txt"])
        XCTAssertEqual(rows.map { $0.int("stored") }, [0, 0], "no decoded bytes beside the raw message")
        XCTAssertEqual(rows.map { $0.optionalText("part_path") }, ["2", "3"])
        XCTAssertEqual(rows.map { $0.int("size") }, [Int64(file.count), Int64("café au lait".utf8.count)])
        XCTAssertEqual(rows[0].text("sha256"), SHA256.hex(file), "the hash is of the decoded file")

        let tickets = TicketStore(db: db)
        let files = try tickets.withDecodedBytes(try tickets.attachments(messageRow: row), messageRow: row)
        XCTAssertTrue(files.first?.data == file, "decoded on demand, byte for byte")
        XCTAssertEqual(files.last?.data, Array("café au lait".utf8))
    }

    func testRowsStoredBeforeTheChangeKeepTheirBytes() throws {
        let tickets = TicketStore(db: db)
        let row = try tickets.addMessage(ticketID: nil, direction: "in", messageID: "old@x", sha256: "0", raw: Array("Subject: old\r\n\r\nx".utf8),
                                         fromAddress: nil, subject: "old", sentAt: nil, decision: nil, now: 1)
        try db.execute("""
            INSERT INTO attachments (message_row, filename, content_type, size, content_id, inline, sha256, data)
            VALUES (?, 'old.bin', 'application/octet-stream', 3, NULL, 0, 'x', X'010203')
            """, [row])
        let files = try tickets.withDecodedBytes(try tickets.attachments(messageRow: row), messageRow: row)
        XCTAssertEqual(files.map(\.data), [[1, 2, 3]])
        XCTAssertEqual(files.map(\.partPath), [nil])
    }

    func testAPartTheParseNoLongerFindsIsLeftOutNotSentEmpty() throws {
        let raw = Self.mail(file: [1, 2, 3], notes: "n")
        guard case .imported(_, let row, _) = try intake.ingest(raw: raw, key: nil) else { return XCTFail("not imported") }
        try db.execute("UPDATE attachments SET part_path = '9' WHERE filename = 'dump.bin'")
        let tickets = TicketStore(db: db)
        let files = try tickets.withDecodedBytes(try tickets.attachments(messageRow: row), messageRow: row)
        XCTAssertEqual(files.map(\.filename), ["notes.txt"])
    }
}
