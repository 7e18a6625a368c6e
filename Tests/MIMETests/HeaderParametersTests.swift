import MIME
import XCTest

/// Content-Type / Content-Disposition parameters, RFC 2231 included.
final class HeaderParametersTests: XCTestCase {
    func part(_ headers: String) -> Entity {
        let m = Sample.message("From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\(headers)\n\ndata\n--b--\n")
        return m.root.children.first ?? Entity()
    }

    func testRFC2231ContinuationsWithCharsetJoinAndDecode() {
        let e = part("Content-Type: application/pdf\nContent-Disposition: attachment;\n filename*0*=utf-8''R%C3%A9sum;\n filename*1*=%C3%A9;\n filename*2=\".pdf\"")
        XCTAssertEqual(e.filename, "Résumé.pdf")
    }

    func testRFC2231SinglePieceWithLanguage() {
        XCTAssertEqual(part("Content-Type: text/plain; name*=iso-8859-1'de'%E4rger.txt").filename, "ärger.txt")
    }

    func testTheRFC2231FormWinsOverThePlainOne() {
        XCTAssertEqual(part("Content-Disposition: attachment; filename=\"plain.txt\"; filename*=utf-8''%E2%9C%93.txt").filename, "✓.txt")
    }

    func testEncodedWordAndRawUTF8FileNamesDecode() {
        XCTAssertEqual(part("Content-Disposition: attachment; filename=\"=?utf-8?B?0YTQvtGC0L4ucG5n?=\"").filename, "фото.png")
        XCTAssertEqual(part("Content-Disposition: attachment; filename=\"données.csv\"").filename, "données.csv")
    }

    func testQuotedValuesKeepSemicolonsAndEscapes() {
        let e = part("Content-Type: text/plain; charset=\"utf-8\"; name=\"a;b \\\"c\\\".txt\"")
        XCTAssertEqual(e.filename, "a;b \"c\".txt")
        XCTAssertEqual(e.charset, "utf-8")
    }

    func testTypeAndParameterNamesAreCaseInsensitive() {
        let e = part("Content-Type: TEXT/Plain; CharSet=UTF-8")
        XCTAssertEqual(e.contentType, "text/plain")
        XCTAssertEqual(e.charset, "utf-8")
    }

    func testAMissingSemicolonIsRepairedWithADefect() {
        let m = Sample.message("Content-Type: text/plain charset=koi8-r\n\nx\n")
        XCTAssertEqual(m.root.contentType, "text/plain")
        XCTAssertEqual(m.root.charset, "koi8-r")
        XCTAssertEqual(Sample.kinds(m), [.invalidParameter])
    }

    func testAnUnusableContentTypeFallsBackToTextPlain() {
        let m = Sample.message("Content-Type: garbage\n\nhello\n")
        XCTAssertEqual(m.root.contentType, "text/plain")
        XCTAssertEqual(m.text, "hello")
        XCTAssertEqual(Sample.kinds(m), [.missingContentType])
    }
}
