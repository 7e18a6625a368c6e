import XCTest
import TestSupport
@testable import Ticketing

final class ThreadResolverTests: XCTestCase {
    let clock = FakeClock()
    let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5, plusAddressBases: ["support@desk.example.com"])
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")
    var resolver: ThreadResolver { ThreadResolver(tags: tags, signer: signer) }
    let day: TimeInterval = 86_400

    var lookup: InMemoryThreadLookup {
        let now = clock.now()
        let customer: [String: ParticipantRole] = ["Jo@Customer.example": .requester, "boss@customer.example": .cc]
        return InMemoryThreadLookup(
            tickets: [
                1234: TicketSnapshot(number: 1234, status: .open, participants: customer),
                1300: TicketSnapshot(number: 1300, status: .closed, participants: customer),
                1400: TicketSnapshot(number: 1400, status: .resolved, participants: customer, resolvedAt: now - 3 * day),
                1500: TicketSnapshot(number: 1500, status: .resolved, participants: customer, resolvedAt: now - 20 * day),
                1600: TicketSnapshot(number: 1600, status: .pending, participants: ["mallory@evil.example": .requester]),
            ],
            storedMessageIDs: ["<orig-1@customer.example>": 1234],
            agents: ["agent1@desk.example.com"])
    }

    func mail(from: String = "jo@customer.example", subject: String = "Printer", inReplyTo: [String] = [],
              references: [String] = [], to: [String] = ["support@desk.example.com"], body: String = "") -> InboundFacts {
        InboundFacts(from: from, to: to, subject: subject, messageID: "<new@x.example>", inReplyTo: inReplyTo,
                     references: references, bodyText: body)
    }

    struct Row {
        var name: String
        var facts: InboundFacts
        var messageClass: MessageClass = .human
        var decision: ThreadDecision
        var explanation: String
    }

    func check(_ rows: [Row], resolver: ThreadResolver? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let resolver = resolver ?? self.resolver
        for row in rows {
            let decision = resolver.decide(row.facts, classification: Classification(row.messageClass, reasons: []),
                                           lookup: lookup, now: clock.now())
            XCTAssertEqual(decision, row.decision, row.name, file: file, line: line)
            XCTAssertEqual(decision.explanation, row.explanation, row.name, file: file, line: line)
        }
    }

    func testRuleAJoinsBySignedOrStoredMessageIDs() {
        let ours = signer.messageID(ticket: 1234, nonce: [1, 2, 3])
        check([
            Row(name: "in-reply-to our signed id, tag removed, any sender",
                facts: mail(from: "someone@else.example", subject: "Re: Printer", inReplyTo: [ours]),
                decision: .join(ticket: 1234, rule: .inReplyTo(ours, signed: true)), explanation: "in-reply-to \(ours)"),
            Row(name: "Gmail-style: references only",
                facts: mail(subject: "Re: Printer", references: ["<other@x>", ours]),
                decision: .join(ticket: 1234, rule: .references(ours, signed: true)), explanation: "references \(ours)"),
            Row(name: "a stored customer Message-ID",
                facts: mail(subject: "Re: Printer", inReplyTo: ["<orig-1@customer.example>"]),
                decision: .join(ticket: 1234, rule: .inReplyTo("<orig-1@customer.example>", signed: false)),
                explanation: "in-reply-to <orig-1@customer.example> (stored message)"),
            Row(name: "unknown references fall through to the tag",
                facts: mail(subject: "Re: [#1234] Printer", inReplyTo: ["<unknown@x>"]),
                decision: .join(ticket: 1234, rule: .tagParticipant(.subject, .requester)),
                explanation: "subject tag, sender is requester"),
        ])
    }

    func testRuleBJoinsByTagWithValidToken() {
        let token = tags.token(for: 1234)
        check([
            Row(name: "stranger with a valid token (customer forwarded our mail to a colleague)",
                facts: mail(from: "colleague@customer.example", subject: "RE: [#1234-\(token)] Printer"),
                decision: .join(ticket: 1234, rule: .tagToken(.subject)), explanation: "subject tag+token"),
            Row(name: "plus-address with token",
                facts: mail(from: "colleague@customer.example", to: ["support+1234-\(token)@desk.example.com"]),
                decision: .join(ticket: 1234, rule: .tagToken(.plusAddress)), explanation: "plus-address tag+token"),
        ])
    }

    func testRuleCJoinsByTagWhenTheSenderTakesPart() {
        check([
            Row(name: "Outlook-style: no In-Reply-To, tag only, requester",
                facts: mail(from: "JO@customer.example", subject: "AW: [#1234] Printer"),
                decision: .join(ticket: 1234, rule: .tagParticipant(.subject, .requester)),
                explanation: "subject tag, sender is requester"),
            Row(name: "cc'd party", facts: mail(from: "boss@customer.example", subject: "Re: [#1234] Printer"),
                decision: .join(ticket: 1234, rule: .tagParticipant(.subject, .cc)), explanation: "subject tag, sender is cc"),
            Row(name: "agent forwards with the tag",
                facts: mail(from: "agent1@desk.example.com", subject: "Fwd: [#1234] Printer"),
                decision: .join(ticket: 1234, rule: .tagParticipant(.subject, .agent)), explanation: "subject tag, sender is agent"),
            Row(name: "plus-address without token from requester",
                facts: mail(to: ["support+1234@desk.example.com"]),
                decision: .join(ticket: 1234, rule: .tagParticipant(.plusAddress, .requester)),
                explanation: "plus-address tag, sender is requester"),
        ])
    }

    /// Each spoofing attempt from the issue lands on a new ticket, never on the victim's.
    func testSpoofingAttemptsNeverJoinAStrangersTicket() {
        let guess = "aaaaa" == tags.token(for: 1234) ? "bbbbb" : "aaaaa"
        let mallorysID = signer.messageID(ticket: 1600, nonce: [4, 4])
        let forged = mallorysID.replacingOccurrences(of: "pd.1600.", with: "pd.1234.")
        check([
            Row(name: "right tag from a stranger", facts: mail(from: "mallory@evil.example", subject: "Re: [#1234] Printer"),
                decision: .newTicket(.strangerMentions(1234), mentions: 1234, linkedFrom: nil),
                explanation: "new: stranger mentions #1234"),
            Row(name: "guessed token", facts: mail(from: "mallory@evil.example", subject: "Re: [#1234-\(guess)] Printer"),
                decision: .newTicket(.badToken(1234), mentions: 1234, linkedFrom: nil), explanation: "new: bad token for #1234"),
            Row(name: "replayed Message-ID of another ticket joins that ticket, not the tagged one",
                facts: mail(from: "mallory@evil.example", subject: "Re: [#1234] Printer", inReplyTo: [mallorysID]),
                decision: .join(ticket: 1600, rule: .inReplyTo(mallorysID, signed: true)), explanation: "in-reply-to \(mallorysID)"),
            Row(name: "Message-ID re-signed for another number by hand",
                facts: mail(from: "mallory@evil.example", subject: "Re: Printer", inReplyTo: [forged]),
                decision: .newTicket(.noReference, mentions: nil, linkedFrom: nil), explanation: "new: no ticket reference"),
            Row(name: "tag in the body only", facts: mail(from: "jo@customer.example", subject: "Printer", body: "About [#1234]"),
                decision: .newTicket(.noReference, mentions: nil, linkedFrom: nil), explanation: "new: no ticket reference"),
            Row(name: "plus-address from a stranger",
                facts: mail(from: "mallory@evil.example", to: ["support+1234@desk.example.com"]),
                decision: .newTicket(.strangerMentions(1234), mentions: 1234, linkedFrom: nil),
                explanation: "new: stranger mentions #1234"),
            Row(name: "same subject as an existing ticket, no tag (osTicket #3607)",
                facts: mail(from: "mallory@evil.example", subject: "Printer"),
                decision: .newTicket(.noReference, mentions: nil, linkedFrom: nil), explanation: "new: no ticket reference"),
        ])
    }

    func testHoldPolicyQuarantinesStrangers() {
        var holding = resolver
        holding.strangers = .hold
        check([
            Row(name: "stranger tag held", facts: mail(from: "mallory@evil.example", subject: "[#1234] hi"),
                decision: .hold(.strangerMentions(1234), mentions: 1234), explanation: "hold: stranger mentions #1234"),
        ], resolver: holding)
    }

    func testClosedTicketsAndTheReopenWindowStartLinkedTickets() {
        let closedID = signer.messageID(ticket: 1300, nonce: [5])
        check([
            Row(name: "reply to closed by tag", facts: mail(subject: "Re: [#1300] Printer"),
                decision: .newTicket(.closed(1300), mentions: nil, linkedFrom: 1300), explanation: "new: ticket 1300 closed"),
            Row(name: "reply to closed by Message-ID", facts: mail(subject: "Re: Printer", inReplyTo: [closedID]),
                decision: .newTicket(.closed(1300), mentions: nil, linkedFrom: 1300), explanation: "new: ticket 1300 closed"),
            Row(name: "resolved within the window joins", facts: mail(subject: "Re: [#1400] Printer"),
                decision: .join(ticket: 1400, rule: .tagParticipant(.subject, .requester)),
                explanation: "subject tag, sender is requester"),
            Row(name: "resolved past the window", facts: mail(subject: "Re: [#1500] Printer"),
                decision: .newTicket(.reopenWindowPassed(1500, days: 20), mentions: nil, linkedFrom: 1500),
                explanation: "new: ticket 1500 resolved 20 days ago"),
            Row(name: "an agent may still add to an old resolved ticket",
                facts: mail(from: "agent1@desk.example.com", subject: "Re: [#1500] Printer"),
                decision: .join(ticket: 1500, rule: .tagParticipant(.subject, .agent)), explanation: "subject tag, sender is agent"),
            Row(name: "an out-of-office to a closed ticket is kept there", facts: mail(subject: "Automatic reply: [#1300] Printer"),
                messageClass: .autoReply,
                decision: .join(ticket: 1300, rule: .tagParticipant(.subject, .requester)),
                explanation: "subject tag, sender is requester"),
            Row(name: "unknown ticket number", facts: mail(subject: "Re: [#99999] Printer"),
                decision: .newTicket(.unknownTicket(99999), mentions: nil, linkedFrom: nil), explanation: "new: no ticket #99999"),
        ])
    }

    func testOwnMailIsDropped() {
        let decision = resolver.decide(mail(), classification: Classification(.ourOwn, reasons: ["our loop header"]),
                                       lookup: lookup, now: clock.now())
        XCTAssertEqual(decision, .dropOwnMail("our loop header"))
        XCTAssertEqual(decision.explanation, "drop: our loop header")
    }

    func testBouncesJoinTheTicketOfTheReturnedMessage() {
        let ours = signer.messageID(ticket: 1234, nonce: [8])
        var bounce = mail(from: "MAILER-DAEMON@mx.example", subject: "Undelivered Mail Returned to Sender")
        bounce.bounce = BounceFacts(deliveryStatus: "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; jo@customer.example\nAction: failed\nStatus: 5.1.1\n",
                                    returnedHeaders: "From: support@desk.example.com\nMessage-ID: \(ours)\n")
        check([Row(name: "bounce", facts: bounce, messageClass: .bounce,
                   decision: .join(ticket: 1234, rule: .bounceOf(ours)), explanation: "bounce of \(ours)")])
    }

    func testNewTicketSubjectsLoseOldTagsAndReplyMarkers() {
        XCTAssertEqual(resolver.subjectForNewTicket("Re: [#1300] Re: Printer"), "Printer")
        XCTAssertEqual(resolver.subjectForNewTicket("AW: Printer [#1300-abcde] broken"), "Printer broken")
    }

    func testHostileReferenceListsAreBounded() {
        let many = (0..<10_000).map { "<r\($0)@x>" }
        let decision = resolver.decide(mail(references: many), classification: Classification(.human, reasons: []),
                                       lookup: lookup, now: clock.now())
        XCTAssertEqual(decision, .newTicket(.noReference, mentions: nil, linkedFrom: nil))
    }
}
