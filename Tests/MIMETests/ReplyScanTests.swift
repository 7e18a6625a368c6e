@testable import MIME
import TestSupport
import XCTest

/// The byte scan behind `ReplyText.extract` decides exactly as the line-by-line version did
/// (`ReplyTextReference`), on real mail and on texts made of every kind of marker line.
final class ReplyScanTests: XCTestCase {
    func testAgreesWithTheLineByLineVersionOnEveryCorpusAndFixtureText() {
        var texts = Fixtures.corpusMessages().compactMap { Message.parse($0.bytes).text }
        let mime = Fixtures.url("mime")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: mime.path)) ?? [] where name.hasSuffix(".eml") {
            if let bytes = try? Fixtures.bytes("mime/" + name), let text = Message.parse(bytes).text { texts.append(text) }
        }
        XCTAssertGreaterThan(texts.count, 30)
        for (n, text) in texts.enumerated() {
            XCTAssertEqual(ReplyText.extract(text), ReplyTextReference.extract(text), "text \(n)")
        }
    }

    /// Lines that are markers, that look like markers to a byte filter, or that lowercase in
    /// surprising ways, shuffled into short texts with every kind of line end and padding.
    func testAgreesWithTheLineByLineVersionOnShuffledMarkerLines() {
        let lines = [
            "Thanks, it works now.", "I will come back to you", "Please advise", "The cache", "Bob", "Danke, Grüße, Jürgen",
            "On Mon, 23 Nov 2026 at 10:00, Support <s@example.com> wrote:", "ON MON, 23 NOV 2026, SUPPORT WROTE:",
            "On Mon, Nov 23, 2026 at 10:00 AM Support Team <support@example.com>", "wrote:", "Support wrote", "Jane schrieb",
            "Am 23.11.2026 um 10:00 schrieb Support <s@example.com>:", "23.11.2026 10:00, Support пишет:",
            "Пн, 23 нояб. 2026 г. в 10:00, Support <s@example.com> писал(а):", "в понедельник Support написал:",
            "Le lun. 23 nov. 2026 à 10:00, Support <s@example.com> a écrit :", "\u{200E}On 23 Nov, Support wrote:",
            "El lun, Support escribió:", "Il giorno lun, Support ha scritto:", "W dniu 23.11.2026 Support napisał:",
            "Den 23 nov. skrev Support:", "Op 23 nov. schreef Support het volgende geschreven:", "Support \u{212A}irjoitti:",
            "schr\u{130}eb", "WROT\u{0130}", "١٢ Support wrote:", "½ past ten, Support wrote:", "Écrit:", "Note:",
            "> quoted", ">", ">> deeper", ">\u{338} not a quote", "  > indented quote", "-- ", "--", "---", "- a dash item",
            "- original message -", "-----Original Message-----", "----- ORIGINAL MESSAGE -----", "__ forwarded message __",
            "Begin forwarded message:", "begin", "________________________________", "____", "-_-_", "",
            "   ", "\t", "From: Support <s@example.com>", "FROM: support", "Von: s@example.com", "De : Support",
            "От кого: Support", "*From:* Support", "Sent: Monday, November 23, 2026 10:00 AM", "Datum: Montag", "Date: today",
            "To: Customer", "Subject: Printer", "Betreff: Drucker", "Тема: Принтер", "Cc: someone", "From: is just a word here",
            "Dear Support:", "Details:", "dear all", "version 2.3", "4711.", "Ünïcödé ending ē", "line with trailing e   ",
        ]
        let ends = ["\n", "\r\n", "\r\r\n", "\r"]
        var random = SeededGenerator(seed: 17)
        for round in 0..<4_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...10, using: &random) {
                var line = lines.randomElement(using: &random)!
                if Int.random(in: 0..<6, using: &random) == 0 { line = " " + line }
                if Int.random(in: 0..<6, using: &random) == 0 { line += " \t" }
                if Int.random(in: 0..<8, using: &random) == 0 { line = line.uppercased() }
                text += line + ends[Int.random(in: 0..<8, using: &random) < 6 ? 0 : Int.random(in: 1..<4, using: &random)]
            }
            if Bool.random(using: &random) { text.removeLast() }
            XCTAssertEqual(ReplyText.extract(text), ReplyTextReference.extract(text), "round \(round): \(text.debugDescription)")
        }
    }

    func testWindowsLineEndsComeBackAsLineFeedsWhetherOrNotSomethingIsCut() {
        XCTAssertEqual(ReplyText.extract("One\r\nTwo\r\n"), "One\nTwo")
        XCTAssertEqual(ReplyText.extract("One\r\nTwo\r\n\r\n> old\r\n"), "One\nTwo")
    }

    func testProseWhoseLinesEndLikeMarkersIsKeptWhole() {
        let text = "Hello,\nthe printer is offline since the update\nand the job queue shows no error:\nplease advise\nBob"
        XCTAssertEqual(ReplyText.extract(text), text)
    }

    func testAttributionsInCapitalsOrWithANonLatinFirstLetterAreCut() {
        XCTAssertEqual(ReplyText.extract("Ok.\n\nON MON, 23 NOV 2026, SUPPORT <S@EXAMPLE.COM> WROTE:\n> old"), "Ok.")
        XCTAssertEqual(ReplyText.extract("Да.\n\nв понедельник Support <s@example.com> написал:\n> old"), "Да.")
    }

    func testLettersThatOnlyLowercaseToLookalikesAreNotMarkers() {
        // "İ" lowercases to "i" and a combining dot: not the "i" of "schrieb".
        XCTAssertEqual(ReplyText.extract("Ok.\nSupport schr\u{130}eb\n> old"), "Ok.\nSupport schr\u{130}eb")
    }
}
