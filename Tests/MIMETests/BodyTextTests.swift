import MIME
import XCTest

/// Which text is "what the customer wrote", and which parts are attachments.
final class BodyTextTests: XCTestCase {
    func testAlternativePrefersPlainTextUnlessItIsEmpty() {
        let alt = "Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\n%PLAIN%\n--a\nContent-Type: text/html\n\n<p>from <b>html</b></p>\n--a--\n"
        XCTAssertEqual(Sample.message(alt.replacingOccurrences(of: "%PLAIN%", with: "from plain")).text, "from plain")
        XCTAssertEqual(Sample.message(alt.replacingOccurrences(of: "%PLAIN%", with: "  ")).text, "from html")
    }

    func testTextPartsWithAnAttachmentDispositionAreAttachmentsNotBody() {
        let m = Sample.message("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            The app crashed, log attached.
            --b
            Content-Type: text/plain
            Content-Disposition: attachment; filename="error.log"

            ERROR 1
            --b
            Content-Type: text/csv; name="export.csv"

            id,name
            --b--

            """)
        XCTAssertEqual(m.text, "The app crashed, log attached.")
        XCTAssertEqual(m.attachments.map(\.filename), ["error.log", "export.csv"])
        XCTAssertEqual(m.attachments.first?.data, Array("ERROR 1".utf8))
        XCTAssertEqual(m.attachments.first?.contentType, "text/plain")
        XCTAssertEqual(m.attachments.first?.isInline, false)
    }

    func testInlineTextPartsOfAMixedMessageAreJoined() {
        let m = Sample.message("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\nContent-Type: image/png\n\nPNG\n--b\nContent-Disposition: inline\n\nsecond\n--b--\n")
        XCTAssertEqual(m.text, "first\n\nsecond")
        XCTAssertEqual(m.attachments.count, 1)
    }

    func testRelatedImagesAreInlineAttachmentsWithContentID() {
        let m = Sample.message("""
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <p>logo: <img src="cid:logo@x" alt="Logo"></p>
            --r
            Content-Type: image/png
            Content-ID: <logo@x>
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --r--

            """)
        XCTAssertEqual(m.text, "logo: [Logo]")
        XCTAssertEqual(m.attachments.first?.contentID, "logo@x")
        XCTAssertEqual(m.attachments.first?.isInline, true)
        XCTAssertEqual(m.attachments.first?.size, 8)
    }

    func testAMessageWithoutTextHasNilText() {
        XCTAssertNil(Sample.message("Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n").text)
        XCTAssertNil(Sample.message("Subject: empty\n\n").text)
    }

    func testEnrichedTextLosesItsCommands() {
        XCTAssertEqual(Sample.message("Content-Type: text/enriched\n\n<bold>Now</bold> is <<the> time\n").text, "Now is <the> time")
    }
}

extension BodyTextTests {
    func testFormatFlowedLinesAreJoined() {
        let m = Sample.message("Content-Type: text/plain; format=flowed\n\nThis is a long \nparagraph.\n>> quoted \n>> more\n\n-- \nSig\n")
        XCTAssertEqual(m.text, "This is a long paragraph.\n>> quoted more\n\n-- \nSig")
        XCTAssertEqual(m.replyText, "This is a long paragraph.")
        let delsp = Sample.message("Content-Type: text/plain; format=flowed; delsp=yes\n\nthere is \na word\n")
        XCTAssertEqual(delsp.text, "there is a word", "DelSp=yes senders break at spaces too; words are not glued")
    }
}

extension BodyTextTests {
    func testTheHTMLSourceIsAvailableBesideTheText() {
        let m = Sample.message("Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nplain\n--a\nContent-Type: text/html\n\n<p>rich</p>\n--a--\n")
        XCTAssertEqual(m.html, "<p>rich</p>")
        XCTAssertEqual(m.text, "plain")
        XCTAssertNil(Sample.message("Subject: s\n\nplain only\n").html)
    }
}
