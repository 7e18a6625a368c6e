/// Threading: participants, mentions/follows links, addresses that bounced for good.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v3AddParticipantsLinksUndeliverable = Migration("v3-add-participants-links-undeliverable", sql: """
        -- Who takes part in a ticket (requester, Cc'd parties, agents who wrote): rule (c)
        -- of threading lets a tagged message without token join only from these.
        CREATE TABLE ticket_participants (
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            address TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('requester','cc','agent')),
            added_at INTEGER NOT NULL,
            PRIMARY KEY (ticket_id, address)
        ) STRICT;

        -- "mentions #N" (a stranger quoted a ticket) and "follows #N" (a reply to a closed ticket).
        CREATE TABLE ticket_links (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            other_number INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('mentions','follows')),
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX ticket_links_ticket ON ticket_links(ticket_id);

        -- Addresses a permanent bounce (5.x.x) said do not exist: we stop mailing them.
        CREATE TABLE undeliverable_addresses (
            address TEXT PRIMARY KEY,
            status TEXT,
            diagnostic TEXT,
            message_row INTEGER REFERENCES messages(id),
            ticket_id INTEGER REFERENCES tickets(id),
            updated_at INTEGER NOT NULL
        ) STRICT;

        -- For the repeat check of automatic mail: the same body to the same address is sent once.
        ALTER TABLE outbox ADD COLUMN body_sha256 TEXT;
        CREATE INDEX outbox_recipient_time ON outbox(kind, created_at);
        """)
}
