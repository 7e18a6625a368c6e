import Daemon
import Foundation
import Store

/// Test mail fed straight to an `Intake`, as one mailbox would deliver it: each message gets the
/// next UID, so a message is taken in once per delivery (not a duplicate of the last).
public final class IntakeFeed {
    public let mailbox: String
    /// The UID of the last message delivered.
    public private(set) var uid: Int64 = 0

    public init(mailbox: String = "support") { self.mailbox = mailbox }

    /// Delivers `text` (LF line ends, sent as CRLF).
    @discardableResult
    public func deliver(_ text: String, to intake: Intake) throws -> IntakeOutcome {
        try deliver(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), to: intake)
    }

    @discardableResult
    public func deliver(raw: [UInt8], to intake: Intake) throws -> IntakeOutcome {
        uid += 1
        return try intake.ingest(raw: raw, key: DeliveryKey(mailbox: mailbox, uidValidity: 1, uid: uid, action: "seen"))
    }

    /// A plain text mail to the desk; `headers` are extra lines, each ending in LF.
    public static func mail(from: String, to: String = "support@example.test", subject: String, id: String,
                            date: String? = "Mon, 23 Nov 2026 10:00:00 +0000", headers: String = "", body: String = "Hello") -> String {
        "From: \(from)\nTo: \(to)\nSubject: \(subject)\nMessage-ID: <\(id)>\n\(date.map { "Date: \($0)\n" } ?? "")\(headers)\n\(body)\n"
    }
}
