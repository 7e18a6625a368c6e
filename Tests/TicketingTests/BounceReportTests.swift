import XCTest
@testable import Ticketing

final class BounceReportTests: XCTestCase {
    func testReadsRFC3464RecipientsAndTheOriginalMessageID() {
        let status = """
        Reporting-MTA: dns; mx.example.org
        Arrival-Date: Mon, 2 Nov 2026 10:00:00 +0000

        Final-Recipient: rfc822; Gone@Example.org
        Original-Recipient: rfc822;gone@example.org
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address
         rejected: User unknown

        Final-Recipient: rfc822; slow@example.net
        Action: delayed
        Status: 4.4.1
        Diagnostic-Code: smtp; 451 try later

        Final-Recipient: rfc822; fine@example.net
        Action: delivered
        Status: 2.0.0
        """
        let facts = BounceFacts(deliveryStatus: status.replacingOccurrences(of: "\n", with: "\r\n"),
                                returnedHeaders: "From: support@desk.example.com\r\nMessage-ID:\r\n <pd.12.abc.def@desk.example.com>\r\nSubject: x\r\n")
        let report = BounceReport.interpret(facts)
        XCTAssertTrue(report.isStandard)
        XCTAssertEqual(report.originalMessageID, "<pd.12.abc.def@desk.example.com>")
        XCTAssertEqual(report.recipients, [
            .init(address: "gone@example.org", permanent: true, status: "5.1.1", action: "failed",
                  diagnostic: "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"),
            .init(address: "slow@example.net", permanent: false, status: "4.4.1", action: "delayed", diagnostic: "451 try later"),
        ])
        XCTAssertTrue(report.hasPermanentFailure)
    }

    func testFallsBackToDiagnosticAndActionWhenStatusIsMissing() {
        let report = BounceReport.interpret(BounceFacts(deliveryStatus: "Final-Recipient: rfc822; a@x.example\nAction: failed\n"))
        XCTAssertEqual(report.recipients.first?.permanent, true)
        let smtpOnly = BounceReport.interpret(BounceFacts(deliveryStatus: "Final-Recipient: rfc822; a@x.example\nDiagnostic-Code: smtp; 452 mailbox full\n"))
        XCTAssertEqual(smtpOnly.recipients.first?.permanent, false)
    }

    /// Prose bounces from servers that send no delivery-status part.
    func testFindsRecipientsAndCodesInCommonProseBounces() {
        let rows: [(String, String, String, Bool, String?)] = [
            ("qmail", """
            Hi. This is the qmail-send program at mx.example.jp.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.

            <kijitora@example.jp>:
            192.0.2.1 does not like recipient.
            Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
            """, "kijitora@example.jp", true, "5.1.1"),
            ("gmail", """
            Delivery to the following recipient failed permanently:

                 userunknown@example.jp

            Technical details of permanent failure:
            The email account that you tried to reach does not exist.
            """, "userunknown@example.jp", true, nil),
            ("exim", """
            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              nobody@example.com
                SMTP error from remote mail server after RCPT TO:<nobody@example.com>:
                host mx.example.com [192.0.2.5]: 550 No such user
            """, "nobody@example.com", true, "550"),
            ("carrier", """
            Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
                 Could not be delivered to: <kijitora@x.dion.ne.jp>
                 As their mailbox is full.
            """, "kijitora@x.dion.ne.jp", false, nil),
        ]
        for (name, text, address, permanent, status) in rows {
            let report = BounceReport.interpret(BounceFacts(text: text), ignoring: ["support@desk.example.com"])
            XCTAssertFalse(report.isStandard, name)
            XCTAssertEqual(report.recipients.first?.address, address, name)
            XCTAssertEqual(report.recipients.first?.permanent, permanent, name)
            if let status { XCTAssertEqual(report.recipients.first?.status, status, name) }
        }
    }

    func testUsesXFailedRecipientsAndIgnoresOurOwnAddresses() {
        let report = BounceReport.interpret(
            BounceFacts(text: "Delivery failed for support@desk.example.com\n550 5.2.2 mailbox full",
                        failedRecipients: ["full@example.org"]),
            ignoring: ["support@desk.example.com"])
        XCTAssertEqual(report.recipients.map(\.address), ["full@example.org"])
        XCTAssertEqual(report.recipients.first?.status, "5.2.2")
        let onlyOurs = BounceReport.interpret(BounceFacts(text: "could not be delivered to support@desk.example.com"),
                                              ignoring: ["support@desk.example.com"])
        XCTAssertEqual(onlyOurs.recipients, [])
    }

    func testFindsTheOriginalMessageIDQuotedInProse() {
        let text = "failure notice\n\n--- Below this line is a copy of the message.\n\nFrom: support@desk.example.com\nMessage-Id: <pd.7.aa.bb@desk.example.com>\n"
        XCTAssertEqual(BounceReport.interpret(BounceFacts(text: text)).originalMessageID, "<pd.7.aa.bb@desk.example.com>")
    }

    func testHostileInputIsBounded() {
        let many = (0..<5_000).map { "Final-Recipient: rfc822; u\($0)@x.example\nAction: failed\n" }.joined(separator: "\n")
        XCTAssertLessThanOrEqual(BounceReport.interpret(BounceFacts(deliveryStatus: many)).recipients.count, BounceReport.maxRecipients)
        let junk = String(repeating: "error a@b.example ", count: 100_000)
        XCTAssertLessThanOrEqual(BounceReport.interpret(BounceFacts(text: junk)).recipients.count, BounceReport.maxRecipients)
    }
}

extension BounceReportTests {
    func testPrefersTheAddressWeSentToOverARewrittenFinalRecipient() {
        let status = "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; r@mx.example.jp\nOriginal-Recipient: rfc822;kijitora@example.org\nAction: failed\nStatus: 5.1.1\n"
        let recipient = BounceReport.interpret(BounceFacts(deliveryStatus: status)).recipients.first
        XCTAssertEqual(recipient?.address, "kijitora@example.org")
        XCTAssertEqual(recipient?.finalRecipient, "r@mx.example.jp")
    }
}
