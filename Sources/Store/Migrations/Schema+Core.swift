/// The first schema: tickets, messages, events, attachments, cursors, outbox, quarantine.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v1CreateCoreTables = Migration("v1-create-core-tables", sql: """
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            subject TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('new','open','pending','resolved','closed')),
            priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
            queue TEXT NOT NULL,
            assignee TEXT,
            requester TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX tickets_status ON tickets(status, queue);

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER REFERENCES tickets(id),
            direction TEXT NOT NULL CHECK (direction IN ('in','out')),
            message_id TEXT,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            raw BLOB NOT NULL,
            from_address TEXT,
            subject TEXT,
            sent_at INTEGER,
            created_at INTEGER NOT NULL,
            decision TEXT
        ) STRICT;
        CREATE INDEX messages_ticket ON messages(ticket_id, id);
        CREATE INDEX messages_message_id ON messages(message_id, sha256);
        CREATE INDEX messages_sha256 ON messages(sha256);

        CREATE TABLE ticket_events (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            message_row INTEGER REFERENCES messages(id),
            type TEXT NOT NULL,
            field TEXT,
            old_value TEXT,
            new_value TEXT,
            actor TEXT NOT NULL,
            reason TEXT,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            message_row INTEGER NOT NULL REFERENCES messages(id),
            filename TEXT,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_id TEXT,
            inline INTEGER NOT NULL DEFAULT 0,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL
        ) STRICT;
        CREATE INDEX attachments_message ON attachments(message_row);

        CREATE TABLE mailbox_cursors (
            mailbox TEXT PRIMARY KEY,
            uidvalidity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER REFERENCES tickets(id),
            message_row INTEGER REFERENCES messages(id),
            kind TEXT NOT NULL,
            mail_from TEXT NOT NULL,
            recipients TEXT NOT NULL,
            raw BLOB NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            sent_at INTEGER
        ) STRICT;
        CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            mailbox TEXT,
            uidvalidity INTEGER,
            uid INTEGER,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            raw BLOB NOT NULL,
            reason TEXT NOT NULL,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL CHECK (status IN ('held','imported','dropped')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX quarantine_status ON quarantine(status, id);
        """)
}
