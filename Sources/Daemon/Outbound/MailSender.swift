/// The seam between the outbox and an SMTP server. The real one is `CurlMailSender`;
/// tests record what would have been sent.
public protocol MailSender: AnyObject {
    /// Sends `raw` from `envelopeFrom` to `recipients`. Returns the recipients the server refused
    /// while taking the mail for the others; throws `SendFailure` when nobody got it.
    func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws -> [RecipientRefusal]
    /// Ends the connection (the outbox does after each flush).
    func close()
}

/// One recipient the server would not take, by its reply to RCPT TO.
public struct RecipientRefusal: Sendable, Equatable, CustomStringConvertible {
    public var recipient: String
    public var code: Int
    public var text: String

    public init(recipient: String, code: Int, text: String) {
        self.recipient = recipient
        self.code = code
        self.text = text
    }

    /// 4xx: try that recipient later.
    public var temporary: Bool { code < 500 }

    /// The enhanced status code at the start of the reply text (RFC 3463), e.g. "5.1.1".
    public var enhancedStatus: String? {
        let head = text.prefix { !$0.isWhitespace }
        let parts = head.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return String(head)
    }

    /// The address itself is bad (5.1.x: no such user, bad domain, bad syntax; or a bare 550/553
    /// without an enhanced code): stop mailing it. Other 5xx (policy, full mailbox) fail this mail only.
    public var addressIsBad: Bool {
        guard !temporary else { return false }
        if let status = enhancedStatus { return status.hasPrefix("5.1.") }
        return code == 550 || code == 553
    }

    public var description: String { "\(recipient) \(code) \(text)" }
}

/// Why a send failed, and whether trying again later can help.
public struct SendFailure: Error, CustomStringConvertible {
    public let message: String
    /// 4xx replies, connection problems: retry with backoff. 5xx: give up on this mail.
    public let temporary: Bool
    public let kind: String
    /// When every recipient was refused: each one's reply.
    public var refused: [RecipientRefusal] = []
    public init(message: String, temporary: Bool, kind: String, refused: [RecipientRefusal] = []) {
        self.message = message
        self.temporary = temporary
        self.kind = kind
        self.refused = refused
    }
    public var description: String { message }
}
