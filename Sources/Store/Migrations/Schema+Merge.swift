/// Ticket merge and related links.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v13AddTicketMergeAndRelatedLinks = Migration("v13-add-ticket-merge-and-related-links", sql: """
        -- A ticket merged into another keeps its number as a closed stub forwarding mail to
        -- the one it went into (the number; chains A → B → C are followed by threading).
        ALTER TABLE tickets ADD COLUMN merged_into INTEGER;
        CREATE INDEX tickets_merged_into ON tickets(merged_into) WHERE merged_into IS NOT NULL;

        -- Links gain 'merged' (on both tickets of a merge) and 'related' (an agent's #link or
        -- `postdesk link`). SQLite cannot change a CHECK in place: rebuild, keeping every row.
        CREATE TABLE ticket_links_v13 (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            other_number INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('mentions','follows','merged','related')),
            created_at INTEGER NOT NULL
        ) STRICT;
        INSERT INTO ticket_links_v13 (id, ticket_id, other_number, kind, created_at)
            SELECT id, ticket_id, other_number, kind, created_at FROM ticket_links;
        DROP TABLE ticket_links;
        ALTER TABLE ticket_links_v13 RENAME TO ticket_links;
        CREATE INDEX ticket_links_ticket ON ticket_links(ticket_id);
        """)
}
