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

extension ReplyTextTests {
    func html(_ body: String) -> Message { Sample.message("Content-Type: text/html; charset=utf-8\n\n\(body)") }

    func testGmailHTMLQuoteIsCut() {
        let m = html("<div dir=\"ltr\">Fixed, thanks!</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, Nov 23, 2026 at 10:00 AM Support &lt;<a href=\"mailto:s@example.com\">s@example.com</a>&gt; wrote:<br></div><blockquote class=\"gmail_quote\">Please try again.</blockquote></div>")
        XCTAssertEqual(m.replyText, "Fixed, thanks!")
    }

    func testThunderbirdAndAppleHTMLQuotesAreCut() {
        XCTAssertEqual(html("<p>Yes.</p><div class=\"moz-cite-prefix\">Am 23.11.26 um 10:00 schrieb Support:<br></div><blockquote type=\"cite\">old</blockquote>").replyText, "Yes.")
        XCTAssertEqual(html("<div>Ok.</div><div><br><blockquote type=\"cite\"><div>On 23 Nov 2026, at 10:00, Support &lt;s@example.com&gt; wrote:</div><div>old</div></blockquote></div>").replyText, "Ok.")
    }

    func testOutlookHTMLHeaderBlockIsCut() {
        let m = html("<div>Done.</div><hr style=\"display:inline-block\"><div id=\"divRplyFwdMsg\"><b>From:</b> Support &lt;s@example.com&gt;<br><b>Sent:</b> Monday, November 23, 2026 10:00 AM<br><b>To:</b> Customer<br><b>Subject:</b> Ticket</div><div>old text</div>")
        XCTAssertEqual(m.replyText, "Done.")
    }
}
