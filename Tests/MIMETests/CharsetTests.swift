@testable import MIME
import XCTest

/// Body text in the charsets real mail uses, through iconv, with the aliases it needs.
final class CharsetTests: XCTestCase {
    func text(_ bytes: [UInt8], charset: String?) -> Message {
        let ct = charset.map { "Content-Type: text/plain; charset=\($0)\r\n" } ?? ""
        return Message.parse(Array("From: a@example.com\r\n\(ct)\r\n".utf8) + bytes)
    }

    func testGB2312LabelledTextWithAGBKOnlyCharacterDecodesAsGB18030() {
        // 你好 followed by 0x9F 0x42: a GBK-only character (lead byte 0x9F is outside GB2312).
        let m = text([0xC4, 0xE3, 0xBA, 0xC3, 0x9F, 0x42], charset: "gb2312")
        XCTAssertEqual(m.text?.hasPrefix("你好"), true)
        XCTAssertFalse(m.text?.contains("\u{FFFD}") ?? true)
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testLatin1LabelReadsWindows1252Punctuation() {
        XCTAssertEqual(text([0x31, 0x30, 0x80, 0x20, 0x93, 0x71, 0x94], charset: "iso-8859-1").text, "10€ “q”")
    }

    func testKoreanLabelKsC5601ReadsAsCP949() {
        XCTAssertEqual(text([0xBE, 0xC8, 0xB3, 0xE7], charset: "ks_c_5601-1987").text, "안녕")
    }

    func testUTF7AndMacRomanAliases() {
        XCTAssertEqual(text(Array("Hi +Jjo-".utf8), charset: "unicode-1-1-utf-7").text, "Hi ☺")
        XCTAssertEqual(text([0x43, 0x61, 0x66, 0x8E], charset: "x-mac-roman").text, "Café")
        XCTAssertEqual(text(Array("naïve".utf8), charset: "utf8").text, "naïve")
    }

    func testUSASCIIWith8BitBytesIsReadAsUTF8WhenValidAndFlagged() {
        let m = text(Array("Grüße".utf8), charset: "us-ascii")
        XCTAssertEqual(m.text, "Grüße")
        XCTAssertEqual(Sample.kinds(m), [.eightBitIn7BitPart])
    }

    func testInvalidBytesBecomeReplacementCharactersAndALossyDefect() {
        let m = text([0x41, 0xC3, 0x28, 0x42], charset: "utf-8")
        XCTAssertEqual(m.text, "A\u{FFFD}(B")
        XCTAssertEqual(Sample.kinds(m), [.lossyCharsetDecoding])
        let e = text([0xA4, 0xB3, 0xFF, 0xFF, 0x41], charset: "euc-jp")
        XCTAssertEqual(e.text?.hasPrefix("こ"), true)
        XCTAssertEqual(e.text?.hasSuffix("A"), true, "text after invalid bytes is kept")
        XCTAssertEqual(Sample.kinds(e), [.lossyCharsetDecoding])
    }

    func testAnUnknownCharsetFallsBackToAGuessWithADefect() {
        let m = text([0x43, 0x61, 0x66, 0xE9], charset: "x-klingon")
        XCTAssertEqual(m.text, "Café")
        XCTAssertEqual(Sample.kinds(m), [.unknownCharset])
    }

    func testUnlabelledCyrillicIsGuessedBetweenKOI8RAndWindows1251() {
        let koi = text([0xD4, 0xC5, 0xD3, 0xD4, 0x20, 0xD0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], charset: nil)
        XCTAssertEqual(koi.text, "тест привет")
        XCTAssertEqual(koi.root.guessedCharset, "koi8-r")
        let win = text([0xF2, 0xE5, 0xF1, 0xF2, 0x20, 0xEF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2], charset: nil)
        XCTAssertEqual(win.text, "тест привет")
        XCTAssertEqual(win.root.guessedCharset, "windows-1251")
        XCTAssertEqual(Sample.kinds(win), [.guessedCharset])
    }

    func testMislabelledUTF8IsReadAsUTF8() {
        let m = text(Array("中文".utf8), charset: "big5")
        XCTAssertEqual(m.text, "中文")
        XCTAssertEqual(m.root.guessedCharset, "utf-8")
        XCTAssertEqual(Sample.kinds(m), [.guessedCharset])
    }
}

extension CharsetTests {
    func testUnlabelledISO2022JPIsRecognisedByItsEscapes() {
        let m = text([0x1B, 0x24, 0x42, 0x25, 0x46, 0x25, 0x39, 0x25, 0x48, 0x1B, 0x28, 0x42], charset: nil)
        XCTAssertEqual(m.text, "テスト")
        XCTAssertEqual(m.root.guessedCharset, "iso-2022-jp")
    }

