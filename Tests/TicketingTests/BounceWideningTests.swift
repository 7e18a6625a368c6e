import XCTest
@testable import Ticketing

/// The second round of bounce formats: every failed recipient of a prose list, no non-address or
/// sender echo taken for one, codes only from diagnostic lines, wording when there is no code.
final class BounceWideningTests: XCTestCase {
    func interpret(_ text: String, failed: [String] = [], status: String? = nil, returned: String? = nil,
                   bounce: [String] = []) -> BounceReport {
        BounceReport.interpret(BounceFacts(deliveryStatus: status, returnedHeaders: returned, text: text, failedRecipients: failed,
                                           bounceAddresses: bounce), ignoring: ["support@desk.example.com"])
    }

    func testEveryRecipientOfAnExchangeStyleListIsTaken() {
        let report = interpret("""
            Your message

              To:      a@x.example; b@x.example
              Subject: Hello

            did not reach the following recipient(s):

            a@x.example on Mon, 2 Nov 2026 10:05:00 -0000
                The recipient name is not recognized
            b@x.example on Mon, 2 Nov 2026 10:05:00 -0000
                The recipient name is not recognized
            c@gone.example on Mon, 2 Nov 2026 10:05:00 -0000
                Host unknown
            """)
        XCTAssertEqual(report.recipients.map(\.address), ["a@x.example", "b@x.example", "c@gone.example"])
        XCTAssertEqual(report.recipients.map(\.status), ["5.1.1", "5.1.1", "5.1.2"])
        XCTAssertTrue(report.recipients.allSatisfy(\.permanent))
    }

    func testEachQmailRecipientKeepsItsOwnCode() {
        let report = interpret("""
            I'm afraid I wasn't able to deliver your message to the following addresses.

            <a@x.example>:
            Remote host said: 550 5.1.1 <a@x.example>: User unknown

            <b@x.example>:
            Remote host said: 452 4.2.2 <b@x.example>: Mailbox full

            --- Below this line is a copy of the message.

            To: a@x.example, b@x.example
            """)
        XCTAssertEqual(report.recipients.map(\.address), ["a@x.example", "b@x.example"])
        XCTAssertEqual(report.recipients.map(\.status), ["5.1.1", "4.2.2"])
        XCTAssertEqual(report.recipients.map(\.permanent), [true, false])
    }

    func testXFailedRecipientsWinsOverAPipeAFileOrABareDomain() {
        let status = """
            Reporting-MTA: dns; mx.x.example

            Final-Recipient: X-Unix; |/usr/bin/procmail -f-
            Action: failed
            Status: 5.0.0

            Final-Recipient: rfc822; @x.example
            Action: failed
            Status: 5.0.0
            """
        let report = interpret("A message that you sent could not be delivered.", failed: ["jo@x.example"], status: status)
        XCTAssertEqual(report.recipients.map(\.address), ["jo@x.example"])
        XCTAssertEqual(report.recipients.first?.status, "5.0.0")
        XCTAssertNil(report.recipients.first?.finalRecipient)
        // Without the header, nothing at all: such targets are never recorded.
        XCTAssertEqual(interpret("", status: status + "\n\nFinal-Recipient: X-Unix; /var/mail/jo\nAction: failed\n").recipients, [])
        for bad in ["|/usr/bin/x", "/var/mail/jo", "@x.example", "jo", "jo@localhost", "jo@x.example."] {
            XCTAssertFalse(Address.isMailbox(bad), bad)
        }
        XCTAssertTrue(Address.isMailbox("jo@x.example"))
        XCTAssertTrue(Address.isMailbox("jo@[192.0.2.1]"))
    }

    func testTheSendersOwnAddressIsNeverTheFailedRecipient() {
        let report = interpret("""
            The following address(es) failed:

              jo@x.example
                SMTP error from remote mail server after MAIL FROM:<desk-bounces@desk.example.com> SIZE=1234:
                550 5.7.1 <desk-bounces@desk.example.com>: Sender address rejected
            Could not deliver: support@desk.example.com rejected by the remote server
            """, returned: "From: Support <support@desk.example.com>\nReturn-Path: <returns@desk.example.com>\n",
                               bounce: ["mailer-daemon@mx.x.example", "returns@desk.example.com"])
        XCTAssertEqual(report.recipients.map(\.address), ["jo@x.example"])
        XCTAssertEqual(report.recipients.first?.status, "5.7.1")
    }

