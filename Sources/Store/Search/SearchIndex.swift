/// The full-text index (SQLite FTS5, contentless, `unicode61 remove_diacritics 2`) over what
/// people wrote on tickets. Writers add a document in the same transaction as the message or
/// note it stands for; `search` finds tickets; `snippets` marks the words found in a few texts.
public struct SearchIndex {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// The tokenizer of the index and of the snippet table: the two must agree.
    static let tokenizer = "unicode61 remove_diacritics 2"
    /// Bodies longer than this are indexed by their start only (pasted logs would bloat the index).
    public static let maxBodyCharacters = 64 * 1024

    // MARK: - Writing

    /// Indexes a stored message's subject and text (the new part of a reply, not the quote).
    public func add(messageRow: Int64, subject: String?, body: String?, at: Int64) throws {
        try index(document: addDocument(messageRow: messageRow, at: at), subject: subject, body: body)
    }

    /// The document row of a stored message alone; `index(document:…)` adds its words later in
    /// the same transaction (the intake indexes a batch's messages together).
    public func addDocument(messageRow: Int64, at: Int64) throws -> Int64 {
        try db.execute("INSERT INTO search_documents (message_row, created_at) VALUES (?, ?)", [messageRow, at])
        return db.lastInsertRowID
    }

    /// Indexes an internal note (an event of the ticket).
    public func add(noteEvent eventID: Int64, text: String, at: Int64) throws {
        try db.execute("INSERT INTO search_documents (event_id, created_at) VALUES (?, ?)", [eventID, at])
        try index(document: db.lastInsertRowID, subject: nil, body: text)
    }

    public func index(document: Int64, subject: String?, body: String?) throws {
        try db.execute("INSERT INTO search_index (rowid, subject, body) VALUES (?, ?, ?)",
                       [document, subject ?? "", Self.capped(body)])
    }

    static func capped(_ body: String?) -> String {
        guard let body else { return "" }
        // Bytes first: counting characters walks the whole text, a tenth of the intake's
        // search cost, while a body within the limit in bytes is within it in characters.
        guard body.utf8.count > maxBodyCharacters else { return body }
        return body.count > maxBodyCharacters ? String(body.prefix(maxBodyCharacters)) : body
    }

    // MARK: - Backfill of stores made before the index

    /// A stored message waiting to be indexed, with what the text extractor needs.
    public struct PendingMessage: Sendable {
        public let row: Int64
        public let subject: String?
        public let raw: [UInt8]
        public let createdAt: Int64
    }

    /// How many stored messages are still to be indexed.
    public func backfillRemaining() throws -> Int64 {
        guard let state = try db.row("SELECT next_message_row, last_message_row FROM search_backfill WHERE id = 1") else { return 0 }
        return try db.row("""
            SELECT COUNT(*) AS n FROM messages
            WHERE id BETWEEN ? AND ? AND direction = 'in' AND ticket_id IS NOT NULL
            """, [state.int("next_message_row"), state.int("last_message_row")])?.int("n") ?? 0
    }

    /// Indexes up to `limit` older messages in one transaction; returns how many it looked at
    /// (0 when done). `text` gives a message's body text from its raw bytes.
    @discardableResult
    public func backfill(limit: Int, text: (PendingMessage) -> String?) throws -> Int {
        try db.transaction {
            guard let state = try db.row("SELECT next_message_row, last_message_row FROM search_backfill WHERE id = 1") else { return 0 }
            let next = state.int("next_message_row"), last = state.int("last_message_row")
            guard next <= last else { return 0 }
            let rows = try db.query("""
                SELECT id, subject, \(TicketStore.rawBytesSQL) AS raw, created_at FROM messages
                WHERE id BETWEEN ? AND ? AND direction = 'in' AND ticket_id IS NOT NULL ORDER BY id LIMIT ?
                """, [next, last, limit])
            for row in rows {
                let pending = PendingMessage(row: row.int("id"), subject: row.optionalText("subject"), raw: row.blob("raw"),
                                             createdAt: row.int("created_at"))
                // A message indexed since (a retried batch) is not indexed twice.
                guard try db.row("SELECT 1 AS x FROM search_documents WHERE message_row = ?", [pending.row]) == nil else { continue }
                try add(messageRow: pending.row, subject: pending.subject, body: text(pending), at: pending.createdAt)
            }
            let done = rows.last.map { $0.int("id") + 1 } ?? last + 1
            try db.execute("UPDATE search_backfill SET next_message_row = ? WHERE id = 1", [rows.count < limit ? last + 1 : done])
            return rows.count
        }
    }

    // MARK: - Searching

