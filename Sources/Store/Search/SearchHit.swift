/// One ticket found by a search, with the document (message or note) that matched best.
public struct SearchHit: Sendable, Equatable {
    public var ticketID: Int64
    public var ticketNumber: Int64
    /// The ticket's subject.
    public var subject: String
    public var status: String
    /// The index document's id (the key for `SearchIndex.snippets`).
    public var document: Int64
    public var messageRow: Int64?
    public var noteEvent: Int64?
    /// When the matching message or note was stored (unix seconds).
    public var at: Int64
    /// FTS5's BM25 rank: lower is better.
    public var rank: Double
}
