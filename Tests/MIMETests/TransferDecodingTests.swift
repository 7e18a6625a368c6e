import MIME
import XCTest

/// base64 and quoted-printable bodies, tolerant of what real mail does to them.
final class TransferDecodingTests: XCTestCase {
    func body(_ encoded: String, cte: String) -> Message {
        Sample.message("Content-Type: application/octet-stream\nContent-Transfer-Encoding: \(cte)\n\n\(encoded)")
    }

    func testBase64WithLineBreaksDecodesCleanly() {
        let m = body("aGVsbG8g\nd29ybGQ=\n", cte: "base64")
        XCTAssertEqual(m.root.body, Array("hello world".utf8))
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testBase64MissingPaddingAndNoiseStillDecodesWithADefect() {
        let m = body("aGVsbG8g!!d29ybGQ\n", cte: "BASE64")
        XCTAssertEqual(m.root.body, Array("hello world".utf8))
        XCTAssertEqual(Sample.kinds(m), [.invalidBase64])
    }

    func testConcatenatedBase64AfterPaddingKeepsGoing() {
        XCTAssertEqual(body("YQ==Yg==\n", cte: "base64").root.body, Array("ab".utf8))
    }

    func testQuotedPrintableSoftBreaksHexAndTrailingSpace() {
        let m = body("caf=C3=A9 =\nsoft=  \nbreak\n", cte: "quoted-printable")
        XCTAssertEqual(m.root.body, Array("café softbreak\r\n".utf8))
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testQuotedPrintableStrayEqualsIsKeptWithADefect() {
        let m = body("1+1=2 =ZZ\n", cte: "quoted-printable")
        XCTAssertEqual(m.root.body, Array("1+1=2 =ZZ\r\n".utf8))
        XCTAssertEqual(Sample.kinds(m), [.invalidQuotedPrintable])
    }

    func testUnknownTransferEncodingLeavesTheBytesWithADefect() {
        let m = body("begin 644 x\n", cte: "x-binhex")
        XCTAssertEqual(m.root.body, Array("begin 644 x\r\n".utf8))
        XCTAssertEqual(Sample.kinds(m), [.unknownTransferEncoding])
    }
}

extension TransferDecodingTests {
    func testUuencodeDecodesAndNamesTheFile() {
        // "Cat" uuencoded: length 3 ("#"), then "0V%T".
        let m = Sample.message("Content-Type: application/octet-stream\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 cat.txt\n#0V%T\n`\nend\n")
        XCTAssertEqual(m.root.body, Array("Cat".utf8))
        XCTAssertEqual(m.attachments.first?.filename, "cat.txt")
        XCTAssertTrue(m.defects.isEmpty)
    }
}
