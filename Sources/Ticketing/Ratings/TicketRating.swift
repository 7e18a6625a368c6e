/// A satisfaction rating a message gives its ticket: the verdict of the link used and what the
/// customer wrote with it. Recorded as a `rating` event; the ticket's last rating counts.
public struct TicketRating: Sendable, Equatable {
    public var verdict: RatingVerdict
    /// The new text of the mail (quoted history cut), trimmed and clipped; nil when empty.
    public var comment: String?

    /// Longest comment kept on the event (the whole mail stays stored with the ticket).
    public static let commentLimit = 1_000

    public init(verdict: RatingVerdict, comment: String?) {
        self.verdict = verdict
        let text = (comment ?? "").trimmingWhitespace()
        self.comment = text.isEmpty ? nil : String(text.prefix(TicketRating.commentLimit))
    }
}
