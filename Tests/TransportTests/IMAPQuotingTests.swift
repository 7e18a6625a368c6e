import XCTest
@testable import Transport

final class IMAPQuotingTests: XCTestCase {
    private func quoted(_ name: String) throws -> String { try IMAPQuoting.mailbox(name, host: "test") }

    func testPlainNamesAreQuotedAndQuotesAndBackslashesEscaped() throws {
        XCTAssertEqual(try quoted("INBOX"), "\"INBOX\"")
        XCTAssertEqual(try quoted("Support/Done"), "\"Support/Done\"")
        XCTAssertEqual(try quoted("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"")
    }

    func testNonASCIIUsesModifiedUTF7AndAmpersandIsEscaped() throws {
        // RFC 3501 §5.1.3's own example, and the two-byte and CJK cases.
        XCTAssertEqual(try quoted("~peter/mail/台北/日本語"), "\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"")
        XCTAssertEqual(try quoted("Entwürfe"), "\"Entw&APw-rfe\"")
        XCTAssertEqual(try quoted("R&D"), "\"R&-D\"")
    }

    func testNamesThatCouldEndTheCommandAreRefused() {
        for name in ["", "INBOX\r\nA1 DELETE INBOX", "a\nb", "nul\0name", String(repeating: "x", count: 1001)] {
            XCTAssertThrowsError(try quoted(name), name.debugDescription) { error in
                XCTAssertEqual((error as? TransportError)?.kind, .config)
                XCTAssertEqual((error as? TransportError)?.disposition, .permanent)
            }
        }
    }

    func testFlagsMustBeAtoms() throws {
        XCTAssertEqual(try IMAPQuoting.flag("\\Seen", host: "t"), "\\Seen")
        XCTAssertEqual(try IMAPQuoting.flag("$Postdesk", host: "t"), "$Postdesk")
        for bad in ["", "\\", "a b", "x)", "\\Seen) (UID", "a\r\n", "\\\\x"] {
            XCTAssertThrowsError(try IMAPQuoting.flag(bad, host: "t"), bad.debugDescription)
        }
    }

    func testCommandVerbsLeaveArgumentsOutOfErrors() {
        XCTAssertEqual(CurlIMAPClient.verb("UID FETCH 1:5 (BODY.PEEK[])"), "UID FETCH")
        XCTAssertEqual(CurlIMAPClient.verb("SELECT \"Private Folder\""), "SELECT")
        XCTAssertEqual(CurlIMAPClient.verb("uid move 3 \"x\""), "UID move")
    }

    func testSMTPAddressesCannotSmuggleCommandsOrParameters() throws {
        XCTAssertEqual(try CurlSMTPClient.path("a.b+c@example.test", host: "t"), "<a.b+c@example.test>")
        for bad in ["", "a@b>\r\nRCPT TO:<c@d", "a@b> SIZE=1", "a b@c", "<a@b>", "a@b\0"] {
            XCTAssertThrowsError(try CurlSMTPClient.path(bad, host: "t"), bad.debugDescription)
        }
    }
}
