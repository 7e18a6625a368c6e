import Foundation

/// The plus-address of a satisfaction link: `support+rate-1234-good-<token>@example.com`, the
/// token signed by the instance key for that ticket and verdict (`MessageIDSigner.ratingToken`).
public struct RatingAddress: Sendable, Equatable {
    public var ticket: Int
    public var verdict: RatingVerdict
    /// As written in the address, lowercased; unchecked until `isSigned`.
    public var token: String

    public init(ticket: Int, verdict: RatingVerdict, token: String) {
        self.ticket = ticket
        self.verdict = verdict
        self.token = token
    }

    /// The signed address for `ticket` and `verdict` on `base` (a queue's address); nil when
    /// `base` is not an address.
    public static func signed(base: String, ticket: Int, verdict: RatingVerdict, signer: MessageIDSigner) -> String? {
        let detail = "rate-\(ticket)-\(verdict.rawValue)-\(signer.ratingToken(ticket: ticket, verdict: verdict.rawValue))"
        return Address.plus(base, detail: detail)
    }

    /// A `mailto:` link to the signed address with a prefilled subject ("Rating: Good [#1234]").
    public static func mailto(base: String, ticket: Int, verdict: RatingVerdict, tag: String, language: String,
                              signer: MessageIDSigner) -> String? {
        signed(base: base, ticket: ticket, verdict: verdict, signer: signer)
            .map { mailto(address: $0, verdict: verdict, tag: tag, language: language) }
    }

    /// A `mailto:` link to `address` with the verdict's prefilled subject in `language`.
    public static func mailto(address: String, verdict: RatingVerdict, tag: String, language: String) -> String {
        let subject = "\(RatingVerdict.title(language: language)): \(verdict.word(language: language)) \(tag)"
        // RFC 6068: the address as is (plain ASCII), the subject as percent-encoded UTF-8.
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        let encoded = subject.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return "mailto:\(address)?subject=\(encoded)"
    }

    /// Every distinct rating address among `addresses` on one of our `bases`, in order: those
    /// that read as `base+rate-N-verdict-token@domain` (signatures not checked here).
    public static func find(in addresses: [String], bases: [String]) -> [RatingAddress] {
        var found: [RatingAddress] = []
        for address in addresses.prefix(200) {
            let lower = Address.normalised(address)
            guard lower.utf8.count <= 320, let at = lower.lastIndex(of: "@") else { continue }
            let local = lower[..<at], domain = lower[lower.index(after: at)...]
            for base in bases {
                let b = Address.normalised(base)
                guard let baseAt = b.lastIndex(of: "@"), b[b.index(after: baseAt)...] == domain else { continue }
                let head = b[..<baseAt] + "+rate-"
                guard local.hasPrefix(head), let parsed = parse(local.dropFirst(head.count)) else { continue }
                if !found.contains(parsed) { found.append(parsed) }
                break
            }
        }
        return found
    }

    /// `1234-good-<token>`.
    static func parse(_ detail: Substring) -> RatingAddress? {
        let parts = detail.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].count <= TicketTagFormat.maxDigits,
              parts[0].unicodeScalars.allSatisfy(\.isASCIIDigit), let number = Int(parts[0]), number > 0,
              let verdict = RatingVerdict(rawValue: String(parts[1])),
              !parts[2].isEmpty, parts[2].count <= 64, Base32.isEncoded(parts[2]) else { return nil }
        return RatingAddress(ticket: number, verdict: verdict, token: String(parts[2]))
    }

    /// Whether the token is ours for exactly this ticket and verdict.
    public func isSigned(by signer: MessageIDSigner) -> Bool {
        signer.isRatingToken(token, ticket: ticket, verdict: verdict.rawValue)
    }
}

extension Address {
    /// `base` with a `+detail` before the "@": `support@example.com` → `support+detail@example.com`.
    public static func plus(_ base: String, detail: String) -> String? {
        let b = normalised(base)
        guard let at = b.lastIndex(of: "@"), at != b.startIndex else { return nil }
        return "\(b[..<at])+\(detail)\(b[at...])"
    }
}
