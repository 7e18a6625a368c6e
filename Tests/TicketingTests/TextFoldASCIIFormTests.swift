import XCTest
@testable import Ticketing

/// ASCII needles read text that nothing in it folds into ASCII without folding it: the answers
/// must be those of the folded text, for every character.
final class TextFoldASCIIFormTests: XCTestCase {
    /// Whether `needle` is in `text` by each form; nil for the ASCII form when it refuses the text.
    func answers(_ text: String, _ needle: String) -> (folded: Bool, ascii: Bool?) {
        var form: [UInt8] = []
        let n = TextFold.folded(needle)
        let folded = TextFold.contains(TextFold.folded(text), n)
        return (folded, TextFold.appendASCIIForm(text, limit: .max, to: &form) ? TextFold.contains(form, n) : nil)
    }

    func testCharactersThatFoldIntoASCIIOrComposeMakeItFold() {
        let cases: [(String, String)] = [
            ("STRAẞE", "strasse"), ("Straße", "strasse"), ("Meſſe", "messe"), ("5 \u{212A}", "5 k"), ("ﬁle", "file"),
            ("ＩＮＶＯＩＣＥ", "invoice"), ("a\u{3000}b", "a b"), ("İstanbul", "i"), ("ŉ", "n"),
            ("cafe\u{301}", "cafe"), ("ｶﾞ", "ガ"),
        ]
        for (text, needle) in cases {
            let (folded, ascii) = answers(text, needle)
            XCTAssertNil(ascii, "\(text) must be folded")
            XCTAssertEqual(folded, needle != "cafe", "\(text) ∋ \(needle) by the fold")
        }
    }

    func testOrdinaryMultilingualTextNeedsNoFold() {
        var form: [UInt8] = []
        let text = "Guten Tag, die RECHNUNG für Müller — Счёт №5, 東京の請求書 ✅ déjà vu ŁÓDŹ"
        XCTAssertTrue(TextFold.appendASCIIForm(text, limit: .max, to: &form))
        XCTAssertEqual(String(decoding: form, as: UTF8.self), "guten tag, die rechnung für müller — Счёт №5, 東京の請求書 ✅ déjà vu ŁÓdŹ",
                       "only A–Z change; the rest stays as written")
        for needle in ["rechnung", "guten tag", "vu", "no5", "5, ", "die rechnung f"] {
            let (folded, ascii) = answers(text, needle)
            XCTAssertEqual(ascii, folded, needle)
        }
    }

    /// Every assigned character between ASCII letters: an ASCII needle across it, beside it or
    /// equal to the whole text gets the fold's answer whenever the ASCII form takes the text.
    func testEveryCharacterGivesTheFoldsAnswer() {
        var taken = 0
        var form: [UInt8] = []
        for v in UInt32(0x80)...0x2FFFF {
            guard let s = Unicode.Scalar(v), s.properties.generalCategory != .unassigned else { continue }
            let text = "xA" + String(Character(s)) + "Bz"
            form.removeAll(keepingCapacity: true)
            guard TextFold.appendASCIIForm(text, limit: .max, to: &form) else { continue }
            taken += 1
            let folded = TextFold.folded(text)
            for needle in ["xa", "ab", "bz", "xab", "abz", "a", "b"] {
                let n = Array(needle.utf8)
                XCTAssertEqual(TextFold.contains(form, n), TextFold.contains(folded, n), "U+\(String(v, radix: 16)) \(needle)")
            }
            XCTAssertEqual(form.starts(with: Array("xa".utf8)), folded.starts(with: Array("xa".utf8)), "U+\(String(v, radix: 16))")
            XCTAssertEqual(form.reversed().starts(with: Array("zb".utf8)), folded.reversed().starts(with: Array("zb".utf8)))
        }
        XCTAssertGreaterThan(taken, 100_000, "most characters need no fold")
    }

    func testTheCutIsTheFoldsCut() {
        for limit in 0...12 {
            let text = "AbЖЖ東x"
            var form: [UInt8] = [], folded: [UInt8] = []
            XCTAssertTrue(TextFold.appendASCIIForm(text, limit: limit, to: &form))
            TextFold.append(text, caseSensitive: false, limit: limit, to: &folded)
            XCTAssertEqual(form.count, folded.count, "limit \(limit)")
            XCTAssertEqual(Array(form.prefix(2)), Array(folded.prefix(2)))
        }
    }

    func testLowerCasingLeavesEveryOtherByteAlone() {
        var bytes = (0...255).map { UInt8($0) } + (0...255).map { UInt8(255 - $0) } + [0x41, 0x5A, 0xC1, 0xDA]
        let expected = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for from in [0, 1, 7, 9] {
            var b = bytes
            b.withUnsafeMutableBytes { TextFold.lowerASCIILetters($0, from: from) }
            XCTAssertEqual(Array(b[from...]), Array(expected[from...]), "from \(from)")
            XCTAssertEqual(Array(b[..<from]), Array(bytes[..<from]))
        }
        bytes.removeAll()
    }

    /// A slot read only by ASCII needles takes the ASCII form; one with a non-ASCII needle folds.
    func testRulesAgreeWhicheverFormASlotTakes() {
        func hits(_ needles: [String], _ text: String) -> [Bool] {
            let rules = needles.enumerated().map { i, n in
                Rule(name: "r\(i)", when: .test(.init(field: .text, op: .contains(TextFold.folded(n)), caseSensitive: false, text: n)), then: [.tags(["t"])])
            }
            return RuleSet(rules).evaluate(RuleFacts(from: "a@b.c", text: text), trigger: .new).results.map(\.matched)
        }
        for text in ["Die RECHNUNG für Straße 5", "Bitte die Rechnung prüfen", "ＲＥＣＨＮＵＮＧ", "cafe\u{301} invoice", "счёт INVOICE"] {
            let ascii = hits(["rechnung", "strasse", "invoice", "cafe"], text)
            let mixed = hits(["rechnung", "strasse", "invoice", "cafe", "счёт"], text)
            XCTAssertEqual(Array(mixed.prefix(4)), ascii, text)
        }
        XCTAssertEqual(hits(["strasse", "rechnung"], "Die RECHNUNG für Straße 5"), [true, true])
        XCTAssertEqual(hits(["cafe", "invoice"], "cafe\u{301} invoice"), [false, true], "e + ◌́ composes to é")
    }
}
