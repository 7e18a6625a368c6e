import Foundation
import MIME
import TestSupport
@testable import Ticketing
import XCTest

/// The comparison form of rule text: case and width folded, composed, as UTF-8 bytes; and the
/// substring search over it.
final class TextFoldTests: XCTestCase {
    func fold(_ s: String) -> String { String(decoding: TextFold.folded(s), as: UTF8.self) }

    func testFullFoldsThatLowerCaseAloneMisses() {
        XCTAssertEqual(fold("STRAẞE Straße"), "strasse strasse", "both sharp s fold to ss")
        XCTAssertEqual(fold("ΟΔΟΣ οδος"), "οδοσ οδοσ", "final sigma meets sigma")
        XCTAssertEqual(fold("Meſſe"), "messe", "long s")
        XCTAssertEqual(fold("ﬁle ﬂow ﬀ ﬃ ﬄ ﬅ ﬆ"), "file flow ff ffi ffl st st", "Latin ligatures")
        XCTAssertEqual(fold("5 µm"), "5 μm", "micro sign is mu")
        XCTAssertEqual(fold("ϐϑϕϖϰϱϵ"), "βθφπκρε", "Greek symbol variants")
        XCTAssertEqual(fold("ÀÉÎÕÜÇÑ Ø Þ"), "àéîõüçñ ø þ")
        XCTAssertEqual(fold("ЁЖИК ЇЄІЎ"), "ёжик їєіў", "Russian and Ukrainian capitals")
        XCTAssertEqual(fold("ŁÓDŹ ČEŠKÁ ĞÜŞ"), "łódź češká ğüş", "the rest of Latin by the Unicode mapping")
        XCTAssertEqual(fold("ԱՐՄ ႠႡ"), "արմ ⴀⴁ", "Armenian, Georgian")
    }

    func testWidthFolds() {
        XCTAssertEqual(fold("ＩＮＶＯＩＣＥ　Ｎｏ．４２"), "invoice no.42", "full-width ASCII and the ideographic space")
        XCTAssertEqual(fold("￥１００ ￡５"), "¥100 £5", "full-width signs")
        XCTAssertEqual(fold("ｶﾞｲﾄﾞ ｱﾝﾅｲ"), "ガイド アンナイ", "half-width katakana, voiced marks composed")
        XCTAssertEqual(fold("ガイド"), "ガイド", "full-width kana unchanged")
    }

    func testComposedOnlyWhereMarksAre() {
        XCTAssertEqual(TextFold.folded("Сче\u{0308}т"), TextFold.folded("СЧЁТ"), "decomposed and composed ё")
        XCTAssertEqual(TextFold.folded("E\u{0301}COLE"), Array("école".utf8))
        XCTAssertEqual(TextFold.exact("E\u{0301}cole"), Array("École".utf8), "case-sensitive form is composed, case kept")
        XCTAssertEqual(TextFold.exact("ＡＢＣ"), Array("ＡＢＣ".utf8), "and width kept")
        XCTAssertEqual(TextFold.folded("\u{1100}\u{1161}"), Array("가".utf8), "Hangul jamo compose")
    }

    func testASCIIFoldsEightBytesAtATimeAndTheTailByte() {
        let all = String((1...127).map { Character(Unicode.Scalar(UInt8($0))) })
        XCTAssertEqual(fold(all), all.lowercased())
        XCTAssertEqual(fold("HELLO, WORLD@[]`{}"), "hello, world@[]`{}", "only A–Z change")
        for length in 0...20 {
            let s = String(repeating: "AbZ", count: length) + "Ä"
            XCTAssertEqual(fold(s), s.lowercased(), "length \(s.utf8.count)")
        }
    }

    func testTheLimitCutsBeforeACharacterThatDoesNotFit() {
        var out: [UInt8] = []
        TextFold.append("abcЖd", caseSensitive: false, limit: 4, to: &out)
        XCTAssertEqual(out, Array("abc".utf8), "Ж needs bytes 4 and 5")
        out = []
        TextFold.append("abcЖd", caseSensitive: false, limit: 5, to: &out)
        XCTAssertEqual(out, Array("abcж".utf8))
    }

