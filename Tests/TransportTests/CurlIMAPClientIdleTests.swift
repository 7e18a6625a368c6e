import Foundation
import Glibc
import XCTest
@testable import Transport

/// IDLE (RFC 2177) against a scripted server: news ends it with DONE, so does the renewal time
/// and an interrupt; a server that hangs up or falls silent is an error, never a hang.
final class CurlIMAPClientIdleTests: XCTestCase {
    /// The tag of the IDLE in progress, so the script can complete it when DONE comes.
    final class IdleTag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = ""
        var tag: String {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    /// A server with IDLE; `onIdle` is what it says after `+ idling`, `onDone` its answer to DONE.
    func server(onIdle: String, onDone: ScriptedIMAPServer.Answer? = nil) throws -> ScriptedIMAPServer {
        let idle = IdleTag()
        return try ScriptedIMAPServer { tag, command in
            switch command.uppercased() {
            case "CAPABILITY": return .send("* CAPABILITY IMAP4rev1 IDLE\r\n\(tag) OK done\r\n")
            case let c where c.hasPrefix("LOGIN"): return .send("\(tag) OK logged in\r\n")
            case let c where c.hasPrefix("EXAMINE"):
                return .send("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 4] ok\r\n\(tag) OK [READ-ONLY] done\r\n")
            case "IDLE":
                idle.tag = tag
                return .send("+ idling\r\n" + onIdle)
            case "":
                // DONE arrives as a line of its own: the parser reads "DONE" as the tag.
                return onDone ?? .send("\(idle.tag) OK IDLE terminated\r\n")
            default: return .send("\(tag) OK\r\n")
            }
        }
    }

    func client(_ server: ScriptedIMAPServer, timeout: Int = 2) throws -> CurlIMAPClient {
        let c = CurlIMAPClient(endpoint: IMAPEndpoint(host: "127.0.0.1", port: server.port, requireTLS: false, user: "u",
                                                      credential: .password("p"), timeoutSeconds: timeout))
        try c.connect()
        _ = try c.examine("INBOX")
        return c
    }

    func testNewMailEndsIdleWithDoneAndTheConnectionStaysUsable() throws {
        let s = try server(onIdle: "* OK Still here\r\n* 4 EXISTS\r\n* 1 RECENT\r\n")
        let c = try client(s)
        XCTAssertTrue(c.supportsIdle)
        XCTAssertEqual(try c.idle(renewAfter: 30), .changed)
        XCTAssertEqual(s.received.suffix(2), ["IDLE", ""], "IDLE, then DONE")
        try c.noop()
        XCTAssertTrue(c.isConnected)
    }

    func testAnExpungeIsNewsToo() throws {
        let c = try client(try server(onIdle: "* 2 EXPUNGE\r\n"))
        XCTAssertEqual(try c.idle(renewAfter: 30), .changed)
    }

    func testWithoutNewsIdleIsRenewedAfterItsTime() throws {
        let c = try client(try server(onIdle: "* OK Still here\r\n"))
        // `.renew` (not `.changed`, not a timeout error) is the proof: the server said nothing but
        // "still here", so only the renewal time can have ended the wait. No timed assertion.
        XCTAssertEqual(try c.idle(renewAfter: 0.3), .renew)
    }

    func testAnInterruptLeavesIdleAtOnce() throws {
        let c = try client(try server(onIdle: ""))
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let writeEnd = fds[1]
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
        XCTAssertEqual(try c.idle(renewAfter: 60, interrupt: fds[0]), .interrupted)
    }

    func testAServerThatSaysByeDuringIdleIsAnErrorAndDropsTheConnection() throws {
        let c = try client(try server(onIdle: "* BYE server shutting down\r\n"))
        XCTAssertThrowsError(try c.idle(renewAfter: 30)) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .connect, "\(error)")
        }
        XCTAssertFalse(c.isConnected)
    }

    func testASilentServerTimesOutInsteadOfHanging() throws {
        let c = try client(try server(onIdle: "", onDone: .silence), timeout: 1)
        XCTAssertThrowsError(try c.idle(renewAfter: 0.2)) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .timeout, "\(error)")
        }
        XCTAssertFalse(c.isConnected)
    }

    func testARefusedIdleIsARejection() throws {
        let s = try ScriptedIMAPServer { tag, command in
            switch command.uppercased() {
            case "CAPABILITY": return .send("* CAPABILITY IMAP4rev1\r\n\(tag) OK done\r\n")
            case let c where c.hasPrefix("LOGIN"): return .send("\(tag) OK logged in\r\n")
            case "IDLE": return .send("\(tag) BAD unknown command\r\n")
            default: return .send("\(tag) OK\r\n")
            }
        }
        let c = CurlIMAPClient(endpoint: IMAPEndpoint(host: "127.0.0.1", port: s.port, requireTLS: false, user: "u",
                                                      credential: .password("p"), timeoutSeconds: 2))
        try c.connect()
        XCTAssertFalse(c.supportsIdle)
        XCTAssertThrowsError(try c.idle(renewAfter: 1)) { error in
            XCTAssertEqual((error as? TransportError)?.kind, .rejected, "\(error)")
        }
    }
}