    /// Finds tickets whose documents match `request.query` (FTS5 syntax, see `SearchQuery`),
    /// one hit per ticket: its best (or newest) matching document.
    /// Throws `SearchError.malformedQuery` for a query FTS5 cannot read.
    public func search(_ request: SearchRequest) throws -> [SearchHit] {
        do {
            if !db.searchRankingRegistered {
                try SearchRanking.register(on: db)
                db.searchRankingRegistered = true
            }
            // The newest `window` matching documents are considered, so a common word costs the
            // same on a million tickets as on a thousand; "best" ranks within them by BM25
            // (`SearchRanking`: FTS5's formula without walking a common word's every document).
            // Without filters FTS5 ranks and cuts on its own, and only the first few documents are
            // joined to their tickets (a message row is a read in the biggest table); when they
            // name too few tickets (one ticket matching many times), all of the window is.
            let filtered = request.status != nil || request.queue != nil || request.requester != nil || request.since != nil
            if !filtered {
                let candidates = min(request.window, request.limit * 5)
                let rows = request.order == .best ? try db.query(Self.bestFirst, [request.query, request.window, candidates])
                    : try db.query(Self.newestFirst, [request.query, candidates])
                let hits = Self.onePerTicket(rows.map(Self.hit), limit: request.limit)
                if hits.count == request.limit || rows.count < candidates { return hits }
            }
            let rows = try db.query("""
                SELECT d.id AS doc, d.message_row, d.event_id, d.created_at, \(request.order == .best ? Self.rank : "0.0") AS rank,
                       t.id AS ticket_id, t.number, t.subject AS ticket_subject, t.status
                FROM search_index s
                JOIN search_documents d ON d.id = s.rowid
                LEFT JOIN messages m ON m.id = d.message_row
                LEFT JOIN ticket_events e ON e.id = d.event_id
                JOIN tickets t ON t.id = COALESCE(m.ticket_id, e.ticket_id)
                WHERE search_index MATCH ?1
                  AND (?2 IS NULL OR t.status = ?2) AND (?3 IS NULL OR t.queue = ?3)
                  AND (?4 IS NULL OR t.requester = ?4) AND (?5 IS NULL OR d.created_at >= ?5)
                ORDER BY s.rowid DESC LIMIT ?6
                """, [request.query, request.status, request.queue, request.requester?.lowercased(), request.since, request.window])
            var hits = rows.map(Self.hit)
            if request.order == .best { hits.sort { ($0.rank, -$0.document) < ($1.rank, -$1.document) } }
            return Self.onePerTicket(hits, limit: request.limit)
        } catch let error as StoreError {
            throw SearchError.from(error)
        }
    }

    /// BM25 of the document (`SearchRanking`) in a query that names the index `s`.
    static let rank = "\(SearchRanking.functionName)(s.search_index, (SELECT MAX(id) FROM search_documents))"

    /// The tickets of the best `?3` of the newest `?2` matching documents, best first (rank, then newest).
    static let bestFirst = """
        SELECT d.id AS doc, d.message_row, d.event_id, d.created_at, s.rank AS rank,
               t.id AS ticket_id, t.number, t.subject AS ticket_subject, t.status
        FROM (SELECT rowid, rank FROM (SELECT rowid, \(rank) AS rank FROM search_index s WHERE search_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
              ORDER BY rank, rowid DESC LIMIT ?3) s
        JOIN search_documents d ON d.id = s.rowid
        LEFT JOIN messages m ON m.id = d.message_row
        LEFT JOIN ticket_events e ON e.id = d.event_id
        JOIN tickets t ON t.id = COALESCE(m.ticket_id, e.ticket_id)
        ORDER BY s.rank, s.rowid DESC
        """

    /// The tickets of the newest `?2` matching documents.
    static let newestFirst = """
        SELECT d.id AS doc, d.message_row, d.event_id, d.created_at, s.rank AS rank,
               t.id AS ticket_id, t.number, t.subject AS ticket_subject, t.status
        FROM (SELECT rowid, 0.0 AS rank FROM search_index WHERE search_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2) s
        JOIN search_documents d ON d.id = s.rowid
        LEFT JOIN messages m ON m.id = d.message_row
        LEFT JOIN ticket_events e ON e.id = d.event_id
        JOIN tickets t ON t.id = COALESCE(m.ticket_id, e.ticket_id)
        ORDER BY s.rowid DESC
        """

    static func hit(_ row: Row) -> SearchHit {
        SearchHit(ticketID: row.int("ticket_id"), ticketNumber: row.int("number"), subject: row.text("ticket_subject"),
                  status: row.text("status"), document: row.int("doc"), messageRow: row.optionalInt("message_row"),
                  noteEvent: row.optionalInt("event_id"), at: row.int("created_at"), rank: row["rank"].double ?? 0)
    }

    /// The first hit of each ticket, in the order given, at most `limit`.
    static func onePerTicket(_ hits: [SearchHit], limit: Int) -> [SearchHit] {
        var seen = Set<Int64>(), out: [SearchHit] = []
        for hit in hits where out.count < limit && seen.insert(hit.ticketID).inserted { out.append(hit) }
        return out
    }

    /// The text of `documents` with the words `query` matched marked by `open`/`close`, cut to
    /// about `words` tokens around them: FTS5's own `snippet()` over a private in-memory table
    /// with the same tokenizer, so the marks are exactly what the index matched.
    public func snippets(query: String, documents: [(id: Int64, subject: String, body: String)],
                         open: String = "**", close: String = "**", words: Int = 16) throws -> [Int64: String] {
        guard !documents.isEmpty else { return [:] }
        try db.executeScript("""
            CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_snippets USING fts5(subject, body, tokenize = '\(Self.tokenizer)');
            DELETE FROM temp.search_snippets;
            """)
        for d in documents {
            try db.execute("INSERT INTO temp.search_snippets (rowid, subject, body) VALUES (?, ?, ?)", [d.id, d.subject, Self.capped(d.body)])
        }
        var out: [Int64: String] = [:]
        do {
            for row in try db.query("""
                SELECT rowid AS id, snippet(search_snippets, -1, ?, ?, '…', ?) AS text
                FROM temp.search_snippets WHERE search_snippets MATCH ?
                """, [open, close, words, query]) {
                out[row.int("id")] = row.text("text")
            }
        } catch let error as StoreError {
            throw SearchError.from(error)
        }
        try db.execute("DELETE FROM temp.search_snippets")
        return out
    }
}

extension SQLValue {
    public var double: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
}
