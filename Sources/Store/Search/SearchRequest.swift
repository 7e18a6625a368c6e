/// What `SearchIndex.search` looks for: an FTS5 query and the filters on the tickets found.
public struct SearchRequest: Sendable, Equatable {
    public enum Order: String, Sendable, CaseIterable {
        /// BM25 rank (words in the subject, rare words and short texts count most).
        case best
        /// The ticket with the latest matching message or note first.
        case newest
    }

    /// FTS5 query text (make it with `SearchQuery.fts` from what a user typed).
    public var query: String
    public var status: String?
    public var queue: String?
    /// The ticket's requester address.
    public var requester: String?
    /// Only documents written at or after this time (unix seconds).
    public var since: Int64?
    public var limit: Int
    public var order: Order
    /// How many of the newest matching documents are ranked (bounds the cost of a common word).
    public var window: Int

    public static let defaultWindow = 5000

    public init(query: String, status: String? = nil, queue: String? = nil, requester: String? = nil, since: Int64? = nil,
                limit: Int = 20, order: Order = .best, window: Int = SearchRequest.defaultWindow) {
        self.query = query
        self.status = status
        self.queue = queue
        self.requester = requester
        self.since = since
        self.limit = limit
        self.order = order
        self.window = max(window, limit)
    }
}
