/// Full-text search.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v6AddSearchIndex = Migration("v6-add-search-index", sql: """
        -- Full-text search over what people wrote: subjects, customers' and agents' text,
        -- internal notes. Contentless: the index holds no copy of the text (the raw bytes are
        -- the record); snippets are made from the few hits' text when shown.
        CREATE VIRTUAL TABLE search_index USING fts5(
            subject, body, content = '', tokenize = 'unicode61 remove_diacritics 2');
        -- What each indexed document is (its id is the index's rowid): a message or a note.
        CREATE TABLE search_documents (
            id INTEGER PRIMARY KEY,
            message_row INTEGER REFERENCES messages(id),
            event_id INTEGER REFERENCES ticket_events(id),
            created_at INTEGER NOT NULL,
            CHECK ((message_row IS NULL) <> (event_id IS NULL))
        ) STRICT;
        CREATE UNIQUE INDEX search_documents_message ON search_documents(message_row) WHERE message_row IS NOT NULL;
        CREATE UNIQUE INDEX search_documents_event ON search_documents(event_id) WHERE event_id IS NOT NULL;
        -- Messages stored before the index existed, indexed in batches (their text needs the
        -- MIME parser): `postdesk migrate` finishes it, the daemon does a batch per poll.
        CREATE TABLE search_backfill (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            next_message_row INTEGER NOT NULL,
            last_message_row INTEGER NOT NULL
        ) STRICT;
        INSERT INTO search_backfill SELECT 1, COALESCE(MIN(id), 1), COALESCE(MAX(id), 0) FROM messages;
        """)
}
