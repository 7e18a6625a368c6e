import MIME
import XCTest

/// Multipart structure: boundaries, line ends, nesting, and what is left when it is broken.
final class MultipartTests: XCTestCase {
    let mixed = """
        From: a@example.com
        Content-Type: multipart/mixed; boundary="=_a"

        preamble
        --=_a
        Content-Type: multipart/alternative; boundary="=_aa"

        --=_aa
        Content-Type: text/plain

        plain
        --=_aa
        Content-Type: text/html

        <p>html</p>
        --=_aa--
        --=_a
        Content-Type: application/zip; name="a.zip"
        Content-Transfer-Encoding: base64

        UEsDBA==
        --=_a--
        epilogue

        """

    func testNestedBoundariesThatArePrefixesOfEachOther() {
        for crlf in [true, false] {
            let m = Sample.message(mixed, crlf: crlf)
            XCTAssertEqual(m.root.children.map(\.contentType), ["multipart/alternative", "application/zip"])
            XCTAssertEqual(m.root.children.first?.children.map(\.contentType), ["text/plain", "text/html"])
            XCTAssertEqual(m.root.children.first?.children.first?.body, Array("plain".utf8), "the line break before a boundary belongs to it")
            XCTAssertEqual(m.attachments.first?.data, [0x50, 0x4B, 0x03, 0x04])
            XCTAssertEqual(m.text, "plain")
            XCTAssertTrue(m.defects.isEmpty, "\(m.defects)")
        }
    }

    func testPathsNumberPartsLikeIMAP() {
        let m = Sample.message(mixed)
        XCTAssertEqual(m.root.children.first?.children.map(\.path), ["1.1", "1.2"])
        XCTAssertEqual(m.root.children.last?.path, "2")
    }

    func testAMissingClosingBoundaryKeepsTheLastPart() {
        let m = Sample.message("Content-Type: multipart/mixed; boundary=zz\n\n--zz\n\nfirst\n--zz\nContent-Type: text/plain\n\nsecond, never closed\n")
        XCTAssertEqual(m.root.children.count, 2)
        XCTAssertEqual(m.text, "first\n\nsecond, never closed")
        XCTAssertEqual(Sample.kinds(m), [.missingClosingBoundary])
    }

    func testABoundaryThatNeverAppearsStillYieldsTheText() {
        let m = Sample.message("Content-Type: multipart/mixed; boundary=\"not-there\"\n\nHello, the customer's words.\n")
        XCTAssertEqual(m.text, "Hello, the customer's words.")
        XCTAssertEqual(Sample.kinds(m), [.boundaryNotFound])
    }

    func testAMultipartWithoutABoundaryParameterIsReadAsText() {
        let m = Sample.message("Content-Type: multipart/alternative\n\nsome text\n")
        XCTAssertEqual(m.text, "some text")
        XCTAssertEqual(Sample.kinds(m), [.missingBoundaryParameter])
    }

    func testMessageRFC822IsParsedAsANestedMessage() {
        let m = Sample.message("""
            Subject: Fwd
            Content-Type: multipart/mixed; boundary=o

            --o
            Content-Type: text/plain

            see below
            --o
            Content-Type: message/rfc822

            From: orig@example.com
            Subject: =?utf-8?q?Original_=E2=9C=93?=
            Message-ID: <orig@example.com>

            original text
            --o--

            """)
        let inner = m.root.children.last?.message
        XCTAssertEqual(inner?.subject, "Original ✓")
        XCTAssertEqual(inner?.messageID, "orig@example.com")
        XCTAssertEqual(inner?.text, "original text")
        XCTAssertEqual(m.text, "see below", "a forwarded message is not the forwarder's text")
        XCTAssertEqual(m.attachments.map(\.contentType), ["message/rfc822"])
    }

    func testDigestPartsDefaultToMessageRFC822() {
        let m = Sample.message("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nfirst\n--d--\n")
        XCTAssertEqual(m.root.children.first?.contentType, "message/rfc822")
        XCTAssertEqual(m.root.children.first?.message?.subject, "one")
    }

    func testDefectsKnowTheirPartPath() {
        let m = Sample.message("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: quoted-printable\n\nx =ZZ\n--b--\n")
        XCTAssertEqual(m.defects, [Defect(.invalidQuotedPrintable, path: "1", "stray '=' kept as is")])
        XCTAssertEqual(m.root.children.first?.defects.count, 1)
    }

    func testHeaderBlockProblems() {
        let noSep = Sample.message("Subject: x\nThis line is body\nmore\n")
        XCTAssertEqual(noSep.text, "This line is body\nmore")
        XCTAssertEqual(Sample.kinds(noSep), [.missingHeaderBodySeparator])
        let unindented = Sample.message("Content-Type: text/plain;\ncharset=koi8-r\nSubject: s\n\nx\n")
        XCTAssertEqual(unindented.root.charset, "koi8-r")
        XCTAssertEqual(unindented.subject, "s")
        XCTAssertEqual(Sample.kinds(unindented), [.headerWithoutColon])
        let mbox = Sample.message("From someone@example.com Mon Jan 1 00:00:00 2024\nSubject: s\n\nx\n")
        XCTAssertEqual(mbox.subject, "s")
        XCTAssertTrue(mbox.defects.isEmpty)
    }
}

extension MultipartTests {
    func testAWrongDeclaredBoundaryFallsBackToTheDelimiterInTheContent() {
        let m = Sample.message("Content-Type: multipart/alternative; boundary=declared\n\n--actual\nContent-Type: text/plain\n\nreal text\n--actual--\n")
        XCTAssertEqual(m.root.children.map(\.contentType), ["text/plain"])
        XCTAssertEqual(m.text, "real text")
        XCTAssertEqual(Sample.kinds(m), [.boundaryNotFound])
    }

    /// Only a line that starts with "--boundary" delimits: the same text inside a line, a line of
    /// other dashes, a longer boundary and a delimiter line with text after it are content.
    func testDashesAndBoundaryTextInsideLinesAreContentNotDelimiters() {
        for eol in ["\n", "\r\n"] {
            let raw = [
                "From: a@example.com", "Content-Type: multipart/mixed; boundary=b", "",
                "-- not a delimiter", "--b", "Content-Type: text/plain", "",
                "x--b in a line", "- --b", "---b", "--bb", "--b and text", "-", "--",
                "--b", "Content-Type: text/plain", "", "second", "--b--", "",
            ].joined(separator: eol)
            let m = Message.parse(Array(raw.utf8))
            XCTAssertEqual(m.root.children.count, 2, "line ends \(eol.debugDescription)")
            XCTAssertEqual(m.root.children.first?.decodedText,
                           ["x--b in a line", "- --b", "---b", "--bb", "--b and text", "-", "--"].joined(separator: "\n"))
            XCTAssertEqual(m.root.children.last?.decodedText, "second")
            XCTAssertEqual(m.defects, [])
        }
    }

    /// A delimiter as the very first line of the body, with no preamble.
    func testADelimiterOnTheFirstLineOfTheBodyCounts() {
        let m = Message.parse(Array("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b--\n".utf8))
        XCTAssertEqual(m.root.children.map(\.decodedText), ["one"])
    }
}
