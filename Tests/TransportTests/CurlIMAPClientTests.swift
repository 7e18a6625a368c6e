import Foundation
import Glibc
import XCTest
@testable import Transport

/// The client against a scripted loopback server, for what a real Dovecot will not do on
/// request: stay silent, send garbage, hang up mid-literal, say BYE.
final class CurlIMAPClientTests: XCTestCase {
    private func endpoint(_ server: ScriptedIMAPServer, timeout: Int = 2) -> IMAPEndpoint {
        IMAPEndpoint(host: "127.0.0.1", port: server.port, requireTLS: false, user: "u", credential: .password("p"),
                     timeoutSeconds: timeout)
    }

    /// Answers libcurl's login and our CAPABILITY, then hands every later command to `reply`.
    private func server(_ reply: @escaping @Sendable (_ tag: String, _ command: String) -> ScriptedIMAPServer.Answer) throws -> ScriptedIMAPServer {
        try ScriptedIMAPServer { tag, command in
            switch command.uppercased() {
            case "CAPABILITY": return .send("* CAPABILITY IMAP4rev1 UIDPLUS\r\n\(tag) OK done\r\n")
            case let c where c.hasPrefix("LOGIN"): return .send("\(tag) OK logged in\r\n")
            default: return reply(tag, command)
            }
        }
    }

    func testLoginAndCapabilitiesGoThroughLibcurlThenOurOwnProtocol() throws {
        let s = try server { tag, _ in .send("\(tag) OK\r\n") }
        let client = CurlIMAPClient(endpoint: endpoint(s))
        try client.connect()
        XCTAssertEqual(client.capabilities, ["IMAP4REV1", "UIDPLUS"])
        try client.noop()
        XCTAssertTrue(s.received.contains { $0.hasSuffix("NOOP") })
    }

    func testABearerTokenLogsInWithSASLXOAUTH2() throws {
        let s = try ScriptedIMAPServer { tag, command in
            if command.uppercased() == "CAPABILITY" {
                return .send("* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN\r\n\(tag) OK\r\n")
            }
            if command.hasPrefix("AUTHENTICATE XOAUTH2 ") {
                let blob = Data(base64Encoded: String(command.dropFirst("AUTHENTICATE XOAUTH2 ".count))) ?? Data()
                let expected = "user=agent@example.test\u{1}auth=Bearer tok-123\u{1}\u{1}"
                return .send(String(decoding: blob, as: UTF8.self) == expected ? "\(tag) OK welcome\r\n" : "\(tag) NO bad token\r\n")
            }
            return .send("\(tag) BAD unexpected\r\n")
        }
        let client = CurlIMAPClient(endpoint: IMAPEndpoint(host: "127.0.0.1", port: s.port, requireTLS: false, user: "agent@example.test",
                                                            credential: .bearer("tok-123"), timeoutSeconds: 2))
        try client.connect()
        XCTAssertTrue(s.received.contains { $0.hasPrefix("AUTHENTICATE XOAUTH2 ") })
        XCTAssertFalse(s.received.contains { $0.hasPrefix("LOGIN") || $0.hasPrefix("AUTHENTICATE PLAIN") })
    }