    /// Foundation's folding (case- and width-insensitive, then NFC) is the reference for the
    /// mail we actually get: every corpus subject and text folds the same, but for the
    /// ideographic space, which Foundation keeps and we make a space (it is the full-width one).
    /// Parse and both folds take turns per message. (This loop once died with signal 11 at
    /// `message.from.first`: a stale test object compiled against MIME's old `Entity` layout by an
    /// incremental build, not a memory error; see README "Set-up".)
    func testAgreesWithFoundationsFoldingOnTheCorpus() {
        var compared = 0, nonASCII = 0
        for (name, bytes) in Fixtures.corpusMessages() {
            let message = Message.parse(bytes)
            for value in [message.subject ?? "", message.text ?? "", message.from.first?.name ?? ""] {
                let s = String(value.prefix(20_000))
                let reference = s.folding(options: [.caseInsensitive, .widthInsensitive], locale: nil).precomposedStringWithCanonicalMapping
                    .replacingOccurrences(of: "\u{3000}", with: " ")
                let ours = fold(s)
                if ours != reference {
                    let (a, b) = (Array(ours.unicodeScalars), Array(reference.unicodeScalars))
                    let at = a.indices.first { $0 >= b.count || a[$0] != b[$0] } ?? a.count
                    XCTFail("\(name): at scalar \(at): ours \(a[min(at, a.count)...].prefix(4).map { String($0.value, radix: 16) }), Foundation's \(b[min(at, b.count)...].prefix(4).map { String($0.value, radix: 16) })")
                }
                compared += 1
                if s.utf8.contains(where: { $0 >= 0x80 }) { nonASCII += 1 }
            }
        }
        XCTAssertGreaterThan(compared, 30)
        XCTAssertGreaterThan(nonASCII, 5, "the corpus has non-ASCII text to compare")
    }

    /// Every assigned scalar folds as Foundation folds it, except where the stdlib's Unicode data
    /// is newer (letters Foundation does not know yet lower-case here) and the ideographic space.
    func testEveryScalarFoldsAsFoundationFoldsIt() {
        var checked = 0
        for v in UInt32(0x80)...0x2FFFF {
            guard let s = Unicode.Scalar(v), s.properties.generalCategory != .unassigned, v != 0x3000 else { continue }
            let text = "a" + String(Character(s)) + "B"
            let reference = text.folding(options: [.caseInsensitive, .widthInsensitive], locale: nil).precomposedStringWithCanonicalMapping
            let ours = fold(text)
            let newerData = reference == "a" + String(Character(s)) + "b" && s.properties.changesWhenLowercased
            if ours != reference && !newerData {
                XCTFail("U+\(String(v, radix: 16, uppercase: true)): ours \(ours.unicodeScalars.map { String($0.value, radix: 16) }), Foundation's \(reference.unicodeScalars.map { String($0.value, radix: 16) })")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100_000)
    }

    func testContainsFindsEveryPlaceAndNothingElse() {
        func has(_ h: String, _ n: String) -> Bool { TextFold.contains(Array(h.utf8), Array(n.utf8)) }
        XCTAssertTrue(has("the invoice", "invoice"), "at the end")
        XCTAssertTrue(has("invoice due", "invoice"), "at the start")
        XCTAssertTrue(has("xqx", "q"))
        XCTAssertFalse(has("invoic", "invoice"))
        XCTAssertFalse(has("invoicx invoicy", "invoice"), "the rare byte's hits that do not match")
        XCTAssertTrue(has("zzzz zzzq", "zzzq"), "overlapping candidates")
        XCTAssertTrue(has("", ""))
        XCTAssertTrue(has("счёт на оплату", "оплату"))
        XCTAssertFalse(has("счёт на оплату", "оплаты"))
        XCTAssertTrue(has("abc", ""))
    }

    /// The search looks at sixteen places at once, then eight, then one: a needle at every place
    /// of haystacks of every length up to 80 is found, and a near miss (its last byte changed)
    /// is not, whichever of the three loops reaches it.
    func testContainsAgreesWithAPlainSearchAtEveryLengthAndPlace() {
        func plain(_ h: [UInt8], _ n: [UInt8]) -> Bool {
            n.isEmpty || (h.count >= n.count && (0...(h.count - n.count)).contains { Array(h[$0..<$0 + n.count]) == n })
        }
        var filler = Array("the quick brown fox jumps over the lazy dog, счёт ".utf8)
        filler += filler
        for needle in ["zq", "invoice", "оплату", "a much longer needle than sixteen bytes"].map({ Array($0.utf8) }) {
            var miss = needle
            miss[miss.count - 1] ^= 0x01
            for length in 0...80 {
                let base = Array(filler.prefix(length))
                XCTAssertEqual(TextFold.contains(base, needle), plain(base, needle), "length \(length)")
                guard length >= needle.count else { continue }
                for at in 0...(length - needle.count) {
                    for (n, expected) in [(needle, true), (miss, false)] {
                        var h = base
                        h.replaceSubrange(at..<at + n.count, with: n)
                        XCTAssertEqual(TextFold.contains(h, needle), expected || plain(h, needle), "length \(length) at \(at)")
                    }
                }
            }
        }
    }
}
