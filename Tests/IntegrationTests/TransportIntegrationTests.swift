import Foundation
import TestSupport
import XCTest
@testable import Transport

/// Our libcurl IMAP and SMTP clients against the real Dovecot and Postfix of scripts/mailservers.sh.
final class TransportIntegrationTests: XCTestCase {
    private var servers: MailServers!
    private var client: CurlIMAPClient!
    /// A folder of its own per test, so tests never see each other's messages.
    private var folder = ""

    override func setUpWithError() throws {
        servers = try MailServers.shared()
        client = try servers.connectedIMAP(user: "agent2")
        // Maildir++ forbids "." in folder names, and the test name holds one.
        let test = name.split(whereSeparator: { " .[]".contains($0) }).last.map(String.init) ?? "test"
        folder = "T-\(test.prefix(40))-\(UUID().uuidString.prefix(6))"
        try client.createMailbox(folder)
    }

    override func tearDownWithError() throws {
        if let client, client.isConnected {
            try? client.deleteMailbox(folder)
            client.logout()
        }
    }

    private func message(_ subject: String, body: String) -> [UInt8] {
        Array("From: Customer <customer1@example.test>\r\nTo: support@example.test\r\nSubject: \(subject)\r\n"
            .appending("Message-ID: <\(UUID().uuidString)@example.test>\r\n\r\n\(body)").utf8)
    }

    /// A message whose body imitates IMAP responses, and one with a multi-megabyte attachment.
    private func hostileMessages() -> [[UInt8]] {
        let tricky = message("tricky", body: "A005 OK fake\r\n* 3 FETCH (BODY[] {5}\r\nhello\r\nP9 OK also fake\r\n)\r\n")
        let blob = Data((0 ..< 3_000_000).map { (i: Int) in UInt8(truncatingIfNeeded: (i &* 2_654_435_761) >> 13) }).base64EncodedString(options: .lineLength76Characters)
        let big = Array(("From: c@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n\(blob)\r\n--b--\r\n").utf8)
        return [tricky, big]
    }

    // MARK: - IMAP

    func testLogsInWithSTARTTLSTrustingTheServersCertificate() throws {
        XCTAssertTrue(client.capabilities.contains("IMAP4REV1"))
        let inbox = try client.select("INBOX")
        XCTAssertGreaterThan(inbox.uidValidity, 0)
        XCTAssertEqual(client.selected, "INBOX")
    }

    private struct StopNow: AbandonsConnection {}

    func testAHandlerThatAbandonsDropsTheConnectionInsteadOfReadingTheRest() throws {
        for n in 0..<3 { _ = try client.append(message("m\(n)", body: "hello \(n)"), to: folder) }
        _ = try client.select(folder)
        var seen = 0
        XCTAssertThrowsError(try client.fetchMessages(UIDSet(1...3)) { _ in
            seen += 1
            throw StopNow()
        }) { XCTAssertTrue($0 is StopNow, "\($0)") }
        XCTAssertEqual(seen, 1)
        XCTAssertFalse(client.isConnected, "dropped, not drained")
        client = try servers.connectedIMAP(user: "agent2")
    }

    func testLogsInWithImplicitTLS() throws {
        let tls = CurlIMAPClient(endpoint: servers.imapEndpoint(user: "agent2", security: .implicitTLS))
        try tls.connect()
        defer { tls.logout() }
        XCTAssertGreaterThan(try tls.status("INBOX").uidValidity, 0)
    }

    func testAWrongPasswordIsAPermanentAuthErrorThatSaysWhatToFix() throws {
        let wrong = CurlIMAPClient(endpoint: servers.imapEndpoint(user: "agent2", password: "not-the-password"))
        XCTAssertThrowsError(try wrong.connect()) { error in
            let e = error as? TransportError
            XCTAssertEqual(e?.kind, .auth)
            XCTAssertEqual(e?.disposition, .permanent)
            XCTAssertTrue(e?.message.contains("password") ?? false, "\(error)")
            XCTAssertFalse("\(error)".contains("not-the-password"), "the secret leaked into the error")
        }
        XCTAssertFalse(wrong.isConnected)
    }

