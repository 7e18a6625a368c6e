import Foundation

/// Bounces without a delivery-status part (qmail, Exim, Gmail, Exchange 2003, carriers...):
/// the failed address sits near a phrase like "could not be delivered to", the code near the address.
enum BounceProse {
    static let address = try? NSRegularExpression(
        pattern: #"[A-Za-z0-9._%+=!#$&'*/?^`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)
    static let messageIDLine = try? NSRegularExpression(
        pattern: #"(?im)^[ \t>]*message-id:[ \t]*(<[^<>\s]+@[^<>\s]+>)"#)

    /// Phrases that put the failed address on their line or the next few.
    static let triggers = [
        "could not be delivered", "delivery to the following recipient", "following address", "following recipient",
        "failed recipient", "recipient address rejected", "user unknown", "unknown user", "does not exist",
        "no such user", "mailbox unavailable", "mailbox is full", "undeliverable", "rcpt to", "permanent",
        "was not delivered", "delivery has failed", "delivery failed", "failed:", "not delivered to",
        "unable to deliver", "couldn't be delivered", "message could not", "rejected", "quota",
        "address not found", "host or domain name not found", "smtp error", "error", "unrouteable",
        "failure reasons",
    ]
    /// Lines that introduce the returned original; its `To:` is the last resort for the recipient.
    static let returnedMarkers = ["returned message", "unsent message", "original message", "copy of the message",
                                  "original text", "undelivered message"]
    /// Lines of the returned original's headers and trace: addresses there are not recipients.
    static let skipHeads = ["from:", "return-path:", "received:", "message-id:", "reply-to:", "sender:", "by ",
                            "reporting-mta:", "x-", "dkim", "envelope-from", "references:", "in-reply-to:"]
    static let permanentPhrases = [
        "permanent", "user unknown", "unknown user", "does not exist", "no such user", "mailbox unavailable",
        "address rejected", "not found", "invalid", "disabled", "no mailbox", "unknown recipient",
    ]

    static func recipients(in text: String, failedHeader: [String]) -> [BounceReport.Recipient] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .prefix(3_000).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        var order: [String] = []
        var lineOf: [String: Int] = [:]
        func add(_ address: String, at index: Int) {
            let normal = Address.normalised(address)
            guard !normal.isEmpty, !MessageClassifier.daemonSenders.contains(Address.localPart(normal)),
                  lineOf[normal] == nil else { return }
            order.append(normal)
            lineOf[normal] = index
        }
        for header in failedHeader { for found in addresses(in: header) { add(found, at: -1) } }
        if order.isEmpty {
            for (index, line) in lines.enumerated() {
                let lower = line.lowercased()
                guard triggers.contains(where: lower.contains) else { continue }
                for near in index..<min(lines.count, index + 4) {
                    let candidate = lines[near].lowercased().trimmingWhitespace()
                    if skipHeads.contains(where: candidate.hasPrefix) { continue }
                    for found in addresses(in: lines[near]) { add(found, at: near) }
                }
                if order.count >= BounceReport.maxRecipients { break }
            }
        }
        if order.isEmpty, let marker = lines.firstIndex(where: { line in returnedMarkers.contains(where: line.lowercased().contains) }) {
            // A single-recipient original's `To:` is the address that failed.
            for index in marker..<min(lines.count, marker + 60) where lines[index].lowercased().hasPrefix("to:") {
                for found in addresses(in: lines[index]) { add(found, at: index) }
                break
            }
        }
        return order.prefix(BounceReport.maxRecipients).map { address in
            let index = lineOf[address] ?? -1
            let window = index < 0 ? lines.prefix(60).joined(separator: "\n")
                : lines[max(0, index - 1)..<min(lines.count, index + 4)].joined(separator: "\n")
            let status = EnhancedStatus.first(in: window) ?? EnhancedStatus.smtpCode(in: window)
                ?? EnhancedStatus.first(in: text) ?? EnhancedStatus.smtpCode(in: text)
            let diagnosticLine = lines.first { line in status.map { line.contains($0) } ?? false }
                .map { String($0.trimmingWhitespace().prefix(BounceReport.maxDiagnostic)) }
            let permanent: Bool
            if let status { permanent = status.hasPrefix("5") }
            else { permanent = permanentPhrases.contains(where: window.lowercased().contains) }
            return BounceReport.Recipient(address: address, permanent: permanent, status: status, diagnostic: diagnosticLine)
        }
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
