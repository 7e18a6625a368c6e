/// Intake: deliveries and mailbox state, the count alarm, listen mode, how raw bytes and
/// attachments are kept, the sender class of each message.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v2AddDeliveriesAndMailboxState = Migration("v2-add-deliveries-and-mailbox-state", sql: """
        -- One row per (mailbox, uidvalidity, uid) we have taken in: what it became and
        -- whether the after-import action has been applied on the server yet.
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            mailbox TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            message_row INTEGER REFERENCES messages(id),
            quarantine_id INTEGER REFERENCES quarantine(id),
            outcome TEXT NOT NULL CHECK (outcome IN ('imported','duplicate','quarantined')),
            action TEXT NOT NULL,
            action_done_at INTEGER,
            created_at INTEGER NOT NULL,
            UNIQUE (mailbox, uidvalidity, uid)
        ) STRICT;
        CREATE INDEX deliveries_pending ON deliveries(mailbox, action_done_at);
        CREATE INDEX deliveries_message ON deliveries(message_row);

        -- Dedup key: Message-ID plus the hash of the message without the trace headers
        -- a delivery prepends, so one mail Cc'd to two support addresses is one message.
        ALTER TABLE messages ADD COLUMN content_sha256 TEXT;
        CREATE INDEX messages_content ON messages(content_sha256);

        ALTER TABLE mailbox_cursors ADD COLUMN last_poll_at INTEGER;
        ALTER TABLE mailbox_cursors ADD COLUMN last_success_at INTEGER;
        ALTER TABLE mailbox_cursors ADD COLUMN last_error TEXT;
        ALTER TABLE mailbox_cursors ADD COLUMN server_messages INTEGER;

        -- What quarantine drops keep: who dropped it and when (the bytes go, the record stays).
        ALTER TABLE quarantine ADD COLUMN dropped_by TEXT;
        """)

    static let v5AddMailboxUnaccounted = Migration("v5-add-mailbox-unaccounted", sql: """
        -- Messages the folder holds at or below the cursor that no delivery accounts for
        -- (the count alarm), as of the last successful poll.
        ALTER TABLE mailbox_cursors ADD COLUMN unaccounted INTEGER;
        """)

    static let v8AddMailboxListenMode = Migration("v8-add-mailbox-listen-mode", sql: """
        -- How the daemon hears of new mail per mailbox: 'idle' (IMAP IDLE) or 'polling', and why.
        ALTER TABLE mailbox_cursors ADD COLUMN listen_mode TEXT;
        ALTER TABLE mailbox_cursors ADD COLUMN listen_detail TEXT;
        ALTER TABLE mailbox_cursors ADD COLUMN listen_since INTEGER;
        """)

    static let v16AddAttachmentPartPath = Migration("v16-add-attachment-part-path", sql: """
        -- Attachments are no longer stored decoded beside the raw message: a row from now on
        -- names its part in the message's MIME tree ("2", "1.3") and keeps `data` empty; its
        -- bytes are decoded from messages.raw when asked for. Older rows (part_path NULL)
        -- keep their decoded bytes and are read as before.
        ALTER TABLE attachments ADD COLUMN part_path TEXT;
        """)

    static let v17AddMessageRaw = Migration("v17-add-message-raw", sql: """
        -- The bytes of large messages (4 MB and up), written in pieces by incremental blob
        -- I/O: in `messages` the raw column is followed by others, so SQLite would build the
        -- whole value into the row's record first (a second copy of a 25 MB mail in memory).
        -- `raw` is this table's last column. messages.raw is empty for such a row.
        CREATE TABLE message_raw (
            message_row INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
            raw BLOB NOT NULL
        ) STRICT;
        """)

    static let v18AddMessageClass = Migration("v18-add-message-class", sql: """
        -- What kind of sender an inbound message came from, set by the intake: human,
        -- auto-reply, bounce, list, spam (a rule's `spam` action), our-own; NULL for mail we
        -- sent. Older inbound rows keep NULL and are read from the decision text the class used
        -- to be appended to (`TicketStore.messageColumns`): writing it into every row rewrote
        -- the whole table (3.6 minutes and a write-ahead log the size of the store on a million
        -- tickets) at the first start after an upgrade. Only what the decision text does not
        -- say is written, on rows found by index: mail of our own and rules' spam marks.
        ALTER TABLE messages ADD COLUMN class TEXT;
        UPDATE messages SET class = 'our-own' WHERE ticket_id IS NULL AND direction = 'in';
        CREATE TEMP TABLE v18_spam AS
            SELECT id, ticket_id, created_at / 86400 AS day,
                CASE WHEN decision LIKE '%; bounce%' THEN 'bounce' WHEN decision LIKE '%; auto-reply%' THEN 'auto-reply'
                     WHEN decision LIKE '%; list%' THEN 'list' ELSE 'human' END AS counted
            FROM messages WHERE direction = 'in' AND id IN (
                SELECT message_row FROM ticket_events
                WHERE type = 'rule' AND message_row IS NOT NULL AND (' ' || new_value || ' ') LIKE '% spam %');
        UPDATE messages SET class = 'spam' WHERE id IN (SELECT id FROM temp.v18_spam);
        -- The daily counts (kept by v7's trigger from the decision text) move those to spam.
        UPDATE message_daily SET messages = messages - (
            SELECT COUNT(*) FROM temp.v18_spam s WHERE s.ticket_id IS NOT NULL AND s.day = message_daily.day AND s.counted = message_daily.class)
        WHERE EXISTS (SELECT 1 FROM temp.v18_spam s WHERE s.ticket_id IS NOT NULL AND s.day = message_daily.day AND s.counted = message_daily.class);
        INSERT INTO message_daily (day, class, messages)
            SELECT day, 'spam', COUNT(*) FROM temp.v18_spam WHERE ticket_id IS NOT NULL GROUP BY day
            ON CONFLICT (day, class) DO UPDATE SET messages = messages + excluded.messages;
        DELETE FROM message_daily WHERE messages <= 0;
        DROP TABLE temp.v18_spam;
        DROP TRIGGER message_daily_on_insert;
        CREATE TRIGGER message_daily_on_insert AFTER INSERT ON messages
        WHEN new.direction = 'in' AND new.ticket_id IS NOT NULL BEGIN
            INSERT INTO message_daily (day, class, messages) VALUES (new.created_at / 86400, COALESCE(new.class, 'human'), 1)
            ON CONFLICT (day, class) DO UPDATE SET messages = messages + 1;
        END;
        """)
}
