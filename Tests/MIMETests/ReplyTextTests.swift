import MIME
import XCTest

/// The new text of a reply, without quoted history and signature.
final class ReplyTextTests: XCTestCase {
    func reply(_ body: String) -> String? {
        Sample.message("Content-Type: text/plain; charset=utf-8\n\n\(body)").replyText
    }

    func testQuotedBlockAndItsAttributionAreCut() {
        XCTAssertEqual(reply("Works now.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@example.com> wrote:\n> Try again.\n"), "Works now.")
    }

    func testAttributionWrappedOverTwoLines() {
        XCTAssertEqual(reply("Works now.\n\nOn Mon, Nov 23, 2026 at 10:00 AM Support Team <support@example.com>\nwrote:\n\n> Try again.\n"), "Works now.")
    }

    func testGermanRussianAndFrenchAttributions() {
        XCTAssertEqual(reply("Danke!\n\nAm 23.11.2026 um 10:00 schrieb Support <s@example.com>:\n> Text\n"), "Danke!")
        XCTAssertEqual(reply("Спасибо!\n\n23.11.2026 10:00, Support пишет:\n> Текст\n"), "Спасибо!")
        XCTAssertEqual(reply("Спасибо!\n\nПн, 23 нояб. 2026 г. в 10:00, Support <s@example.com> писал(а):\n> Текст\n"), "Спасибо!")
        XCTAssertEqual(reply("Merci !\n\nLe lun. 23 nov. 2026 à 10:00, Support <s@example.com> a écrit :\n> Texte\n"), "Merci !")
    }

    func testOriginalMessageSeparators() {
        XCTAssertEqual(reply("Please close it.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n"), "Please close it.")
        XCTAssertEqual(reply("Bitte schließen.\n\n-----Ursprüngliche Nachricht-----\nVon: Support\n"), "Bitte schließen.")
    }

    func testOutlookHeaderBlock() {
        let body = "Danke.\n\n________________________________\nVon: Support <s@example.com>\nGesendet: Montag, 23. November 2026 10:00\nAn: Kunde\nBetreff: Drucker\n\nAlter Text\n"
        XCTAssertEqual(reply(body), "Danke.")
        XCTAssertEqual(reply("Thanks.\n\nFrom: Support <s@example.com>\nSent: Monday, November 23, 2026 10:00 AM\nTo: Customer\nSubject: Printer\n\nOld\n"), "Thanks.")
    }

    func testSignatureIsCut() {
        XCTAssertEqual(reply("It works.\n\n-- \nJane Doe\nACME\n"), "It works.")
    }

    func testInterleavedRepliesKeepTheUnquotedLines() {
        XCTAssertEqual(reply("Le lun. 23 nov., Support a écrit :\n> Your customer number?\n4711.\n> Version?\n2.3\n"), "4711.\n2.3")
    }

    func testTextWithoutMarkersIsUnchanged() {
        XCTAssertEqual(reply("Line one\nFrom: is just a word here\n- a dash item\n"), "Line one\nFrom: is just a word here\n- a dash item")
    }

    func testTheFullTextIsAlwaysKept() {
        let m = Sample.message("Subject: s\n\nNew\n\n> old\n")
        XCTAssertEqual(m.text, "New\n\n> old")
        XCTAssertEqual(m.replyText, "New")
    }
}