    /// Converters are reused across messages (opening one loads a module): a stateful one must
    /// come back in its initial state, and a text cut mid-sequence must not leak into the next.
    func testAReusedConverterStartsEachTextAfresh() {
        let japanese: [UInt8] = [0x1B, 0x24, 0x42, 0x25, 0x46, 0x25, 0x39, 0x25, 0x48, 0x1B, 0x28, 0x42]   // "テスト" in ISO-2022-JP
        let cut = Array(japanese.prefix(6))   // ends inside the two-byte mode
        for _ in 0..<3 {
            XCTAssertEqual(Charset.iconvDecode(japanese, from: "ISO-2022-JP-2")?.text, "テスト")
            XCTAssertEqual(Charset.iconvDecode(cut, from: "ISO-2022-JP-2")?.lossy, true)
            XCTAssertEqual(Charset.iconvDecode(Array("plain".utf8), from: "ISO-2022-JP-2")?.text, "plain")
        }
        XCTAssertNil(Charset.iconvDecode([0x41], from: "NO-SUCH-CHARSET"))
        XCTAssertFalse(Charset.isKnown("no-such-charset"))
        XCTAssertTrue(Charset.isKnown("koi8-r"))
    }

    /// The writer's converters (UTF-8 to an outgoing text's charset) are reused the same way: a
    /// text that fails inside ISO-2022-JP's two-byte mode must not leave the next one shifted.
    func testAReusedEncoderStartsEachTextAfresh() {
        let japanese: [UInt8] = [0x1B, 0x24, 0x42, 0x25, 0x46, 0x25, 0x39, 0x25, 0x48, 0x1B, 0x28, 0x42]   // "テスト" in ISO-2022-JP
        for _ in 0..<3 {
            XCTAssertEqual(Charset.encode("テスト", to: "iso-2022-jp"), japanese)
            XCTAssertNil(Charset.encode("テスト😀", to: "iso-2022-jp"), "an emoji has no place in ISO-2022-JP")
            XCTAssertEqual(Charset.encode("plain", to: "iso-2022-jp"), Array("plain".utf8), "no escape left over from the failed text")
            XCTAssertEqual(Charset.encode("テスト", to: "ISO-2022-JP"), japanese)
            XCTAssertEqual(Charset.encode("Жук", to: "koi8-r"), [0xF6, 0xD5, 0xCB], "another charset at the same time")
        }
        XCTAssertNil(Charset.encode("plain", to: "no-such-charset"))
    }

    func testLabelsAreTrimmedLowercasedAndLoseTheirLanguageSuffix() {
        XCTAssertEqual(Charset.canonicalName(" \"UTF-8*en\" "), "UTF-8")
        XCTAssertEqual(Charset.canonicalName("'Windows-1251'"), "WINDOWS-1251")
        XCTAssertEqual(Charset.canonicalName("koi8-r"), "KOI8-R")
        XCTAssertEqual(Charset.canonicalName("ISO8859-15"), "ISO-8859-15")
        XCTAssertEqual(Charset.labelKey("us-ascii"), "us-ascii")
    }

    func testAnEightBitByteIsFoundAtEveryPositionAndLength() {
        for length in 0..<80 {
            let ascii = [UInt8](repeating: 0x61, count: length)
            XCTAssertTrue(Charset.isASCII(ascii[...]))
            for position in 0..<length {
                var bytes = ascii
                bytes[position] = 0x80 | UInt8(position & 0x7F)
                XCTAssertFalse(Charset.isASCII(bytes[...]), "byte at \(position) of \(length)")
                XCTAssertEqual(Charset.isASCII(bytes[(position + 1)...]), true)
            }
        }
    }
}
