/// What kind of sender produced an inbound message, for loop defence.
public enum MessageClass: String, Sendable, Equatable, CaseIterable {
    case human
    /// Out-of-office, vacation and other automatic answers, read receipts, abuse reports.
    case autoReply = "auto-reply"
    /// Delivery failure reports (RFC 3464 or a mail server's own format).
    case bounce
    /// Mailing-list and bulk mail.
    case list
    /// Our own mail come back to us.
    case ourOwn = "our-own"

    /// Whether the message may move its ticket's status. Auto-replies and bounces never do.
    public var changesStatus: Bool { self == .human || self == .list }

    /// Whether the message may trigger any automatic mail from us (acknowledgement, notification).
    public var mayTriggerMail: Bool { self == .human }

    /// Whether the message is stored at all (our own mail is dropped with a record).
    public var isStored: Bool { self != .ourOwn }

    /// Precedence when several rules fire: the first listed wins.
    static let precedence: [MessageClass] = [.ourOwn, .bounce, .autoReply, .list, .human]
}

/// A classification with every rule that fired, so `postdesk explain` can say why.
public struct Classification: Sendable, Equatable {
    public var messageClass: MessageClass
    /// Rules that fired, in the order checked, e.g. `auto-submitted: auto-replied`, `null return-path`.
    public var reasons: [String]

    public init(_ messageClass: MessageClass, reasons: [String]) {
        self.messageClass = messageClass
        self.reasons = reasons
    }

    /// One line: `auto-reply (auto-submitted: auto-replied; null return-path)`, or `human`.
    public var explanation: String {
        reasons.isEmpty ? messageClass.rawValue : "\(messageClass.rawValue) (\(reasons.joined(separator: "; ")))"
    }
}
