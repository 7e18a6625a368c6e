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
        let answer = ThreadDecision.join(ticket: 1, rule: .inReplyTo("<pd.1.x@desk>", signed: true))
        XCTAssertEqual(AutomaticSender.effect(of: Classification(.autoReply, reasons: ["auto-submitted: auto-replied", "null return-path"]), decision: answer),
                       .automatic(reason: "auto-submitted: auto-replied; null return-path"))
        XCTAssertEqual(AutomaticSender.effect(of: Classification(.human, reasons: []), decision: nil), .human)
        for other in [MessageClass.bounce, .list, .ourOwn] {
            XCTAssertEqual(AutomaticSender.effect(of: Classification(other, reasons: ["x"]), decision: answer), .none, other.rawValue)
        }
    }

    /// From: is whatever the sender typed: an "auto-reply" that does not answer our mail (no signed
    /// Message-ID of ours, no tag token) is a stranger's claim and must not silence the address.
    func testOnlyAnAutoReplyThatAnswersOurMailRecordsItsSender() {
        let auto = Classification(.autoReply, reasons: ["auto-submitted: auto-replied"])
        let proven: [JoinRule] = [.inReplyTo("<a>", signed: true), .references("<a>", signed: true), .tagToken(.subject),
                                  .forwarded(.inReplyTo("<a>", signed: true), chain: [1, 2])]
        for rule in proven {
            XCTAssertEqual(AutomaticSender.effect(of: auto, decision: .join(ticket: 1, rule: rule)),
                           .automatic(reason: "auto-submitted: auto-replied"), rule.explanation)
        }
        let unproven: [JoinRule] = [.inReplyTo("<her-own@c>", signed: false), .references("<x@c>", signed: false),
                                    .tagParticipant(.subject, .requester)]
        for rule in unproven {
            XCTAssertEqual(AutomaticSender.effect(of: auto, decision: .join(ticket: 1, rule: rule)), .none, rule.explanation)
        }
        XCTAssertEqual(AutomaticSender.effect(of: auto, decision: nil), .none, "a new ticket answers nothing of ours")
    }
}
