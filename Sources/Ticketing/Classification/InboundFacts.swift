/// What Ticketing needs to know about one inbound message, in plain values.
/// The intake fills it from the parsed MIME message; nothing here depends on MIME's types.
public struct InboundFacts: Sendable, Equatable {
    /// Sender's addr-spec (`From`), as written; compared case-insensitively.
    public var from: String
    public var fromName: String
    public var to: [String]
    public var cc: [String]
    /// Envelope recipients the server recorded (`Delivered-To`, `X-Original-To`), for plus-addresses.
    public var deliveredTo: [String]
    /// Decoded subject.
    public var subject: String
    /// Message-IDs with angle brackets, as written.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    /// Every header, decoded, in message order.
    public var headers: [HeaderField]
    /// `Return-Path` address: nil when absent, "" for the null sender `<>`.
    public var returnPath: String?
    /// The text body (plain, or text rendered from HTML), for body hashes and bounce text.
    public var bodyText: String
    /// `report-type` of a top-level `multipart/report` ("delivery-status", "disposition-notification",
    /// "feedback-report"), lowercased; nil otherwise.
    public var reportType: String?
    /// The parts of a bounce, when the message has them (see `BounceFacts`).
    public var bounce: BounceFacts?

    public init(from: String, fromName: String = "", to: [String] = [], cc: [String] = [],
                deliveredTo: [String] = [], subject: String = "", messageID: String? = nil,
                inReplyTo: [String] = [], references: [String] = [], headers: [HeaderField] = [],
                returnPath: String? = nil, bodyText: String = "", reportType: String? = nil,
                bounce: BounceFacts? = nil) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.cc = cc
        self.deliveredTo = deliveredTo
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.headers = headers
        self.returnPath = returnPath
        self.bodyText = bodyText
        self.reportType = reportType
        self.bounce = bounce
    }

    /// The sender, lowercased and trimmed: the form participant sets are keyed by.
    public var sender: String { Address.normalised(from) }

    /// Hash of the body with whitespace runs collapsed, so a re-wrapped copy hashes the same.
    public var bodyHash: String { BodyHash.of(bodyText) }
}

/// Hash of body text for repeat checks: whitespace-insensitive SHA-256 hex.
public enum BodyHash {
    public static func of(_ text: String) -> String {
        var hasher = SHA256()
        var first = true
        for word in text.split(whereSeparator: { $0.isWhitespace }) {
            if !first { hasher.update(" ".utf8) }
            hasher.update(word.utf8)
            first = false
        }
        return Hex.encode(hasher.finalize())
    }
}

/// Address spelling rules shared by threading, rate limits and bounces.
public enum Address {
    /// Lowercased, trimmed, angle brackets removed: `<Jo@Example.COM>` → `jo@example.com`.
    public static func normalised(_ address: String) -> String {
        var text = Substring(address.trimmingWhitespace())
        if text.hasPrefix("<") { text = text.dropFirst() }
        if text.hasSuffix(">") { text = text.dropLast() }
        return String(text).trimmingWhitespace().lowercased()
    }

    /// Whether a normalised address can receive mail: `local@domain.tld` (or a bracketed literal).
    /// Not a pipe (`|/usr/bin/procmail`), a file path, a bare `@domain` or a bare local part,
    /// which MTAs put in `Final-Recipient` after aliasing.
    public static func isMailbox(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@"), at != address.startIndex,
              let first = address.first, first != "|", first != "/", first != "@" else { return false }
        let domain = address[address.index(after: at)...]
        guard !domain.isEmpty, !address.contains(where: { $0 == " " || $0 == "\t" || $0 == "," }) else { return false }
        return domain.hasPrefix("[") || (domain.contains(".") && !domain.hasSuffix(".") && !domain.hasPrefix("."))
    }

    /// The part before the last `@` (or the whole when there is none), lowercased.
    public static func localPart(_ address: String) -> String {
        let normal = normalised(address)
        guard let at = normal.lastIndex(of: "@") else { return normal }
        return String(normal[..<at])
    }
}
