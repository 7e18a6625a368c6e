@testable import MIME
import XCTest

/// RFC 2047 encoded words and raw 8-bit header text.
final class EncodedWordTests: XCTestCase {
    func testBAndQWordsDecode() {
        XCTAssertEqual(Sample.subject(Array("=?utf-8?B?R3LDvMOfZQ==?=".utf8)).subject, "Grüße")
        XCTAssertEqual(Sample.subject(Array("=?iso-8859-1?Q?Andr=E9_Pirard?=".utf8)).subject, "André Pirard")
    }

    func testAdjacentWordsJoinWithoutTheSpaceBetweenThem() {
        let m = Sample.subject(Array("=?utf-8?q?a?= =?utf-8?q?b?=\r\n =?utf-8?q?c?= d".utf8))
        XCTAssertEqual(m.subject, "abc d")
    }

    func testAMultiByteCharacterSplitAcrossTwoWordsSurvives() {
        // "€" is E2 82 AC; the first word carries E2 82, the second AC.
        let m = Sample.subject(Array("=?UTF-8?B?4oI=?= =?UTF-8?B?rCA1?=".utf8))
        XCTAssertEqual(m.subject, "€ 5")
        XCTAssertFalse(Sample.kinds(m).contains(.lossyCharsetDecoding))
    }

    func testAnUnknownCharsetKeepsTheWordAsWrittenWithADefect() {
        let m = Sample.subject(Array("Hi =?x-klingon?q?Qapla?=".utf8))
        XCTAssertEqual(m.subject, "Hi =?x-klingon?q?Qapla?=")
        XCTAssertEqual(m.defects.first?.kind, .unknownCharset)
        XCTAssertEqual(m.defects.first?.path, "")
    }

    func testWordsInDifferentCharsetsDecodeSeparately() {
        let m = Sample.subject(Array("=?iso-8859-1?q?=E9?= =?koi8-r?b?1MXT1A==?=".utf8))
        XCTAssertEqual(m.subject, "éтест")
    }

    func testMalformedWordsStayLiteral() {
        XCTAssertEqual(Sample.subject(Array("=?utf-8?x?abc?= and =?broken".utf8)).subject, "=?utf-8?x?abc?= and =?broken")
    }

    func testRawUTF8HeadersAreReadAsUTF8WithoutADefect() {
        let m = Sample.subject(Array("Grüße aus Köln".utf8))
        XCTAssertEqual(m.subject, "Grüße aus Köln")
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testRawLegacyHeadersAreGuessedAndFlagged() {
        let m = Sample.subject([0x47, 0x72, 0xFC, 0xDF, 0x65])   // "Grüße" in latin-1
        XCTAssertEqual(m.subject, "Grüße")
        XCTAssertEqual(Sample.kinds(m), [.guessedCharset])
    }

    func testRawISO2022JPInAHeaderIsDecoded() {
        let raw: [UInt8] = [0x1B, 0x24, 0x42, 0x25, 0x46, 0x25, 0x39, 0x25, 0x48, 0x1B, 0x28, 0x42]
        XCTAssertEqual(Sample.subject(raw).subject, "テスト")
    }

    func testEncodedWordInISO2022JPIsDecoded() {
        XCTAssertEqual(Sample.subject(Array("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=".utf8)).subject, "テスト")
    }

    func testFoldedHeadersUnfold() {
        let m = Sample.message("Subject: one\n two\n\tthree\n\nbody\n")
        XCTAssertEqual(m.subject, "one two\tthree")
        XCTAssertEqual(m.headers.first?.rawValue, Array(" one\r\n two\r\n\tthree".utf8))
    }
}

extension EncodedWordTests {
    func testRawLegacyHeadersUseTheBodyCharsetWhenDeclared() {
        let subject: [UInt8] = [0xF4, 0xC5, 0xD3, 0xD4]   // "Тест" in koi8-r
        let m = Message.parse(Array("From: a@example.com\r\nSubject: ".utf8) + subject
            + Array("\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\nbody\r\n".utf8))
        XCTAssertEqual(m.subject, "Тест")
        XCTAssertEqual(Sample.kinds(m), [.rawNonASCIIHeader])
    }

    /// Unfolding drops every CR and LF and trims white space at both ends, wherever the breaks
    /// fall: at the start, at the end, doubled, or a CR or LF alone.
    func testUnfoldingDropsEveryLineBreakAndTrimsTheEnds() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("ab".utf8), [0x0D, 0x0A], [0x0A], [0x0D], [0x20], [0x09], Array("=?x?".utf8), [0xC3, 0xA9]]
        for _ in 0..<2000 {
            var raw: [UInt8] = [0x5A]
            for _ in 0..<Int.random(in: 0...12, using: &rng) { raw += pieces.randomElement(using: &rng)! }
            let slice = raw[1...]   // a slice that does not start at 0, as header values are
            let trimmed = Array(Array(slice.drop(while: EncodedWord.isSpace).reversed()).drop(while: EncodedWord.isSpace).reversed())
            XCTAssertEqual(Array(EncodedWord.unfold(slice)), trimmed.filter { $0 != 0x0A && $0 != 0x0D })
        }
        XCTAssertEqual(Array(EncodedWord.unfold(Array(" a\r\n b\nc\rd ".utf8)[...])), Array("a bcd".utf8))
        XCTAssertEqual(Array(EncodedWord.unfold([][...])), [])
    }
}
