import CLI
import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import Transport
import XCTest

/// Issue "IMAP intake" against the real Dovecot: exactly-once, byte-identical, poison-proof.
final class IntakeIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    static func mail(_ n: Int, tag: String = "it", body: String = "My printer is broken.") -> [UInt8] {
        Array("From: Customer \(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nSubject: Request \(n)\r\nMessage-ID: <\(tag)-\(n)@customer.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n\(body) \(n)\r\n".utf8)
    }

    /// Stored bytes per UID, from the deliveries the intake recorded.
    func storedByUID(_ desk: TestDesk) throws -> [Int64: [UInt8]] {
        var out: [Int64: [UInt8]] = [:]
        for row in try desk.store().query("SELECT d.uid, \(TicketStore.rawBytesSQL) AS raw FROM deliveries d JOIN messages ON messages.id = d.message_row") {
            out[row.int("uid")] = row.blob("raw")
        }
        return out
    }

    static func crlf(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 20)
        for (i, c) in b.enumerated() {
            if c == 10 && (i == 0 || b[i - 1] != 13) { out.append(13) }
            out.append(c)
        }
        return out
    }

    func serverCopies(_ desk: TestDesk, _ uids: [UInt32]) throws -> [UInt32: [UInt8]] {
        let c = try desk.imap()
        defer { c.logout() }
        _ = try c.select("INBOX")
        var out: [UInt32: [UInt8]] = [:]
        _ = try c.fetchMessages(UIDSet(uids)) { out[$0.uid] = $0.bytes }
        return out
    }

    func testEveryAppendedMessageIsStoredOnceByteIdenticalInUIDOrderAndMarkedSeen() throws {
        let desk = try TestDesk(servers: servers, user: "customer3")
        var messages = Fixtures.corpusMessages().map(\.bytes)
        if messages.isEmpty { messages = (1...50).map { Self.mail($0) } }
        let uids = try desk.append(messages)
        let run = desk.cli(["run", "--once"])
        XCTAssertEqual(run.code, 0, run.err)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM deliveries"), Int64(messages.count))
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM quarantine"), 0, try desk.cli(["quarantine", "list"]).out)
        // Dovecot turns bare LF into CRLF on APPEND: what it serves is the message; compare with that,
        // fetched on a separate connection, and with the file modulo line endings.
        let stored = try storedByUID(desk)
        let served = try serverCopies(desk, uids)
        for (uid, bytes) in zip(uids, messages) {
            XCTAssertTrue(stored[Int64(uid)] == served[uid], "UID \(uid) stored byte-identical to the server's copy")
            // Dovecot also rewrites lone CRs and NULs; where there are none, the file must match too.
            if !bytes.contains(0) && !zip(bytes, bytes.dropFirst() + [0]).contains(where: { $0 == 13 && $1 != 10 }) {
                XCTAssertTrue(stored[Int64(uid)].map(Self.crlf) == Self.crlf(bytes), "UID \(uid) is the appended message")
            }
        }
        let order = try desk.store().query("SELECT uid FROM deliveries ORDER BY id").map { $0.int("uid") }
        XCTAssertEqual(order, order.sorted(), "taken in UID order")
        // The after-import action: every message now carries \Seen on the server.
        let c = try desk.imap()
        defer { c.logout() }
        _ = try c.select("INBOX")
        var seen = 0
        _ = try c.fetchMessages(UIDSet(uids)) { if $0.flags?.contains("\\Seen") == true { seen += 1 } }
        XCTAssertEqual(seen, messages.count)
        print("figure: corpus intake messages=\(messages.count) distinct_stored=\(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"))")
    }

    func testProtocolLookalikesInABodyAndA20MBAttachmentAreStoredByteIdentical() throws {
        let desk = try TestDesk(servers: servers, user: "customer3", afterImport: "move:Processed")
        let tricky = Array("From: a@customer.test\r\nSubject: lookalikes\r\nMessage-ID: <tricky@customer.test>\r\n\r\nA005 OK fake\r\n* 3 FETCH (BODY[] {5}\r\nhello\r\n)\r\nA006 OK done\r\n".utf8)
        var big = Array("From: b@customer.test\r\nSubject: big\r\nMessage-ID: <big@customer.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nlog attached\r\n--X\r\nContent-Type: application/octet-stream; name=dump.bin\r\nContent-Disposition: attachment; filename=dump.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n".utf8)
        var rng = SystemRandomNumberGenerator()
        let payload = (0..<(15 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let b64 = Data(payload).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        big += Array(b64.utf8) + Array("\r\n--X--\r\n".utf8)
        let messages = [tricky, big, Self.mail(1), Self.mail(2)]
        let uids = try desk.append(messages)
        XCTAssertGreaterThan(big.count, 20 << 20)
        let run = desk.cli(["run", "--once"])
        XCTAssertEqual(run.code, 0, run.err)
        let stored = try storedByUID(desk)
        for (uid, bytes) in zip(uids, messages) { XCTAssertTrue(stored[Int64(uid)] == bytes, "UID \(uid) byte-identical") }
        XCTAssertTrue(try serverCopiesAfterMove(desk) == messages.count)
        // Issue 17: the row says where the file is; its bytes live once, in the raw message.
        let attachment = try XCTUnwrap(try desk.store().row("SELECT message_row, size, sha256, length(data) AS held, part_path FROM attachments WHERE filename = 'dump.bin'"))
        XCTAssertEqual(attachment.int("size"), Int64(payload.count))
        XCTAssertEqual(attachment.int("held"), 0, "no decoded copy beside the raw message")
        XCTAssertEqual(attachment.optionalText("part_path"), "2")
        XCTAssertEqual(attachment.text("sha256"), SHA256.hex(payload))
        let file = desk.directory.appendingPathComponent("dump.out").path
        let export = desk.cli(["attachment", String(attachment.int("message_row")), "1", "-o", file])
        XCTAssertEqual(export.code, 0, export.err)
        XCTAssertTrue(Array(try Data(contentsOf: URL(fileURLWithPath: file))) == payload, "the attachment decodes to the original bytes")

    }

    func serverCopiesAfterMove(_ desk: TestDesk) throws -> Int { try servers.rawMessages(of: desk.user, folder: "Processed").count }

    func testAUIDValidityChangeCausesNoDuplicates() throws {
        let desk = try TestDesk(servers: servers, user: "customer3")
        try desk.append((1...5).map { Self.mail($0, tag: "uv") })
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.changeUIDValidity(user: "customer3", to: 777_777)
        try desk.append([Self.mail(6, tag: "uv")])
        let run = desk.cli(["run", "--once"])
        XCTAssertEqual(run.code, 0, run.err)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 6)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 6)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM deliveries WHERE outcome = 'duplicate'"), 5)
        XCTAssertEqual(try desk.count("SELECT uidvalidity FROM mailbox_cursors"), 777_777)
    }

    func testTheSameBytesAppendedAgainAreRecognisedAndTheDeliveryRecorded() throws {
        let desk = try TestDesk(servers: servers, user: "customer3")
        let messages = (1...4).map { Self.mail($0, tag: "again") }
        try desk.append(messages)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try desk.append(messages)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 4)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 4)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM deliveries"), 8)
    }

    func testGarbageAndAnOversizedMessageAreQuarantinedAndRetryImportsAfterRaisingTheLimit() throws {
        let desk = try TestDesk(servers: servers, user: "customer3", extra: "\"max_message_bytes\": 4096")
        // Binary junk: control characters and 8-bit bytes. None can be part of a header name
        // (printable ASCII), so no seed makes it parse as mail; no NUL or CR/LF either, which
        // IMAP APPEND of a non-binary literal refuses.
        var rng = SeededGenerator(seed: 0x9a7b_a6e0)
        let junk: [UInt8] = Array(14...31) + Array(128...255)
        let garbage = (0..<3000).map { _ in junk.randomElement(using: &rng)! }
        let oversized = Self.mail(2, tag: "big", body: String(repeating: "x", count: 10_000))
        try desk.append([garbage, oversized, Self.mail(3, tag: "ok")])
        let run = desk.cli(["run", "--once"])
        XCTAssertEqual(run.code, 0, run.err)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM quarantine WHERE status = 'held'"), 2)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 1, "the good one after them is imported")
        let list = desk.cli(["quarantine", "list"])
        XCTAssertTrue(list.out.contains("oversized"), list.out)
        XCTAssertTrue(list.out.contains("not an e-mail message"), list.out)
        let held = try QuarantineStore(db: desk.store()).list()
        XCTAssertEqual(held.first { $0.reason.hasPrefix("oversized") }.map { try? QuarantineStore(db: desk.store()).raw($0.id) }, oversized)
        try desk.writeConfig(extra: "\"max_message_bytes\": 1048576")
        let retry = desk.cli(["quarantine", "retry", "--all"])
        XCTAssertEqual(retry.code, 65, "the garbage is still held: \(retry.out)")
        XCTAssertTrue(retry.out.contains("imported as message"), retry.out)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 2)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM quarantine WHERE status = 'held'"), 1)
        let drop = desk.cli(["quarantine", "drop", String(held.first { !$0.reason.hasPrefix("oversized") }!.id)])
        XCTAssertEqual(drop.code, 64, "drop asks for --yes")
    }

    func testOneMailCcdToTwoSupportMailboxesIsOneTicketWithBothDeliveriesRecorded() throws {
        let desk = try TestDesk(servers: servers, user: "customer2")
        try servers.reset(user: "customer3")
        // A second configured mailbox: customer3's INBOX plays "billing".
        var config = try String(contentsOfFile: desk.configPath, encoding: .utf8)
        let second = """
            {"name": "billing", "url": "imap://\(servers.host):\(servers.imapPort)", "tls": "required",
             "ca_file": "\(servers.caFile)", "user": "\(servers.address("customer3"))",
             "password_file": "\(desk.directory.appendingPathComponent("imap-password").path)", "after_import": "seen"}],
            """
        config = config.replacingOccurrences(of: "\"after_import\": \"seen\"}],", with: "\"after_import\": \"seen\"}, " + second)
        try Data(config.utf8).write(to: URL(fileURLWithPath: desk.configPath))
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        defer { smtp.close() }
        let mail = "From: ann@customer.test\r\nTo: \(servers.address("customer2"))\r\nCc: \(servers.address("customer3"))\r\nSubject: Invoice and support\r\nMessage-ID: <cc-both@customer.test>\r\n\r\nPlease help.\r\n"
        _ = try smtp.send(from: "ann@customer.test", to: [servers.address("customer2"), servers.address("customer3")], message: Array(mail.utf8))
        try servers.awaitInbox("customer2", count: 1)
        try servers.awaitInbox("customer3", count: 1)
        let run = desk.cli(["run", "--once"])
        XCTAssertEqual(run.code, 0, run.err)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 1)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM messages WHERE direction = 'in'"), 1)
        let deliveries = try desk.store().query("SELECT mailbox, outcome FROM deliveries ORDER BY id").map { "\($0.text("mailbox")):\($0.text("outcome"))" }
        XCTAssertEqual(deliveries, ["support:imported", "billing:duplicate"])
    }
}
