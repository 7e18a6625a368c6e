import XCTest
@testable import Ticketing

final class SubjectLineTests: XCTestCase {
    func testStripsStackedReplyAndForwardMarkersInManyLanguages() {
        let cases = [
            ("Re: Printer", "Printer"),
            ("RE: RE: re: Printer", "Printer"),
            ("RE : Printer", "Printer"),
            ("Fwd: FW: Printer", "Printer"),
            ("AW: WG: Printer", "Printer"),
            ("SV: VS: Printer", "Printer"),
            ("Antw: Printer", "Printer"),
            ("Ответ: Отв: Принтер", "Принтер"),
            ("Re[2]: Re^3: Re(4): Printer", "Printer"),
            ("回复：打印机", "打印机"),
            ("TR: RV: Printer", "Printer"),
            ("  Re:   Printer   on fire ", "Printer on fire"),
        ]
        for (input, expected) in cases { XCTAssertEqual(SubjectLine.normalised(input), expected, input) }
    }

    func testLeavesOrdinaryColonsAlone() {
        XCTAssertEqual(SubjectLine.normalised("Invoice: March"), "Invoice: March")
        XCTAssertEqual(SubjectLine.normalised("Re: Question: why?"), "Question: why?")
        XCTAssertEqual(SubjectLine.normalised("Re[x]: Printer"), "Re[x]: Printer")
    }

    func testTellsForwardsFromReplies() {
        XCTAssertTrue(SubjectLine.isForward("Fwd: [#12] x"))
        XCTAssertTrue(SubjectLine.isForward("WG: x"))
        XCTAssertFalse(SubjectLine.isForward("Re: Fwd: x"))
        XCTAssertTrue(SubjectLine.isReply("AW: x"))
        XCTAssertFalse(SubjectLine.isReply("x"))
    }

    func testSpacesCollapseToOneAndTheEndsAreTrimmedWhateverTheWhitespace() {
        let cases = [
            ("Printer on fire", "Printer on fire"),
            ("  Printer \t on\r\n fire  ", "Printer on fire"),
            ("Drucker\u{3000}brennt\u{00A0}\u{00A0}heute", "Drucker brennt heute"),
            ("Принтер  горит", "Принтер горит"),
            ("", ""),
            ("   ", ""),
            ("é\u{301}  x", "é\u{301} x"),
        ]
        for (input, expected) in cases { XCTAssertEqual(SubjectLine.collapsingSpaces(input), expected, input.debugDescription) }
    }

    func testTrimmingRemovesUnicodeWhitespaceAtBothEndsOnly() {
        XCTAssertEqual("\u{3000} a  b \n".trimmingWhitespace(), "a  b")
        XCTAssertEqual("\t\r\n".trimmingWhitespace(), "")
        XCTAssertEqual("x".trimmingWhitespace(), "x")
        XCTAssertEqual(" Zoë ".dropFirst(0).trimmingWhitespace(), "Zoë")
    }
}
