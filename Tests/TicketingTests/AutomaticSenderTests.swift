import Foundation
import XCTest
@testable import Ticketing

/// When the loop defence withholds automatic mail from an address that sent automatic mail.
final class AutomaticSenderTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func sender(humanAt: Date? = nil) -> AutomaticSender {
        AutomaticSender(address: "jo@customer.test", firstAt: t0, lastAt: t0, messages: 1, reason: "auto-submitted: auto-replied", humanAt: humanAt)
    }

    func testWithheldForTheGivenDaysAfterTheLastAutomaticMessage() {
        XCTAssertEqual(sender().withheldUntil(now: t0.addingTimeInterval(86_400), days: 30), t0.addingTimeInterval(30 * 86_400))
        XCTAssertNil(sender().withheldUntil(now: t0.addingTimeInterval(30 * 86_400), days: 30), "expired")
        XCTAssertNil(sender().withheldUntil(now: t0, days: 0), "0 days: never withheld")
    }

    func testAPersonWritingAfterTheAutoReplyEndsItAndOneBeforeDoesNot() {
        XCTAssertNil(sender(humanAt: t0.addingTimeInterval(60)).withheldUntil(now: t0.addingTimeInterval(120), days: 30))
        XCTAssertNil(sender(humanAt: t0).withheldUntil(now: t0.addingTimeInterval(120), days: 30), "same second: the person wins")
        XCTAssertNotNil(sender(humanAt: t0.addingTimeInterval(-60)).withheldUntil(now: t0.addingTimeInterval(120), days: 30))
    }

    func testOnlyAutoRepliesRecordAndOnlyPeopleClear() {
        XCTAssertEqual(AutomaticSender.effect(of: Classification(.autoReply, reasons: ["auto-submitted: auto-replied", "null return-path"])),
                       .automatic(reason: "auto-submitted: auto-replied; null return-path"))
        XCTAssertEqual(AutomaticSender.effect(of: Classification(.human, reasons: [])), .human)
        for other in [MessageClass.bounce, .list, .ourOwn] {
            XCTAssertEqual(AutomaticSender.effect(of: Classification(other, reasons: ["x"])), .none, other.rawValue)
        }
    }
}
