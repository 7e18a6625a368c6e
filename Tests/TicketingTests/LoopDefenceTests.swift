import XCTest
import TestSupport
@testable import Ticketing

/// Whole exchanges between a postdesk and another automatic party, played with pure values:
/// the layers of loop defence must end each one quickly.
final class LoopDefenceTests: XCTestCase {
    struct Instance {
        var key: SigningKey
        var address: String
        var classifier: MessageClassifier
        var signer: MessageIDSigner
        var marker: LoopMarker
        var limiter = SendRateLimiter()
        var suppressionLines = 0

        init(key: SigningKey, address: String) {
            self.key = key
            self.address = address
            signer = MessageIDSigner(key: key, domain: "desk.example")
            marker = LoopMarker(key: key)
            classifier = MessageClassifier(signer: signer, loopMarker: marker, ownAddresses: [address])
        }

        /// Receives a message and returns the automatic answer it would send, if any.
        mutating func receive(_ facts: InboundFacts, body: String, at now: Date) -> InboundFacts? {
            guard classifier.classify(facts).messageClass.mayTriggerMail else { return nil }
            switch limiter.admit(facts.from, bodyHash: BodyHash.of(body), at: now) {
            case .send:
                return InboundFacts(from: address, to: [facts.from], subject: "Re: [#1] \(facts.subject)",
                                    messageID: signer.messageID(ticket: 1), inReplyTo: facts.messageID.map { [$0] } ?? [],
                                    headers: marker.automaticHeaders, returnPath: address, bodyText: body)
            case let .suppress(_, first):
                if first { suppressionLines += 1 }
                return nil
            }
        }
    }

    func testTwoPostdesksStopAfterTheFirstAcknowledgement() {
        let clock = FakeClock()
        var a = Instance(key: TestKeys.key, address: "support@a.example")
        var b = Instance(key: TestKeys.otherKey, address: "support@b.example")
        var message: InboundFacts? = InboundFacts(from: "support@b.example", subject: "Hello", messageID: "<m0@b.example>",
                                                  returnPath: "support@b.example")
        var sent = 0
        for turn in 0..<100 {
            guard let current = message else { break }
            message = turn % 2 == 0 ? a.receive(current, body: "ack", at: clock.now()) : b.receive(current, body: "ack", at: clock.now())
            if message != nil { sent += 1 }
            clock.advance(by: 1)
        }
        XCTAssertEqual(sent, 1, "B sees A's loop header and Auto-Submitted and does not answer")
    }

    func testANaiveAutoresponderIsSilencedByTheRateLimit() {
        let clock = FakeClock()
        var desk = Instance(key: TestKeys.key, address: "support@a.example")
        var sent = 0
        for index in 0..<50 {
            // A responder with no loop headers at all: only the rate limit can stop it.
            let bounceBack = InboundFacts(from: "away@customer.example", subject: "I am away", messageID: "<r\(index)@customer.example>",
                                          returnPath: "away@customer.example")
            if desk.receive(bounceBack, body: "we got your reply number \(index)", at: clock.now()) != nil { sent += 1 }
            clock.advance(by: 10)
        }
        XCTAssertEqual(sent, 5, "five an hour, then silence")
        XCTAssertEqual(desk.suppressionLines, 1, "one log line for the whole run of suppressions")
    }

    func testIdenticalAnswersAreSentOnlyOnce() {
        let clock = FakeClock()
        var desk = Instance(key: TestKeys.key, address: "support@a.example")
        var sent = 0
        for index in 0..<10 {
            let mail = InboundFacts(from: "jo@customer.example", subject: "Help", messageID: "<h\(index)@customer.example>")
            if desk.receive(mail, body: "We received your message.", at: clock.now()) != nil { sent += 1 }
            clock.advance(by: 60)
        }
        XCTAssertEqual(sent, 1)
    }

    func testOurOwnMailComingBackIsNeverAnswered() {
        let clock = FakeClock()
        var desk = Instance(key: TestKeys.key, address: "support@a.example")
        let customer = InboundFacts(from: "jo@customer.example", subject: "Help", messageID: "<h@customer.example>")
        guard var echoed = desk.receive(customer, body: "ack", at: clock.now()) else { return XCTFail("first mail is answered") }
        echoed.from = "relay@forwarder.example" // a forwarder sent our acknowledgement back to us
        XCTAssertEqual(desk.classifier.classify(echoed).messageClass, .ourOwn)
        XCTAssertNil(desk.receive(echoed, body: "ack 2", at: clock.now()))
    }
}
