import Foundation

/// What a bounce says: which recipients failed, permanently or not, and which message of ours it returns.
/// Read from an RFC 3464 delivery-status part when there is one, else from the bounce's prose.
public struct BounceReport: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        /// Normalised failed address.
        public var address: String
        /// A 5.x.x (or 5xx, or RFC 3464 `failed`) failure: stop mailing this address.
        public var permanent: Bool
        /// Enhanced status code (`5.1.1`) or the bare SMTP reply code (`550`) when that is all there is.
        public var status: String?
        /// RFC 3464 `Action` (`failed`, `delayed`), nil for prose bounces.
        public var action: String?
        /// The server's words (Diagnostic-Code or the prose line), at most 300 characters.
        public var diagnostic: String?
        /// RFC 3464 `Final-Recipient` when it differs from the address we sent to.
        public var finalRecipient: String?

        public init(address: String, permanent: Bool, status: String? = nil, action: String? = nil, diagnostic: String? = nil,
                    finalRecipient: String? = nil) {
            self.address = address
            self.finalRecipient = finalRecipient
            self.permanent = permanent
            self.status = status
            self.action = action
            self.diagnostic = diagnostic
        }
    }

    public var recipients: [Recipient]
    /// The returned original's Message-ID (brackets included), if found.
    public var originalMessageID: String?
    /// True when the recipients came from a machine-readable delivery-status part.
    public var isStandard: Bool

    public var hasPermanentFailure: Bool { recipients.contains(where: \.permanent) }

    static let maxRecipients = 20
    static let maxDiagnostic = 300
    /// Bounce text beyond this is not read: the interesting part is at the top.
    static let maxTextScan = 64 * 1024

    /// Interprets a bounce. `ignoring`: our own addresses, never reported as failed recipients.
    /// Neither are the bounce's own sender and addressee, the returned original's sender, an address echoed
    /// after `MAIL FROM:`, nor anything that cannot receive mail (a pipe, a path, a bare domain).
    public static func interpret(_ facts: BounceFacts, ignoring: Set<String> = []) -> BounceReport {
        let text = facts.text.utf8.count <= maxTextScan ? facts.text : String(facts.text.prefix(maxTextScan))
        var ignored = Set(ignoring.map(Address.normalised))
        ignored.formUnion(facts.bounceAddresses.map(Address.normalised))
        ignored.formUnion(BounceProse.senderEchoes(in: text))
        if let returned = facts.returnedHeaders { ignored.formUnion(DeliveryStatusText.senders(inHeaders: returned)) }
        let usable = { (address: String) in Address.isMailbox(address) && !ignored.contains(address) }

        let groups = facts.deliveryStatus.map(DeliveryStatusText.recipients) ?? []
        let failedHeader = facts.failedRecipients.flatMap(BounceProse.addresses(in:)).map(Address.normalised).filter(usable)
        var recipients: [Recipient]
        var standard = false
        if !failedHeader.isEmpty {
            // X-Failed-Recipients (Exim) names the addresses; a delivery-status group lends its status,
            // even when its Final-Recipient is an alias target such as a pipe or a file.
            recipients = BounceProse.recipients(in: text, candidates: failedHeader, ignoring: ignored)
            for index in recipients.indices {
                let address = recipients[index].address
                let group = groups.first { $0.address == address || $0.finalRecipient == address }
                    ?? groups.first { !Address.isMailbox($0.address) } ?? (groups.count == 1 ? groups.first : nil)
                guard var group else { continue }
                group.address = address
                if group.finalRecipient.map(Address.isMailbox) == false || group.finalRecipient == address { group.finalRecipient = nil }
                recipients[index] = group
                standard = true
            }
        } else {
            recipients = groups.filter { usable($0.address) }
            if recipients.isEmpty, let notification = BounceNotificationJSON.recipients(in: text) {
                recipients = notification.filter { usable($0.address) }
            }
            standard = !recipients.isEmpty
            if recipients.isEmpty { recipients = BounceProse.recipients(in: text, candidates: [], ignoring: ignored) }
        }
        let original = facts.returnedHeaders.flatMap(DeliveryStatusText.messageID(inHeaders:))
            ?? BounceProse.messageID(in: text)
        return BounceReport(recipients: Array(recipients.prefix(maxRecipients)), originalMessageID: original, isStandard: standard)
    }
}

