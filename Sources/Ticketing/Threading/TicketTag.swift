/// A ticket reference found in (or written into) a subject line or plus-address:
/// `[#1234]`, `[ACME #1234]`, `[#1234-k7f3q]`, `support+1234-k7f3q@example.com`.
public struct TicketTag: Sendable, Equatable {
    public enum Source: String, Sendable {
        case subject
        case plusAddress = "plus-address"
    }

    public var number: Int
    /// The token as written (lowercased); nil when the tag carried none.
    public var token: String?
    /// The prefix as written, lowercased and trimmed ("" for `[#1234]`).
    public var prefix: String
    public var source: Source

    public init(number: Int, token: String? = nil, prefix: String = "", source: Source = .subject) {
        self.number = number
        self.token = token
        self.prefix = prefix
        self.source = source
    }
}