    func testAServerWithoutSTARTTLSIsRefusedWhenTLSIsRequiredAndNoPasswordIsSent() throws {
        let s = try server { tag, _ in .send("\(tag) OK\r\n") }
        var required = endpoint(s)
        required.requireTLS = true
        XCTAssertThrowsError(try CurlIMAPClient(endpoint: required).connect()) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .tls, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .permanent)
        }
        XCTAssertFalse(s.received.contains { $0.hasPrefix("LOGIN") || $0.hasPrefix("AUTHENTICATE") })
    }

    func testASessionOutlivesTheTimeoutWhichOnlyBoundsEachWait() throws {
        let s = try server { tag, _ in .send("\(tag) OK\r\n") }
        let client = CurlIMAPClient(endpoint: endpoint(s, timeout: 1))
        try client.connect()
        usleep(2_300_000)
        try client.noop()
        XCTAssertTrue(client.isConnected)
    }

    func testAServerThatNeverGreetsIsATemporaryTimeout() throws {
        let s = try ScriptedIMAPServer(greeting: nil) { _, _ in .silence }
        XCTAssertThrowsError(try CurlIMAPClient(endpoint: endpoint(s, timeout: 1)).connect()) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .timeout, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
    }

    func testSilenceAfterACommandIsATimeoutAndDropsTheConnection() throws {
        let s = try server { _, _ in .silence }
        let client = CurlIMAPClient(endpoint: endpoint(s, timeout: 1))
        try client.connect()
        XCTAssertThrowsError(try client.noop()) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .timeout, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
        XCTAssertFalse(client.isConnected)
        XCTAssertThrowsError(try client.noop()) { XCTAssertEqual(($0 as? TransportError)?.message, "not connected") }
    }

    func testGarbageFromTheServerIsATemporaryProtocolError() throws {
        let s = try server { _, _ in .send("* 1 FETCH (UID \r\n") }
        let client = CurlIMAPClient(endpoint: endpoint(s))
        try client.connect()
        XCTAssertThrowsError(try client.fetchMessages(UIDSet([1])) { _ in }) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .protocolError, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
        XCTAssertFalse(client.isConnected)
    }

    func testHangingUpInsideALiteralLosesNothingDeliveredAndIsTemporary() throws {
        let s = try server { tag, command in
            guard command.hasPrefix("UID FETCH") else { return .send("\(tag) OK\r\n") }
            return .sendAndClose("* 1 FETCH (UID 1 BODY[] {3}\r\nabc)\r\n* 2 FETCH (UID 2 BODY[] {100}\r\nonly part")
        }
        let client = CurlIMAPClient(endpoint: endpoint(s))
        try client.connect()
        var delivered: [UInt32] = []
        XCTAssertThrowsError(try client.fetchMessages(UIDSet([1, 2])) { delivered.append($0.uid) }) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .connect, "\(error)")
            XCTAssertEqual((error as? TransportError)?.disposition, .temporary)
        }
        XCTAssertEqual(delivered, [1], "the complete message was handed over, the cut one was not")
    }

    func testByeDuringACommandIsATemporaryConnectionError() throws {
        let s = try server { _, _ in .sendAndClose("* BYE shutting down\r\n") }
        let client = CurlIMAPClient(endpoint: endpoint(s))
        try client.connect()
        XCTAssertThrowsError(try client.status("INBOX")) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .connect, "\(error)")
            XCTAssertTrue((error as? TransportError)?.message.contains("BYE") ?? false)
        }
    }

    func testANoWithAnUnavailableCodeIsTemporaryOtherwisePermanent() throws {
        let s = try server { tag, command in
            command.hasPrefix("SELECT") ? .send("\(tag) NO [UNAVAILABLE] try later\r\n") : .send("\(tag) NO [NONEXISTENT] no such mailbox\r\n")
        }
        let client = CurlIMAPClient(endpoint: endpoint(s))
        try client.connect()
        XCTAssertThrowsError(try client.select("INBOX")) { XCTAssertEqual(($0 as? TransportError)?.disposition, .temporary) }
        XCTAssertThrowsError(try client.status("Nope")) { XCTAssertEqual(($0 as? TransportError)?.disposition, .permanent) }
        XCTAssertTrue(client.isConnected)
    }

    func testSelectReadsValidityNextAndCountAndRefusesAMailboxWithoutValidity() throws {
        let s = try server { tag, command in
            command.hasPrefix("SELECT \"Good\"")
                ? .send("* 7 EXISTS\r\n* OK [UIDVALIDITY 99] x\r\n* OK [UIDNEXT 12] x\r\n\(tag) OK [READ-WRITE] done\r\n")
                : .send("* 7 EXISTS\r\n\(tag) OK done\r\n")
        }
        let client = CurlIMAPClient(endpoint: endpoint(s))
        try client.connect()
        XCTAssertEqual(try client.select("Good"), IMAPMailbox(name: "Good", uidValidity: 99, uidNext: 12, exists: 7, readOnly: false))
        XCTAssertThrowsError(try client.select("Bad")) { XCTAssertEqual(($0 as? TransportError)?.kind, .protocolError) }
        XCTAssertNil(client.selected)
    }
}

/// A one-connection IMAP server on loopback that answers from a script.
final class ScriptedIMAPServer: @unchecked Sendable {
    enum Answer {
        case send(String)
        case sendAndClose(String)
        case silence
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var commands: [String] = []
    var received: [String] { lock.withLock { commands } }

    init(greeting: String? = "* OK scripted ready\r\n", reply: @escaping @Sendable (String, String) -> Answer) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 4) == 0
            }
        }
        guard bound else { throw TransportError(kind: .io, host: "test", message: "cannot listen", disposition: .permanent) }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in
            let conn = accept(fd, nil, nil)
            guard conn >= 0 else { return }
            defer { close(conn) }
            func write(_ text: String) { _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(conn, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) } }
            if let greeting { write(greeting) } else { sleep(5); return }
            var pending = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(conn, &chunk, chunk.count, 0)
                guard n > 0 else { return }
                pending += chunk[0 ..< n]
                while let lf = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[..<lf], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    pending.removeSubrange(...lf)
                    let tag = String(line.prefix { $0 != " " })
                    let command = String(line.dropFirst(tag.count + 1))
                    lock.withLock { commands.append(command) }
                    switch reply(tag, command) {
                    case .send(let text): write(text)
                    case .sendAndClose(let text): write(text); return
                    case .silence: sleep(3); return
                    }
                }
            }
        }
    }

    deinit { close(listener) }
}