/// RFC 3464 `message/delivery-status` bodies: groups of header-like fields separated by blank lines.
enum DeliveryStatusText {
    static func recipients(_ text: String) -> [BounceReport.Recipient] {
        var out: [BounceReport.Recipient] = []
        for group in fieldGroups(text) {
            // Original-Recipient is the address we gave (RCPT TO); Final-Recipient may be a rewritten alias.
            guard let recipientField = group["original-recipient"] ?? group["final-recipient"] else { continue }
            let address = Address.normalised(afterType(recipientField))
            let final = group["final-recipient"].map { Address.normalised(afterType($0)) }
            let action = group["action"].map { $0.trimmingWhitespace().lowercased() }
            if let action, ["delivered", "relayed", "expanded"].contains(action) { continue }
            let status = group["status"].flatMap { EnhancedStatus.first(in: $0) }
            if let status, status.hasPrefix("2") { continue }
            let diagnostic = group["diagnostic-code"].map { String(afterType($0).prefix(BounceReport.maxDiagnostic)) }
            let permanent: Bool
            if let status { permanent = status.hasPrefix("5") }
            else if let code = diagnostic.flatMap(EnhancedStatus.first(in:)) ?? diagnostic.flatMap(EnhancedStatus.smtpCode(in:)) {
                permanent = code.hasPrefix("5")
            } else { permanent = action == "failed" }
            out.append(.init(address: address, permanent: permanent, status: status, action: action, diagnostic: diagnostic,
                             finalRecipient: final == address ? nil : final))
            if out.count >= BounceReport.maxRecipients { break }
        }
        return out
    }

    /// `rfc822; user@example.com` → `user@example.com`.
    static func afterType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmingWhitespace() }
        return String(value[value.index(after: semicolon)...]).trimmingWhitespace()
    }

    /// Field groups, names lowercased, continuation lines unfolded; the first of a repeated name wins.
    static func fieldGroups(_ text: String) -> [[String: String]] {
        var groups: [[String: String]] = []
        var current: [String: String] = [:]
        var lastName: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).prefix(2_000) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0.isWhitespace }) {
                if !current.isEmpty { groups.append(current) }
                current = [:]; lastName = nil
                continue
            }
            if let first = line.first, first == " " || first == "\t", let name = lastName {
                current[name, default: ""] += " " + line.trimmingWhitespace()
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingWhitespace().lowercased()
            // Two groups run together without a blank line: a per-recipient field comes again, or an
            // Original-Recipient follows a finished group.
            let repeated = current[name] != nil && DeliveryStatusText.perRecipient.contains(name)
            let nextOriginal = name == "original-recipient" && current["final-recipient"] != nil && current["action"] != nil
            if repeated || nextOriginal {
                groups.append(current)
                current = [:]
            }
            if current[name] == nil { current[name] = String(line[line.index(after: colon)...]).trimmingWhitespace() }
            lastName = name
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    static let perRecipient: Set<String> = ["final-recipient", "original-recipient", "action", "status"]

    /// `From`, `Sender` and `Return-Path` addresses of the returned original: its sender, us.
    static func senders(inHeaders text: String) -> [String] {
        guard let group = fieldGroups(text).first else { return [] }
        return ["from", "sender", "return-path"].compactMap { group[$0] }.flatMap(BounceProse.addresses(in:)).map(Address.normalised)
    }

    static func messageID(inHeaders text: String) -> String? {
        for group in fieldGroups(text).prefix(1) {
            if let value = group["message-id"], let id = MessageIDText.first(in: value) { return id }
        }
        return nil
    }
}

/// `<...@...>` tokens.
enum MessageIDText {
    static func first(in text: String) -> String? {
        guard let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") else { return nil }
        let id = String(text[open...close])
        return id.contains("@") && id.utf8.count <= 300 ? id : nil
    }
}

/// Status codes in free text, read only from diagnostic lines: never from a header line of the
/// returned original (Message-ID, Received, Date...) nor from inside a token like `<...F437-...>`.
enum EnhancedStatus {
    static let enhanced = try? NSRegularExpression(pattern: #"(?<![0-9A-Za-z.<_=-])([245])\.([0-9]{1,3})\.([0-9]{1,3})(?![0-9])"#)
    static let smtp = try? NSRegularExpression(pattern: #"(?<![^\s:;(\[])([45][0-9][0-9])(?=[ -]|$)"#)
    /// Header fields whose values carry dates, IDs and trace numbers rather than a server's verdict.
    static let headerNames = ["message-id", "references", "in-reply-to", "received", "date", "x-", "dkim-", "subject",
                              "content-", "thread-", "arc-", "authentication-results", "return-path", "from:", "to:", "cc:",
                              "sent:", "mime-version", "list-", "user-agent", "x-mailer"]

    /// The first `5.1.1`-style code in `text`.
    static func first(in text: String) -> String? { match(enhanced, text) }
    /// The first bare SMTP reply code (`550 `, `452-`) in `text`.
    static func smtpCode(in text: String) -> String? { match(smtp, text) }

    /// Whether `line` is a header field of a quoted message (no status codes there).
    static func isHeaderLine(_ line: Substring) -> Bool {
        let lower = line.drop { $0 == " " || $0 == "\t" || $0 == ">" }.prefix(24).lowercased()
        guard lower.contains(":") || lower.hasPrefix("x-") else { return false }
        return headerNames.contains { lower.hasPrefix($0) }
    }

    private static func match(_ regex: NSRegularExpression?, _ text: String) -> String? {
        guard let regex else { return nil }
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) where !isHeaderLine(line) {
            let lineText = String(line)
            let range = NSRange(lineText.startIndex..., in: lineText)
            if let found = regex.firstMatch(in: lineText, range: range), let r = Range(found.range, in: lineText) { return String(lineText[r]) }
        }
        return nil
    }
}