    func testACodeIsNeverReadFromAMessageIDOrAnotherToken() {
        let report = interpret("""
            Your message <CAF437-a9.b452-c@mail.example> of Monday
            to kim@x.example could not be delivered: mailbox unavailable.
            Message-ID: <550 5.2.2 x@y.example>
            Received: from mx (550 4.4.1)
            Queue reference AB550-7Q, id 4F437
            """)
        XCTAssertEqual(report.recipients.map(\.address), ["kim@x.example"])
        XCTAssertEqual(report.recipients.first?.status, "5.1.1", "from the wording, not 437/452/550")
        XCTAssertEqual(EnhancedStatus.smtpCode(in: "<a.F437-1@b>\nid X550-1"), nil)
        XCTAssertEqual(EnhancedStatus.smtpCode(in: "host mx [192.0.2.5]: 550 No such user"), "550")
        XCTAssertEqual(EnhancedStatus.smtpCode(in: "said:\n452-4.2.2 full"), "452")
    }

    func testWordingWithoutACodeDecidesPermanence() {
        let rows: [(String, Bool, String?)] = [
            ("The user is unknown here: jo@x.example", true, "5.1.1"),
            ("jo@x.example: recipient not recognised", true, "5.1.1"),
            ("The mailbox jo@x.example does not exist", true, "5.1.1"),
            ("Could not be delivered to jo@x.example: host unknown", true, "5.1.2"),
            ("Delivery to jo@x.example failed: domain not found", true, "5.1.2"),
            ("Could not be delivered to jo@x.example: mailbox full", false, "4.2.2"),
            ("Delivery to jo@x.example has been delayed", false, nil),
            ("Delivery to jo@x.example failed; the server will retry for 5 days", false, nil),
        ]
        for (text, permanent, status) in rows {
            let recipient = interpret(text).recipients.first
            XCTAssertEqual(recipient?.address, "jo@x.example", text)
            XCTAssertEqual(recipient?.permanent, permanent, text)
            XCTAssertEqual(recipient?.status, status, text)
        }
    }

    func testRecipientGroupsRunTogetherWithoutABlankLineAreSplit() {
        let status = """
            Reporting-MTA: dns; mx

            Final-Recipient: rfc822; a@x.example
            Action: failed
            Status: 5.1.1
            Final-Recipient: rfc822; b@x.example
            Action: delayed
            Status: 4.4.1
            Original-Recipient: rfc822; c@x.example
            Final-Recipient: rfc822; c@x.example
            Action: failed
            Status: 5.2.1
            """
        let report = interpret("", status: status)
        XCTAssertEqual(report.recipients.map(\.address), ["a@x.example", "b@x.example", "c@x.example"])
        XCTAssertEqual(report.recipients.map(\.permanent), [true, false, true])
    }

    func testAmazonSESNotificationsAreReadDirectlyOrInsideTheSNSEnvelope() throws {
        let notification = #"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@x.example","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 unknown"}]},"mail":{"source":"support@desk.example.com"}}"#
        let direct = interpret(notification + "\n--\nIf you wish to stop receiving notifications...")
        XCTAssertEqual(direct.recipients, [.init(address: "a@x.example", permanent: true, status: "5.1.1", diagnostic: "550 5.1.1 unknown")])
        XCTAssertTrue(direct.isStandard)
        let escaped = String(data: try JSONSerialization.data(withJSONObject: ["Type": "Notification", "Message": notification]), encoding: .utf8)!
        XCTAssertEqual(interpret(escaped).recipients.map(\.address), ["a@x.example"])
        let transient = notification.replacingOccurrences(of: "Permanent", with: "Transient").replacingOccurrences(of: "5.1.1", with: "4.2.2")
        XCTAssertEqual(interpret(transient).recipients.first?.permanent, false)
    }

    func testBounceSendersTheClassifierKnowsAreBounces() {
        let classifier = MessageClassifier()
        let ses = InboundFacts(from: "no-reply@sns.amazonaws.com", subject: "AWS Notification Message",
                               bodyText: #"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@x.example"}]}}"#)
        XCTAssertEqual(classifier.classify(ses).messageClass, .bounce)
        let list = InboundFacts(from: "owner-help-l@lists.x.example", subject: "Delivery failure: your message to help-l")
        XCTAssertEqual(classifier.classify(list).messageClass, .bounce)
        let listman = InboundFacts(from: "help-l-bounces@lists.x.example", subject: "Returned mail: see transcript")
        XCTAssertEqual(classifier.classify(listman).messageClass, .bounce)
        let human = InboundFacts(from: "owner-help-l@lists.x.example", subject: "Welcome to help-l")
        XCTAssertNotEqual(classifier.classify(human).messageClass, .bounce)
        let emptyFrom = InboundFacts(from: "", subject: "Notification",
                                     bounce: BounceFacts(deliveryStatus: "Final-Recipient: rfc822; a@x.example\nAction: failed\n"))
        XCTAssertEqual(classifier.classify(emptyFrom).messageClass, .bounce)
        XCTAssertFalse(classifier.classify(emptyFrom).messageClass.mayTriggerMail)
    }
}
