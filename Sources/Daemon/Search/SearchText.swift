import MIME
import Store

/// What the search index holds for a message, from its parse: the new text of a reply
/// (quoted history and signature left out, so an old answer is found once, where it was
/// written), else the whole text. The intake, the backfill and the snippets all use this.
public enum SearchText {
    /// `replyText`: `ReplyText.extract(text)` when the caller made it already.
    public static func body(text: String?, replyText: String? = nil) -> String? {
        guard let text else { return nil }
        let reply = replyText ?? ReplyText.extract(text)
        return reply.isEmpty ? text : reply
    }

    public static func body(raw: [UInt8]) -> String? {
        body(text: Message.parse(raw).text)
    }

    /// Indexes the stored messages older than the index, `batch` per transaction; `progress`
    /// gets the number indexed so far after each batch. Returns the total.
    @discardableResult
    public static func backfill(_ db: Database, batch: Int = 500,
                                progress: (Int) -> Void = { _ in }) throws -> Int {
        let index = SearchIndex(db: db)
        var total = 0
        while true {
            let n = try index.backfill(limit: batch) { body(raw: $0.raw) }
            if n == 0 { break }
            total += n
            progress(total)
        }
        return total
    }
}
