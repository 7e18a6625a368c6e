import Foundation

/// Bounces without a delivery-status part (qmail, Exim, Gmail, Exchange 2003, Sendmail v5, carriers...):
/// the failed addresses sit near a phrase like "could not be delivered to", or in a list that such a
/// phrase introduces; the code (or, without one, the wording) says whether the failure is permanent.
enum BounceProse {
    /// ASCII or UTF-8 local parts (RFC 6531: `🐈@example.jp` bounces too).
    static let address = try? NSRegularExpression(
        pattern: #"[A-Za-z0-9._%+=!#$&'*/?^`{|}~\x{80}-\x{10FFFF}-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)
    static let messageIDLine = try? NSRegularExpression(
        pattern: #"(?im)^[ \t>]*message-id:[ \t]*(<[^<>\s]+@[^<>\s]+>)"#)
    /// `MAIL FROM:<a@b>` as servers echo the envelope sender (us) back in their error text.
    static let mailFrom = try? NSRegularExpression(pattern: #"(?i)mail from:?\s*<?\s*([^\s<>]+@[^\s<>]+?)\s*(>|\s|$)"#)

    /// Phrases that put the failed address on their line or the next few.
    static let triggers = [
        "could not be delivered", "delivery to the following recipient", "following address", "following recipient",
        "failed recipient", "recipient address rejected", "user unknown", "unknown user", "does not exist",
        "no such user", "mailbox unavailable", "mailbox is full", "undeliverable", "rcpt to", "permanent",
        "was not delivered", "delivery has failed", "delivery failed", "failed:", "not delivered to",
        "unable to deliver", "couldn't be delivered", "message could not", "rejected", "quota",
        "address not found", "host or domain name not found", "smtp error", "error", "unrouteable",
        "failure reasons", "did not reach", "not recognized", "not recognised", "unknown recipient",
        "is unknown", "delivery to", "delayed", "will retry", "failed",
    ]
    /// Phrases that introduce a list of failed addresses, one per line (Exchange, qmail, Gmail, Exim).
    static let listTriggers = [
        "following recipient", "following address", "did not reach", "following destination",
        "wasn't able to deliver your message to the following", "could not be delivered to the following",
        "failed recipient", "unknown recipient",
    ]
    /// Lines that introduce the returned original; its `To:` is the last resort for the recipient.
    static let returnedMarkers = ["returned message", "unsent message", "original message", "copy of the message",
                                  "original text", "undelivered message", "message headers follow", "headers of the original"]
    /// Lines of the returned original's headers and trace: addresses there are not recipients.
    static let skipHeads = ["from:", "return-path:", "received:", "message-id:", "reply-to:", "sender:", "by ",
                            "reporting-mta:", "x-", "dkim", "envelope-from", "references:", "in-reply-to:", "mail from"]

    static func recipients(in text: String, candidates: [String], ignoring ignored: Set<String>) -> [BounceReport.Recipient] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .prefix(3_000).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        let lowered = lines.map { $0.lowercased() }
        let proseEnd = lowered.firstIndex(where: isReturnedMarker) ?? lines.count
        var order: [String] = []
        var lineOf: [String: Int] = [:]
        func add(_ address: String, at index: Int) {
            let normal = Address.normalised(address)
            guard Address.isMailbox(normal), !ignored.contains(normal),
                  !MessageClassifier.daemonSenders.contains(Address.localPart(normal)), lineOf[normal] == nil else { return }
            order.append(normal)
            lineOf[normal] = index
        }
        for address in candidates {
            add(address, at: lowered.firstIndex { $0.contains(address) && !skipHeads.contains(where: $0.trimmingWhitespace().hasPrefix) } ?? -1)
        }
        if order.isEmpty {
            var listEnd = -1
            for (index, lower) in lowered.enumerated() {
                let trimmed = lower.trimmingWhitespace()
                if skipHeads.contains(where: trimmed.hasPrefix) || lower.contains("mail from") { continue }
                if index < proseEnd, listTriggers.contains(where: lower.contains) { listEnd = min(proseEnd, index + 60) }
                // Inside a list: every line that starts with an address names one more failed recipient.
                if index < listEnd, let first = leadingAddress(lines[index]) { add(first, at: index) }
                guard triggers.contains(where: lower.contains) else { continue }
                for near in index..<min(lines.count, index + 4) {
                    let candidate = lowered[near].trimmingWhitespace()
                    if skipHeads.contains(where: candidate.hasPrefix) || candidate.contains("mail from") { continue }
                    for found in addresses(in: lines[near]) { add(found, at: near) }
                }
                if order.count >= BounceReport.maxRecipients { break }
            }
        }
        if order.isEmpty, let marker = lowered.firstIndex(where: { line in returnedMarkers.contains(where: line.contains) }) {
            // A single-recipient original's `To:` is the address that failed.
            for index in marker..<min(lines.count, marker + 60) where lowered[index].hasPrefix("to:") {
                for found in addresses(in: lines[index]) { add(found, at: index) }
                break
            }
        }
        let prose = lines[..<proseEnd].joined(separator: "\n")
        let starts = Set(lineOf.values)
        return order.prefix(BounceReport.maxRecipients).map { address in
            let index = lineOf[address] ?? -1
            let window: String
            if index < 0 || index >= proseEnd {
                window = prose
            } else {
                // From the line before (unless it names an address of its own) to the next recipient's line.
                let from = index > 0 && addresses(in: lines[index - 1]).isEmpty ? index - 1 : index
                var to = index + 1
                while to < min(proseEnd, index + 5), !starts.contains(to) { to += 1 }
                window = lines[from..<to].joined(separator: "\n")
            }
            let coded = EnhancedStatus.first(in: window) ?? EnhancedStatus.smtpCode(in: window)
                ?? EnhancedStatus.first(in: prose) ?? EnhancedStatus.smtpCode(in: prose)
            let diagnosticLine = coded.flatMap { code in lines.first { $0.contains(code) && !EnhancedStatus.isHeaderLine($0[...]) } }
                .map { String($0.trimmingWhitespace().prefix(BounceReport.maxDiagnostic)) }
            if let coded {
                return BounceReport.Recipient(address: address, permanent: coded.hasPrefix("5"), status: coded, diagnostic: diagnosticLine)
            }
            let verdict = BounceWording.verdict(window) ?? BounceWording.verdict(prose)
            return BounceReport.Recipient(address: address, permanent: verdict?.permanent ?? false, status: verdict?.status,
                                          diagnostic: verdict?.line.map { String($0.prefix(BounceReport.maxDiagnostic)) })
        }
    }

    /// A separator before the returned original ("----- Unsent message follows -----",
    /// "--- Below this line is a copy of the message."), not prose that mentions "your original message".
    static func isReturnedMarker(_ lower: String) -> Bool {
        guard returnedMarkers.contains(where: lower.contains) else { return false }
        return lower.contains("--") || lower.contains("==") || lower.contains("follow") || lower.contains("below")
            || lower.trimmingWhitespace().hasSuffix(":")
    }

    /// The address a line starts with (`  <a@b>:`, `a@b on Thu...`, `"a@b"`), if it does.
    static func leadingAddress(_ line: String) -> String? {
        let body = line.drop { $0 == " " || $0 == "\t" || $0 == "<" || $0 == "\"" || $0 == "'" }
        guard let first = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { return nil }
        let token = String(first)
        guard let found = addresses(in: token).first, token.hasPrefix(found) else { return nil }
        return found
    }

    /// Addresses the error text echoes as the envelope sender: `MAIL FROM:<support@desk.example>`.
    static func senderEchoes(in text: String) -> [String] {
        guard let regex = mailFrom, text.range(of: "mail from", options: .caseInsensitive) != nil else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).prefix(20).compactMap { Range($0.range(at: 1), in: text) }
            .map { Address.normalised(String(text[$0])) }
    }

    static func addresses(in text: String) -> [String] {
        guard let regex = address else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).prefix(20).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// The first `Message-ID:` line in the prose (the returned original's header, quoted inline).
    static func messageID(in text: String) -> String? {
        guard let regex = messageIDLine else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        guard let found = regex.firstMatch(in: text, range: range), let r = Range(found.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }
}
