/// How this instance writes and recognises ticket tags. Built from config plus the signing key.
public struct TicketTagFormat: Sendable {
    /// Written into every tag we send, e.g. "ACME" → `[ACME #1234]`; "" → `[#1234]`.
    public var prefix: String
    /// Other prefixes still recognised as ours (an earlier prefix, say). "" is always recognised.
    public var acceptedPrefixes: [String]
    /// Characters of token we write; 0 turns tokens off for new tags.
    public var tokenLength: Int
    /// Our mailbox addresses whose `+N` form names a ticket, e.g. "support@example.com".
    public var plusAddressBases: [String]
    let key: SigningKey

    /// Digits accepted in a ticket number; more is not a ticket of ours and could overflow.
    static let maxDigits = 9
    /// Longest token accepted when reading: a full-length MAC prefix is never needed.
    static let maxTokenLength = 32

    public init(key: SigningKey, prefix: String = "", tokenLength: Int = 5,
                acceptedPrefixes: [String] = [], plusAddressBases: [String] = []) {
        self.key = key
        self.prefix = prefix.trimmingWhitespace()
        self.tokenLength = max(0, min(tokenLength, 20))
        self.acceptedPrefixes = acceptedPrefixes
        self.plusAddressBases = plusAddressBases
    }

    // MARK: - Writing

    /// The token for ticket `number`: the first characters of base32(HMAC(key, "tag:<number>")).
    public func token(for number: Int) -> String { String(fullToken(for: number).prefix(tokenLength)) }

    func fullToken(for number: Int) -> String { Base32.encode(key.mac("tag:\(number)")) }

    /// The tag we write for a ticket, with a token when tokens are on.
    public func tag(for number: Int) -> TicketTag {
        TicketTag(number: number, token: tokenLength > 0 ? token(for: number) : nil, prefix: prefix.lowercased())
    }

    /// `[#1234]`, `[ACME #1234]` or `[#1234-k7f3q]` for ticket `number`.
    public func text(for number: Int) -> String {
        let head = prefix.isEmpty ? "[#" : "[\(prefix) #"
        return tokenLength > 0 ? "\(head)\(number)-\(token(for: number))]" : "\(head)\(number)]"
    }

    /// `base+1234-token@domain` for the first plus-address base, or nil when none is configured.
    public func plusAddress(for number: Int) -> String? {
        guard let base = plusAddressBases.first, let at = base.lastIndex(of: "@") else { return nil }
        let suffix = tokenLength > 0 ? "\(number)-\(token(for: number))" : "\(number)"
        return "\(base[..<at])+\(suffix)\(base[at...])"
    }

    /// The subject we send for ticket `number`: any of our old tags removed, the canonical tag in front.
    public func subject(_ subject: String, taggedWith number: Int) -> String {
        let rest = strippingTags(from: subject)
        return rest.isEmpty ? text(for: number) : "\(text(for: number)) \(rest)"
    }

    // MARK: - Checking

    /// True when `token` was made by our key for `number`. Constant-time; a token may be longer than
    /// `tokenLength` (written before the length was lowered) but never shorter.
    public func isValid(token: String, for number: Int) -> Bool {
        let candidate = token.lowercased()
        let minimum = tokenLength > 0 ? tokenLength : 5
        guard candidate.utf8.count >= minimum, candidate.utf8.count <= TicketTagFormat.maxTokenLength else { return false }
        let expected = String(fullToken(for: number).prefix(candidate.utf8.count))
        return ConstantTime.equals(candidate, expected)
    }

    /// Whether a prefix read from a subject is one of ours.
    func accepts(prefix candidate: String) -> Bool {
        let normal = candidate.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if normal.isEmpty { return true }
        return ([prefix] + acceptedPrefixes).contains {
            $0.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") == normal
        }
    }
}
