/// A search that could not run because of what was asked, not because of the store.
public enum SearchError: Error, Equatable, CustomStringConvertible {
    /// FTS5 could not read the query; `detail` is its complaint without SQL.
    case malformedQuery(detail: String)

    public var description: String {
        switch self {
        case .malformedQuery(let detail): return "cannot read the search query: \(detail)"
        }
    }

    /// The search statement is fixed and valid, so a plain SQLITE_ERROR while it runs is FTS5
    /// refusing the query (`fts5: syntax error near "("`, `unterminated string`, `no such column: x`
    /// for an `x:word` filter); anything else (busy, I/O) is the store's failure.
    static func from(_ error: StoreError) -> Error {
        guard case .sqlite(let code) = error.kind, code == 1 else { return error }
        let m = error.message
        if m.hasPrefix("no such column: ") {
            return SearchError.malformedQuery(detail: "unknown field '\(m.dropFirst(16))' (fields are subject and body)")
        }
        return SearchError.malformedQuery(detail: m.hasPrefix("fts5: ") ? String(m.dropFirst(6)) : m)
    }
}
