import XCTest
import TestSupport
@testable import Ticketing

/// Ratings by e-mail: the signed `+rate-N-verdict-token@` address, and the step that turns mail
/// to it into a rating without touching the ticket's state, or holds it when the signature fails.
final class RatingStepTests: XCTestCase {
    let clock = FakeClock()
    let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5, plusAddressBases: ["support@desk.example.com"])
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")
    let own: Set<String> = ["support@desk.example.com"]

    /// The intake's order: the rating step first, then threading and the lifecycle that would reopen.
    var pipeline: IntakePipeline {
        let resolver = ThreadResolver(tags: tags, signer: signer, strangers: .newTicket, reopenWindow: 14 * 86_400)
        return IntakePipeline(steps: [
            RatingStep(signer: signer, plusAddressBases: ["support@desk.example.com"]),
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, newSubject: { resolver.subjectForNewTicket($0) }),
            NotificationStep(acknowledge: true, agents: ["agent1@desk.example.com"], ownAddresses: own),
        ])
    }

    var view: InMemoryThreadLookup {
        InMemoryThreadLookup(
            tickets: [
                7: TicketSnapshot(number: 7, status: .resolved, participants: ["jo@customer.example": .requester], resolvedAt: clock.now(),
                                  subject: "Printer", queue: "hardware", assignee: "agent1@desk.example.com", requester: "jo@customer.example"),
                8: TicketSnapshot(number: 8, status: .resolved, participants: ["jo@customer.example": .requester], resolvedAt: clock.now(),
                                  subject: "VPN", requester: "jo@customer.example"),
            ],
            agents: ["agent1@desk.example.com"])
    }

    func link(_ number: Int, _ verdict: RatingVerdict) -> String {
        RatingAddress.signed(base: "Support@Desk.example.com", ticket: number, verdict: verdict, signer: signer)!
    }

    func input(to: [String], cc: [String] = [], subject: String = "Rating: Good", text: String = "Thanks, quick and friendly.",
               klass: MessageClass = .human) -> PipelineInput {
        PipelineInput(facts: InboundFacts(from: "jo@customer.example", to: to, cc: cc, subject: subject, messageID: "<r1@customer.example>",
                                          bodyText: text),
                      classification: Classification(klass, reasons: klass == .human ? [] : ["auto-submitted: auto-replied"]),
                      text: text, replyText: text, mailbox: "support", size: 100, now: clock.now())
    }

    /// The link is a capability for the ticket and verdict, not proof of the sender: a rating
    /// whose From names an agent still acts as a customer's.
    func testARatingFromAnAgentsAddressActsAsACustomers() {
        var mail = input(to: [link(7, .good)])
        mail.facts.from = "agent1@desk.example.com"
        let plan = pipeline.plan(mail, view: view)
        XCTAssertEqual(plan.rating?.verdict, .good)
        XCTAssertEqual(plan.actor, .customer)
    }

    func testTheAddressIsSignedForItsTicketAndVerdict() {
        let good = link(1234, .good)
        XCTAssertTrue(good.hasPrefix("support+rate-1234-good-"), good)
        XCTAssertTrue(good.hasSuffix("@desk.example.com"))
        XCTAssertLessThanOrEqual(good.split(separator: "@")[0].count, 64, "a local part fits RFC 5321")
        let found = RatingAddress.find(in: ["<\(good.uppercased())>"], bases: ["support@desk.example.com"])
        XCTAssertEqual(found.map(\.ticket), [1234])
        XCTAssertEqual(found.first?.isSigned(by: signer), true, "case-folded by a mail client, still valid")
        XCTAssertNotEqual(signer.ratingToken(ticket: 1234, verdict: "good"), signer.ratingToken(ticket: 1234, verdict: "bad"))
        XCTAssertNotEqual(signer.ratingToken(ticket: 1234, verdict: "good"), signer.ratingToken(ticket: 1235, verdict: "good"))
        let other = MessageIDSigner(key: SigningKey(bytes: Array(repeating: 7, count: 32))!, domain: "desk.example.com")
        XCTAssertFalse(found[0].isSigned(by: other), "another instance's key signs differently")
        XCTAssertEqual(RatingAddress.find(in: ["support+rate-12-meh-abc@desk.example.com", "support+rate-x-good-abc@desk.example.com",
                                               "support+rate-12-good-abc@other.example", "support+12-note@desk.example.com"],
                                          bases: ["support@desk.example.com"]), [], "not rating addresses of ours")
    }

    func testTheMailtoLinkCarriesTheAddressAndALocalisedSubject() {
        let url = RatingAddress.mailto(base: "support@desk.example.com", ticket: 7, verdict: .bad, tag: "[#7-abcde]", language: "de", signer: signer)!
        XCTAssertEqual(url, "mailto:\(link(7, .bad))?subject=Bewertung%3A%20Schlecht%20%5B%237-abcde%5D")
        let ru = RatingAddress.mailto(address: "s@x.example", verdict: .good, tag: "[#7]", language: "ru")
        XCTAssertEqual(ru.removingPercentEncoding, "mailto:s@x.example?subject=Оценка: Хорошо [#7]")
    }

    func testAValidLinkRecordsTheRatingWithoutReopeningAndWithoutMail() {
        let plan = pipeline.plan(input(to: [link(7, .good)], subject: "Rating: Good " + tags.text(for: 7)), view: view)
        XCTAssertEqual(plan.disposition, .join(ticket: 7))
        XCTAssertEqual(plan.rating, TicketRating(verdict: .good, comment: "Thanks, quick and friendly."))
        XCTAssertTrue(plan.complete)
        XCTAssertEqual(plan.state.status, .resolved, "a rating is no reply: the ticket stays resolved")
        XCTAssertEqual(plan.events, [])
        XCTAssertEqual(plan.mails, [], "no acknowledgement, no notice")
        XCTAssertEqual(plan.participants, [])
        XCTAssertEqual(plan.explanation, "rating: good for ticket #7 (signed rating address); the ticket stays resolved")
    }

    func testTheLinkCountsInCcAndDeliveredToToo() {
        var viaCc = input(to: ["support@desk.example.com"], cc: [link(7, .bad)])
        XCTAssertEqual(pipeline.plan(viaCc, view: view).rating?.verdict, .bad)
        viaCc.facts.cc = []
        viaCc.facts.deliveredTo = [link(8, .good)]
        XCTAssertEqual(pipeline.plan(viaCc, view: view).joinedTicket, 8)
    }

    func testAForgedSignatureChangesNothingAndIsHeld() {
        let forged = "support+rate-7-good-aaaaaaaaaaaaaaaa@desk.example.com"
        let plan = pipeline.plan(input(to: [forged], subject: "Rating: Good " + tags.text(for: 7)), view: view)
        XCTAssertEqual(plan.disposition, .hold("hold: rating address for ticket #7 with a signature that does not match "
                                               + "(forged, altered, or another ticket's link); nothing recorded"))
        XCTAssertNil(plan.rating)
        XCTAssertEqual(plan.mails, [])
        XCTAssertFalse(plan.changesTicket, "held: no ticket joined, none started, even with the ticket's tag in the subject")
    }

    func testAnotherTicketsTokenOrTheOtherVerdictsTokenIsForged() {
        let tokenOf8 = signer.ratingToken(ticket: 8, verdict: "good")
        let plan = pipeline.plan(input(to: ["support+rate-7-good-\(tokenOf8)@desk.example.com"]), view: view)
        XCTAssertFalse(plan.changesTicket)
        XCTAssertNil(plan.rating)
        let goodToken = signer.ratingToken(ticket: 7, verdict: "good")
        XCTAssertFalse(pipeline.plan(input(to: ["support+rate-7-bad-\(goodToken)@desk.example.com"]), view: view).changesTicket,
                       "a good link turned into a bad one")
    }

    func testARatingForAMissingTicketOrTwoRatingsAtOnceAreHeld() {
        XCTAssertEqual(pipeline.plan(input(to: [link(99, .good)]), view: view).disposition,
                       .hold("hold: rating for ticket #99, which does not exist; nothing recorded"))
        XCTAssertEqual(pipeline.plan(input(to: [link(7, .good), link(7, .bad)]), view: view).disposition,
                       .hold("hold: mail to 2 rating addresses at once; nothing recorded"))
    }

    func testAnAutoReplyToARatingAddressIsStoredOnTheTicketAndRatesNothing() {
        let plan = pipeline.plan(input(to: [link(7, .good)], text: "I am out of office.", klass: .autoReply), view: view)
        XCTAssertEqual(plan.disposition, .join(ticket: 7))
        XCTAssertNil(plan.rating)
        XCTAssertEqual(plan.state.status, .resolved)
        XCTAssertEqual(plan.mails, [])
        XCTAssertTrue(plan.explanation.contains("not a rating; nothing recorded"), plan.explanation)
    }

    func testMailWithoutARatingAddressIsLeftToThreading() {
        let plan = pipeline.plan(input(to: ["support@desk.example.com"], subject: "Re: " + tags.subject("Printer", taggedWith: 7)), view: view)
        XCTAssertNil(plan.rating)
        XCTAssertFalse(plan.complete)
        XCTAssertEqual(plan.state.status, .open, "an ordinary reply reopens as before")
    }

    func testAnEmptyCommentIsNone() {
        XCTAssertNil(TicketRating(verdict: .good, comment: "  \n ").comment)
        XCTAssertEqual(TicketRating(verdict: .bad, comment: String(repeating: "x", count: 5_000)).comment?.count, TicketRating.commentLimit)
    }
}
