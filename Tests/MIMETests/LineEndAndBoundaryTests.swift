import XCTest
@testable import MIME

/// Mail from old or broken software: bare-CR line ends (old Mac mailers, as CPython's `email` reads
/// them), indented delimiter lines, DSN groups without blank lines between them.
final class LineEndAndBoundaryTests: XCTestCase {
    func testBareCRLineEndsAreLineEnds() {
        let raw = Array("From: Ann <ann@x.example>\rSubject: Hello\r there\rTo: b@x.example\r\rLine one\rLine two\r".utf8)
        let message = Message.parse(raw)
        XCTAssertEqual(message.from.first?.address, "ann@x.example")
        XCTAssertEqual(message.subject, "Hello there")
        XCTAssertEqual(message.to.first?.address, "b@x.example")
        XCTAssertEqual(message.text, Message.parse(raw.map { $0 == 0x0D ? 0x0A : $0 }).text)
        XCTAssertEqual(message.text?.hasPrefix("Line one\nLine two"), true)
        XCTAssertEqual(message.defects.map(\.kind), [.bareCRLineEnds])
        XCTAssertEqual(message.size, raw.count)
    }

    func testCRLFAndLFMailIsNotTakenForBareCR() {
        XCTAssertFalse(LineEnds.endsLinesWithBareCR(Array("A: b\r\nC: d\r\n\r\nx\r".utf8)))
        XCTAssertFalse(LineEnds.endsLinesWithBareCR(Array("A: b\nC: d\r\n\nx".utf8)))
        XCTAssertTrue(LineEnds.endsLinesWithBareCR(Array("A: b\rC: d\r\n".utf8)))
        XCTAssertEqual(LineEnds.bareCRToLF(Array("a\rb\r\nc\r".utf8)), Array("a\nb\r\nc\n".utf8))
    }

    func testIndentedDelimiterLinesStillSplitTheParts() {
        let raw = """
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

              --b1
            Content-Type: text/plain

            Prose.
              --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx

            Final-Recipient: rfc822; a@x.example
            Action: failed
            Status: 5.1.1
            Final-Recipient: rfc822; b@x.example
            Action: failed
            Status: 5.1.1
              --b1--
            """
        let message = Message.parse(Array(raw.utf8))
        XCTAssertEqual(message.root.children.map(\.contentType), ["text/plain", "message/delivery-status"])
        XCTAssertTrue(message.defects.contains { $0.kind == .indentedBoundary })
        XCTAssertEqual(message.deliveryStatus?.recipients.map(\.finalRecipient), ["a@x.example", "b@x.example"])
    }

    func testABoundaryParameterWithLeadingWhiteSpace() {
        let raw = "Content-Type: multipart/mixed; boundary=\" b2\"\n\n--b2\nContent-Type: text/plain\n\nOne\n--b2--\n"
        let message = Message.parse(Array(raw.utf8))
        XCTAssertEqual(message.root.children.count, 1)
        XCTAssertEqual(message.text, "One")
    }

    /// Body text loses the CR of each CRLF and keeps every other CR, wherever it falls.
    func testTextLosesTheCROfEachCRLFAndKeepsLoneCRs() {
        let cases: [(String, String)] = [
            ("a\r\nb\r\n", "a\nb\n"), ("\r\n", "\n"), ("a\rb", "a\rb"), ("a\r", "a\r"), ("\r", "\r"),
            ("a\r\r\nb", "a\r\nb"), ("\r\r", "\r\r"), ("no line end", "no line end"), ("x\n\r\ny\r", "x\n\ny\r"),
        ]
        for (input, expected) in cases {
            let bytes = Array("--".utf8) + Array(input.utf8)
            XCTAssertEqual(Array(MessageParser.withoutCR(bytes[2...], wide: false)), Array(expected.utf8), input.debugDescription)
        }
        let wide = Array("a\r\n".utf8)[...]
        XCTAssertEqual(MessageParser.withoutCR(wide, wide: true), wide)
    }
}