    func testAnUntrustedCertificateIsRefusedBecauseVerificationStaysOn() throws {
        var endpoint = servers.imapEndpoint(user: "agent2")
        endpoint.caFile = nil
        XCTAssertThrowsError(try CurlIMAPClient(endpoint: endpoint).connect()) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .tls, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .permanent)
        }
    }

    func testANothingListeningPortIsATemporaryConnectError() throws {
        var endpoint = servers.imapEndpoint(user: "agent2")
        endpoint.port = 9
        XCTAssertThrowsError(try CurlIMAPClient(endpoint: endpoint).connect()) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .connect, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
    }

    func testAppendedMessagesComeBackByteIdenticalFromOneBatchFetch() throws {
        var appended: [UInt32: [UInt8]] = [:]
        for i in 1 ... 20 {
            let bytes = message("plain \(i)", body: "Hello number \(i).\r\n")
            appended[try XCTUnwrap(try client.append(bytes, to: folder))] = bytes
        }
        for bytes in hostileMessages() { appended[try XCTUnwrap(try client.append(bytes, to: folder))] = bytes }
        for i in 1 ... 3 {
            let bytes = message("after \(i)", body: "fine\r\n")
            appended[try XCTUnwrap(try client.append(bytes, to: folder))] = bytes
        }

        let box = try client.select(folder)
        XCTAssertEqual(box.exists, appended.count)
        var fetched: [IMAPFetchedMessage] = []
        let missing = try client.fetchMessages(UIDSet(appended.keys)) { fetched.append($0) }

        XCTAssertEqual(missing, [])
        XCTAssertEqual(fetched.map(\.uid), appended.keys.sorted(), "one delivery per UID, in UID order")
        for message in fetched {
            XCTAssertEqual(message.bytes, appended[message.uid], "UID \(message.uid) differs")
            XCTAssertFalse(message.flags?.contains("\\Seen") ?? true, "BODY.PEEK must not set \\Seen")
        }
        XCTAssertGreaterThan(fetched.map(\.bytes.count).max() ?? 0, 3_000_000)
        // The connection is still in step after the hostile bodies.
        XCTAssertEqual(try client.status(folder).messages, appended.count)
    }

    func testBatchAppendStoresEveryMessageInOrderAndReportsTheirUIDs() throws {
        let first = (1 ... 150).map { message("batch \($0)", body: "n\($0)\r\n") }
        let firstUIDs = try client.append(first, to: folder).compactMap { $0 }
        XCTAssertTrue(client.capabilities.contains("MULTIAPPEND"))
        client.capabilities.remove("MULTIAPPEND")   // one APPEND per message
        let second = (151 ... 155).map { message("single \($0)", body: "n\($0)\r\n") }
        let secondUIDs = try client.append(second, to: folder).compactMap { $0 }

        XCTAssertEqual(firstUIDs.count, 150)
        XCTAssertEqual(secondUIDs.count, 5)
        XCTAssertEqual(firstUIDs + secondUIDs, (firstUIDs + secondUIDs).sorted())
        _ = try client.select(folder)
        var stored: [UInt32: [UInt8]] = [:]
        try client.fetchMessages(UIDSet(firstUIDs + secondUIDs)) { stored[$0.uid] = $0.bytes }
        XCTAssertEqual(zip(firstUIDs + secondUIDs, first + second).filter { stored[$0.0] != $0.1 }.count, 0)
    }

    func testSizesAndSearchListOnlyUIDsInsideTheBoundedRange() throws {
        var uids: [UInt32] = []
        for i in 1 ... 6 { uids.append(try XCTUnwrap(try client.append(message("s\(i)", body: String(repeating: "x", count: i * 100)), to: folder))) }
        _ = try client.select(folder)
        let sizes = try client.messageSizes(in: uids[2] ... uids[4])
        XCTAssertEqual(sizes.map(\.uid), Array(uids[2 ... 4]))
        XCTAssertTrue(sizes.allSatisfy { $0.size > 300 })
        XCTAssertEqual(try client.searchUIDs(in: uids[1] ... uids[5] + 100), Array(uids[1...]))
        XCTAssertEqual(try client.messageSizes(in: uids[5] + 1 ... uids[5] + 50), [], "nothing above the last UID")
    }

    func testAllUIDsListsTheWholeFolderByESEARCHAndByUIDFetchAlike() throws {
        var uids: [UInt32] = []
        for i in 1 ... 7 { uids.append(try XCTUnwrap(try client.append(message("a\(i)", body: "b\(i)\r\n"), to: folder))) }
        var selected = try client.select(folder)
        try client.delete(UIDSet([uids[2], uids[5]]))
        selected = try client.select(folder)
        let expected = UIDSet(uids.enumerated().filter { $0.offset != 2 && $0.offset != 5 }.map(\.element))
        XCTAssertTrue(client.capabilities.contains("ESEARCH"), "Dovecot offers ESEARCH")
        XCTAssertEqual(try client.allUIDs(exists: selected.exists), expected, "UID SEARCH RETURN (ALL) ALL")
        XCTAssertEqual(try client.allUIDs(exists: selected.exists, esearch: false), expected, "UID FETCH 1:* (UID)")
        XCTAssertTrue(try client.allUIDs(exists: 0).isEmpty, "an empty folder is not asked")
    }

    func testFetchingSelectedUIDsSkipsOthersAndReportsVanishedOnes() throws {
        var uids: [UInt32] = []
        for i in 1 ... 5 { uids.append(try XCTUnwrap(try client.append(message("f\(i)", body: "b\(i)\r\n"), to: folder))) }
        _ = try client.select(folder)
        try client.delete(UIDSet([uids[3]]))
        var got: [UInt32] = []
        let missing = try client.fetchMessages(UIDSet([uids[0], uids[2], uids[3]])) { got.append($0.uid) }
        XCTAssertEqual(got, [uids[0], uids[2]])
        XCTAssertEqual(missing, [uids[3]])
    }

    func testSeenMoveAndDeleteChangeTheServerAsAsked() throws {
        var uids: [UInt32] = []
        for i in 1 ... 6 { uids.append(try XCTUnwrap(try client.append(message("m\(i)", body: "b\r\n"), to: folder))) }
        let archive = folder + "-archive"
        try client.createMailbox(archive)
        defer { try? client.deleteMailbox(archive) }
        _ = try client.select(folder)

        try client.markSeen(UIDSet([uids[0]]))
        var flags: [String] = []
        try client.fetchMessages(UIDSet([uids[0]])) { flags = $0.flags ?? [] }
        XCTAssertTrue(flags.contains("\\Seen"))

        XCTAssertTrue(client.capabilities.contains("MOVE"))
        try client.move(UIDSet([uids[1], uids[2]]), to: archive)
        client.capabilities.remove("MOVE")   // the COPY + \Deleted + UID EXPUNGE path
        try client.move(UIDSet([uids[3]]), to: archive)
        try client.delete(UIDSet([uids[4]]))

        XCTAssertEqual(try client.searchUIDs(in: 1 ... uids[5]), [uids[0], uids[5]])
        XCTAssertEqual(try client.status(archive).messages, 3)
    }

    func testStatusTracksUIDNextAndValidityWithoutSelecting() throws {
        let before = try client.status(folder)
        let uid = try XCTUnwrap(try client.append(message("st", body: "x\r\n"), to: folder))
        let after = try client.status(folder)
        XCTAssertEqual(after.uidValidity, before.uidValidity)
        XCTAssertEqual(after.messages, before.messages + 1)
        XCTAssertEqual(after.uidNext, uid + 1)
        XCTAssertNil(client.selected)
    }

    func testFolderNamesWithQuotesBackslashesAndNonASCIIWorkAndCRLFIsRefused() throws {
        let odd = folder + " \"Ünïcödé\" & \\ 工单"
        try client.createMailbox(odd)
        defer { try? client.deleteMailbox(odd) }
        try client.append(message("odd", body: "x\r\n"), to: odd)
        XCTAssertEqual(try client.status(odd).messages, 1)
        XCTAssertEqual(try client.select(odd).exists, 1)
        let listed = try servers.doveadm(["mailbox", "list", "-u", servers.address("agent2")])
        XCTAssertTrue(listed.contains(odd), "server sees the same name: \(listed)")

        XCTAssertThrowsError(try client.createMailbox("INBOX\r\nP99 DELETE INBOX")) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .config)
        }
        XCTAssertTrue(client.isConnected)
    }

    func testAServerNoIsAPermanentRejectionAndTheConnectionStaysUsable() throws {
        XCTAssertThrowsError(try client.select("No-Such-Folder-\(UUID().uuidString)")) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .rejected)
            XCTAssertEqual((error as? TransportError)?.disposition, .permanent)
        }
        XCTAssertTrue(client.isConnected)
        try client.noop()
    }

    func testAFailingDeliveryDrainsTheBatchAndKeepsTheConnectionInStep() throws {
        struct Stop: Error {}
        for i in 1 ... 4 { try client.append(message("d\(i)", body: "b\r\n"), to: folder) }
        _ = try client.select(folder)
        var calls = 0
        XCTAssertThrowsError(try client.fetchMessages(UIDSet(1 ... 100)) { _ in calls += 1; throw Stop() }) { error in
            XCTAssertTrue(error is Stop)
        }
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(try client.searchUIDs(in: 1 ... 100).count, 4)
    }

    func testRawDownloadCountsEveryMessageAndByte() throws {
        var total = 0
        for i in 1 ... 10 {
            let bytes = message("r\(i)", body: String(repeating: "y", count: 1000 * i) + "\r\n")
            total += bytes.count
            try client.append(bytes, to: folder)
        }
        XCTAssertEqual(try client.rawDownload(mailbox: folder), .init(messages: 10, messageBytes: total))
    }

    // MARK: - SMTP

    func testSMTPSendsThroughPostfixAndMailForOutsideLandsInTheCatchAll() throws {
        let marker = UUID().uuidString
        let outsider = "someone-\(marker.prefix(8))@customer.invalid"
        let bytes = Array(("From: support@example.test\r\nTo: \(outsider)\r\nSubject: [#42] reply \(marker)\r\n\r\n"
            + "Hello,\r\n.\r\n.leading dot stays\r\nbye\r\n").utf8)
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        let delivery = try smtp.send(from: "support@example.test", to: [outsider, servers.address("agent1")], message: bytes)
        XCTAssertEqual(delivery, SMTPDelivery(accepted: [outsider, servers.address("agent1")], refused: []))

        let caught = try XCTUnwrap(try servers.awaitDelivery(to: "catchall") { String(decoding: $0, as: UTF8.self).contains(marker) })
        let text = String(decoding: caught, as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("\r\n\r\nHello,\r\n.\r\n.leading dot stays\r\nbye\r\n") || text.hasSuffix("\n\nHello,\n.\n.leading dot stays\nbye\n"),
                      "body arrives unchanged")
        XCTAssertNotNil(try servers.awaitDelivery(to: "agent1") { String(decoding: $0, as: UTF8.self).contains(marker) })
    }

    func testSMTPReportsARefusedRecipientAndStillDeliversToTheOthers() throws {
        let marker = UUID().uuidString
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        let unknown = "nobody-here@\(servers.domain)"
        let delivery = try smtp.send(from: "support@example.test", to: [unknown, servers.address("customer2")],
                                     message: message("partial \(marker)", body: "x\r\n"))
        XCTAssertEqual(delivery.accepted, [servers.address("customer2")])
        XCTAssertEqual(delivery.refused.map(\.recipient), [unknown])
        XCTAssertEqual(delivery.refused.first?.disposition, .permanent)
        XCTAssertNotNil(try servers.awaitDelivery(to: "customer2") { String(decoding: $0, as: UTF8.self).contains(marker) })

        XCTAssertThrowsError(try smtp.send(from: "support@example.test", to: [unknown], message: message("none", body: "x\r\n"))) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .rejected, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .permanent)
        }
        // The kept handle reconnects after the failure.
        XCTAssertEqual(try smtp.send(from: "support@example.test", to: [servers.address("customer2")],
                                     message: message("again", body: "x\r\n")).accepted.count, 1)
    }

    func testSMTPSays4xxRecipientsAreTemporaryAnd5xxPermanent() throws {
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        let tempfail = servers.address("tempfail"), rejected = servers.address("rejected")
        let delivery = try smtp.send(from: "support@example.test", to: [tempfail, servers.address("agent2"), rejected],
                                     message: message("mixed", body: "x\r\n"))
        XCTAssertEqual(delivery.accepted, [servers.address("agent2")])
        XCTAssertEqual(delivery.refused.map(\.recipient), [tempfail, rejected])
        XCTAssertEqual(delivery.refused.map(\.code), [450, 550])
        XCTAssertEqual(delivery.refused.map(\.disposition), [.temporary, .permanent])

        XCTAssertThrowsError(try smtp.send(from: "support@example.test", to: [tempfail], message: message("t", body: "x\r\n"))) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .rejected, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
    }

    func testSMTPSubmissionLogsInAndAWrongPasswordIsPermanent() throws {
        let good = CurlSMTPClient(endpoint: servers.submissionEndpoint(user: "support"))
        XCTAssertEqual(try good.send(from: "support@example.test", to: ["x@elsewhere.invalid"], message: message("auth", body: "x\r\n")).accepted.count, 1)
        let bad = CurlSMTPClient(endpoint: servers.submissionEndpoint(user: "support", password: "Wr0ngPa55"))
        XCTAssertThrowsError(try bad.send(from: "support@example.test", to: ["x@elsewhere.invalid"], message: message("auth", body: "x\r\n"))) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .auth, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .permanent)
            // Neither the password nor the base64 AUTH PLAIN line ("\0support@example.test\0…") may leak.
            let text = "\(error)".uppercased()
            XCTAssertFalse(text.contains("WR0NGPA55") || text.contains("AHN1CHBVCNRAZXHHBXBSZS50ZXN0"), "secret leaked: \(error)")
        }
    }

    func testSMTPSWithImplicitTLSDelivers() throws {
        let marker = UUID().uuidString
        let smtps = CurlSMTPClient(endpoint: servers.submissionEndpoint(user: "agent1", implicitTLS: true))
        XCTAssertEqual(try smtps.send(from: "agent1@example.test", to: [servers.address("customer3")],
                                      message: message("smtps \(marker)", body: "x\r\n")).accepted.count, 1)
        XCTAssertNotNil(try servers.awaitDelivery(to: "customer3") { String(decoding: $0, as: UTF8.self).contains(marker) })
    }

    func testTheMailServersHandleResetsAUserAndChangesUIDValidity() throws {
        let other = try servers.connectedIMAP(user: "customer1")
        defer { other.logout() }
        try other.append(message("to be reset", body: "x\r\n"), to: "INBOX")
        try? other.createMailbox("Leftover")
        try servers.reset(user: "customer1")
        XCTAssertEqual(try other.status("INBOX").messages, 0)
        let listed = try servers.doveadm(["mailbox", "list", "-u", servers.address("customer1")])
        XCTAssertFalse(listed.contains("Leftover"), listed)

        let before = try other.status("INBOX").uidValidity
        try servers.changeUIDValidity(user: "customer1", to: before + 1000)
        XCTAssertEqual(try other.status("INBOX").uidValidity, before + 1000)
    }

    func testSMTPToAServerThatIsDownIsTemporary() throws {
        var endpoint = servers.smtpEndpoint()
        endpoint.port = 9
        XCTAssertThrowsError(try CurlSMTPClient(endpoint: endpoint).send(from: "a@example.test", to: ["b@example.test"], message: message("x", body: "x\r\n"))) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .connect, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
    }
}
