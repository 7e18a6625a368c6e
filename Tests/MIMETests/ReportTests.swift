import Foundation
import MIME
import TestSupport
import XCTest

/// Delivery status notifications and read receipts.
final class ReportTests: XCTestCase {
    func testDeliveryStatusFieldsRecipientsAndTheReturnedMessageID() throws {
        let bytes = Array(try Data(contentsOf: Fixtures.url("mime/delivery-status.eml")))
        let m = Message.parse(bytes)
        let dsn = try XCTUnwrap(m.deliveryStatus)
        XCTAssertEqual(dsn.messageFields["reporting-mta"], "dns; mx.example.com")
        XCTAssertEqual(dsn.recipients.count, 2)
        XCTAssertEqual(dsn.recipients[0].finalRecipient, "nobody@example.org")
        XCTAssertEqual(dsn.recipients[0].originalRecipient, "Nobody@Example.org")
        XCTAssertEqual(dsn.recipients[0].action, "failed")
        XCTAssertEqual(dsn.recipients[0].status, "5.1.1")
        XCTAssertEqual(dsn.recipients[0].diagnosticCode, "smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected")
        XCTAssertEqual(dsn.recipients[1].action, "delayed")
        XCTAssertEqual(dsn.originalMessageID, "sent-9@example.com")
        XCTAssertEqual(m.text, "Your message could not be delivered.")
        XCTAssertEqual(m.autoSubmitted, "auto-replied")
    }

    func testReturnedMessageAsRFC822GivesItsMessageID() {
        let m = Sample.message("""
            Content-Type: multipart/report; report-type=delivery-status; boundary=r

            --r
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx

            Final-Recipient: rfc822;x@example.org
            Action: failed
            Status: 5.0.0 (permanent failure)
            --r
            Content-Type: message/rfc822

            Message-ID: <orig-1@example.com>
            Subject: hi

            body
            --r--

            """)
        XCTAssertEqual(m.deliveryStatus?.originalMessageID, "orig-1@example.com")
        XCTAssertEqual(m.deliveryStatus?.recipients.first?.status, "5.0.0")
    }

    func testDispositionNotificationFields() throws {
        let m = Message.parse(Array(try Data(contentsOf: Fixtures.url("mime/read-receipt.eml"))))
        let mdn = try XCTUnwrap(m.dispositionNotification)
        XCTAssertEqual(mdn["original-message-id"], "<sent-5@example.com>")
        XCTAssertEqual(mdn["disposition"], "manual-action/MDN-sent-manually; displayed")
        XCTAssertNil(m.deliveryStatus)
    }

    func testOrdinaryMailHasNoReports() {
        let m = Sample.message("Subject: hi\n\nhello\n")
        XCTAssertNil(m.deliveryStatus)
        XCTAssertNil(m.dispositionNotification)
    }
}
