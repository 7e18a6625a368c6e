/// The seam between the outbox and an SMTP server. The real one is `CurlMailSender`;
/// tests record what would have been sent.
public protocol MailSender: AnyObject {
    /// Sends `raw` from `envelopeFrom` to `recipients`. Throws `SendFailure`.
    func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws
    func close()
}

/// Why a send failed, and whether trying again later can help.
public struct SendFailure: Error, CustomStringConvertible {
    public let message: String
    /// 4xx replies, connection problems: retry with backoff. 5xx: give up on this mail.
    public let temporary: Bool
    public let kind: String
    public init(message: String, temporary: Bool, kind: String) {
        self.message = message
        self.temporary = temporary
        self.kind = kind
    }
    public var description: String { message }
}
