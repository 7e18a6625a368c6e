/// postdesk's schema history. Append only: a shipped migration is never edited.
public enum Schema {
    public static let migrator = Migrator(migrations: [
        Migration("v1-create-core-tables", sql: """
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
            """),
        Migration("v2-add-deliveries-and-mailbox-state", sql: """
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
            """),
        Migration("v3-add-participants-links-undeliverable", sql: """
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
            """),
        Migration("v4-add-ticket-sla", sql: """
            -- Each ticket's SLA clocks as last computed from its history: one row per promised
            -- target, with its deadline, warning time and state. `next_alert_at` is the next
            -- warning or breach to send (NULL: none), so the scheduler's tick reads an index,
            -- never all tickets.
            CREATE TABLE ticket_sla (
                ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                target TEXT NOT NULL CHECK (target IN ('first_response','next_response','resolution')),
                policy TEXT NOT NULL,
                phase TEXT NOT NULL CHECK (phase IN ('running','paused','met','stopped')),
                cycle_start INTEGER NOT NULL,
                due_at INTEGER,
                warn_at INTEGER,
                met_at INTEGER,
                breached_at INTEGER,
                used_seconds INTEGER NOT NULL,
                target_seconds INTEGER NOT NULL,
                next_alert_at INTEGER,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (ticket_id, target)
            ) STRICT;
            CREATE INDEX ticket_sla_next_alert ON ticket_sla(next_alert_at) WHERE next_alert_at IS NOT NULL;
            CREATE INDEX ticket_sla_due ON ticket_sla(due_at) WHERE phase = 'running';

            -- The policy a ticket runs under and the one a rule asked for (kept when priority
            -- changes re-pick the default).
            CREATE TABLE ticket_sla_policy (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
                requested TEXT,
                policy TEXT,
                updated_at INTEGER NOT NULL
            ) STRICT;

            -- Warnings and breaches sent: at most one of each per target and cycle, whatever
            -- restarts, reloads or clock jumps happen. `late`: sent after its time (daemon down).
            -- `mailed` 0: recorded without mail (a warning overtaken by its breach).
            CREATE TABLE sla_alerts (
                id INTEGER PRIMARY KEY,
                ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                target TEXT NOT NULL,
                cycle_start INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('warning','breach')),
                due_at INTEGER NOT NULL,
                fired_at INTEGER NOT NULL,
                late INTEGER NOT NULL DEFAULT 0,
                mailed INTEGER NOT NULL DEFAULT 1,
                UNIQUE (ticket_id, target, cycle_start, kind)
            ) STRICT;
            """),
        Migration("v5-add-mailbox-unaccounted", sql: """
            -- Messages the folder holds at or below the cursor that no delivery accounts for
            -- (the count alarm), as of the last successful poll.
            ALTER TABLE mailbox_cursors ADD COLUMN unaccounted INTEGER;
            """),
        Migration("v6-add-search-index", sql: """
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
            """),
        Migration("v7-add-report-figures", sql: """
            -- Per-ticket times the reports aggregate, kept by triggers in the same transaction as the
            -- change, whoever writes it (daemon or CLI), so a yearly report reads one row per ticket.
            CREATE TABLE ticket_metrics (
                ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
                first_response_at INTEGER,   -- the first agent reply sent to the customer
                first_resolved_at INTEGER,   -- the first time it became resolved or closed
                resolved_at INTEGER,         -- when it last became resolved or closed; NULL while open again
                closed_at INTEGER,
                reopened INTEGER NOT NULL DEFAULT 0,
                status_since INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX tickets_created ON tickets(created_at);

            CREATE TRIGGER ticket_metrics_on_create AFTER INSERT ON tickets BEGIN
                INSERT INTO ticket_metrics (ticket_id, status_since) VALUES (new.id, new.created_at);
            END;
            CREATE TRIGGER ticket_metrics_on_status AFTER INSERT ON ticket_events WHEN new.field = 'status' BEGIN
                UPDATE ticket_metrics SET
                    status_since = new.created_at,
                    first_resolved_at = CASE WHEN new.new_value IN ('resolved', 'closed')
                        THEN COALESCE(first_resolved_at, new.created_at) ELSE first_resolved_at END,
                    resolved_at = CASE WHEN new.new_value NOT IN ('resolved', 'closed') THEN NULL
                        WHEN new.old_value IN ('resolved', 'closed') THEN COALESCE(resolved_at, new.created_at)
                        ELSE new.created_at END,
                    closed_at = CASE WHEN new.new_value = 'closed' THEN new.created_at ELSE closed_at END,
                    reopened = reopened + (new.old_value IN ('resolved', 'closed') AND new.new_value NOT IN ('resolved', 'closed'))
                WHERE ticket_id = new.ticket_id;
            END;
            -- An agent's answer: a mail to the customer that is not automatic (a relayed reply,
            -- alone or carrying a status change, has no Auto-Submitted; acknowledgements and
            -- notices have it).
            CREATE TRIGGER ticket_metrics_on_reply AFTER INSERT ON outbox
            WHEN new.ticket_id IS NOT NULL
              AND new.kind IN ('reply', 'status-open', 'status-pending', 'status-resolved', 'status-closed', 'assigned-customer')
              AND COALESCE(instr(substr(new.raw, 1, 16384), CAST('Auto-Submitted:' AS BLOB)), 0) = 0 BEGIN
                UPDATE ticket_metrics SET first_response_at = COALESCE(first_response_at, new.created_at)
                WHERE ticket_id = new.ticket_id;
            END;

            -- Inbound messages per UTC day and kind of sender, from the class the intake appends
            -- to the message's decision ("…; auto-reply (…)"), for the share of auto-replies and bounces.
            CREATE TABLE message_daily (
                day INTEGER NOT NULL,
                class TEXT NOT NULL,
                messages INTEGER NOT NULL,
                PRIMARY KEY (day, class)
            ) STRICT, WITHOUT ROWID;
            CREATE TRIGGER message_daily_on_insert AFTER INSERT ON messages
            WHEN new.direction = 'in' AND new.ticket_id IS NOT NULL BEGIN
                INSERT INTO message_daily (day, class, messages) VALUES (new.created_at / 86400,
                    CASE WHEN new.decision LIKE '%; bounce%' THEN 'bounce' WHEN new.decision LIKE '%; auto-reply%' THEN 'auto-reply'
                         WHEN new.decision LIKE '%; list%' THEN 'list' ELSE 'human' END, 1)
                ON CONFLICT (day, class) DO UPDATE SET messages = messages + 1;
            END;

            -- The figures of tickets and messages stored before this migration.
            INSERT INTO ticket_metrics (ticket_id, status_since, first_response_at, first_resolved_at, resolved_at, closed_at, reopened)
            SELECT t.id,
                COALESCE((SELECT MAX(e.created_at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'status'), t.created_at),
                (SELECT MIN(o.created_at) FROM outbox o WHERE o.ticket_id = t.id
                   AND o.kind IN ('reply', 'status-open', 'status-pending', 'status-resolved', 'status-closed', 'assigned-customer')
                   AND COALESCE(instr(substr(o.raw, 1, 16384), CAST('Auto-Submitted:' AS BLOB)), 0) = 0),
                (SELECT MIN(e.created_at) FROM ticket_events e
                 WHERE e.ticket_id = t.id AND e.field = 'status' AND e.new_value IN ('resolved', 'closed')),
                CASE WHEN t.status IN ('resolved', 'closed') THEN
                    (SELECT MIN(e.created_at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'status'
                       AND e.new_value IN ('resolved', 'closed')
                       AND e.id > COALESCE((SELECT MAX(r.id) FROM ticket_events r WHERE r.ticket_id = t.id AND r.field = 'status'
                                            AND r.new_value NOT IN ('resolved', 'closed')), 0)) END,
                (SELECT MAX(e.created_at) FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'status' AND e.new_value = 'closed'),
                (SELECT COUNT(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'status'
                   AND e.old_value IN ('resolved', 'closed') AND e.new_value NOT IN ('resolved', 'closed'))
            FROM tickets t;
            INSERT INTO message_daily (day, class, messages)
            SELECT created_at / 86400 AS d,
                CASE WHEN decision LIKE '%; bounce%' THEN 'bounce' WHEN decision LIKE '%; auto-reply%' THEN 'auto-reply'
                     WHEN decision LIKE '%; list%' THEN 'list' ELSE 'human' END AS c, COUNT(*)
            FROM messages WHERE direction = 'in' AND ticket_id IS NOT NULL GROUP BY d, c;
            """),
        Migration("v8-add-mailbox-listen-mode", sql: """
            -- How the daemon hears of new mail per mailbox: 'idle' (IMAP IDLE) or 'polling', and why.
            ALTER TABLE mailbox_cursors ADD COLUMN listen_mode TEXT;
            ALTER TABLE mailbox_cursors ADD COLUMN listen_detail TEXT;
            ALTER TABLE mailbox_cursors ADD COLUMN listen_since INTEGER;
            """),
        Migration("v9-add-outbox-unconfirmed", sql: """
            -- Hand-overs to the SMTP server not yet confirmed by the "sent" mark: 1 means the
            -- server may have the mail already (resend once), 2 that it was resent (stop).
            ALTER TABLE outbox ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0;
            """),
        Migration("v10-add-routing-fields-tags-rotation", sql: """
            -- What routing decided for a ticket: the customer's language (for notifications), a
            -- category for reports, and an assignment waiting for someone to come on duty (the
            -- target as written, e.g. group:billing/least_open). The SLA policy a rule names is
            -- kept by the SLA tables (ticket_sla_policy.requested).
            ALTER TABLE tickets ADD COLUMN language TEXT;
            ALTER TABLE tickets ADD COLUMN category TEXT;
            ALTER TABLE tickets ADD COLUMN assign_pending TEXT;
            CREATE INDEX tickets_assign_pending ON tickets(assign_pending) WHERE assign_pending IS NOT NULL;
            -- Open load per agent (least_open, max_open) and the last agent of a requester.
            CREATE INDEX tickets_assignee_status ON tickets(assignee, status) WHERE assignee IS NOT NULL;
            CREATE INDEX tickets_requester ON tickets(requester, updated_at);
            -- When each agent was last given a ticket (least_open ties).
            CREATE INDEX ticket_events_assigned ON ticket_events(new_value, created_at) WHERE type = 'assignee';

            CREATE TABLE ticket_tags (
                ticket_id INTEGER NOT NULL REFERENCES tickets(id),
                tag TEXT NOT NULL,
                PRIMARY KEY (ticket_id, tag)
            ) STRICT;

            -- Round robin's position per group: the agent assigned last (survives restarts and
            -- roster changes, unlike an index).
            CREATE TABLE assignment_rotation (
                group_name TEXT PRIMARY KEY,
                last_agent TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            ) STRICT;
            """),
        Migration("v11-add-outbox-delivery-record", sql: """
            -- `refused`: the recipients the server refused, one `address code text` per line.
            -- `dropped_by`/`dropped_at`: an operator gave the row up (`outbox drop`); kept as a record.
            ALTER TABLE outbox ADD COLUMN refused TEXT;
            ALTER TABLE outbox ADD COLUMN dropped_by TEXT;
            ALTER TABLE outbox ADD COLUMN dropped_at INTEGER;
            """),
        Migration("v12-add-sla-silence-and-applied-settings", sql: """
            -- When silence resolves (pending) or closes (resolved) each ticket, worked out from the
            -- same history as its SLA clocks, so the scheduler reads the due ones through an index
            -- instead of every pending ticket. NULL: nothing to do. Existing tickets get theirs on
            -- the first start, which finds no applied settings below and re-times them.
            ALTER TABLE ticket_sla_policy ADD COLUMN silence_action TEXT CHECK (silence_action IN ('resolve', 'close'));
            ALTER TABLE ticket_sla_policy ADD COLUMN silence_due_at INTEGER;
            CREATE INDEX ticket_sla_policy_silence ON ticket_sla_policy(silence_due_at) WHERE silence_due_at IS NOT NULL;

            -- The SLA settings (a fingerprint) the stored clocks were computed under: a start with
            -- other settings re-times every ticket that is not closed, as a reload does.
            CREATE TABLE sla_settings_applied (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                fingerprint TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT;
            """),
        Migration("v13-add-ticket-merge-and-related-links", sql: """
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
            """),
        Migration("v14-add-automatic-senders", sql: """
            -- Addresses the loop defence saw send automatic mail (auto-replies): automatic mail
            -- from us to them is withheld for a while (notifications.automatic_sender_days).
            -- `human_at`: a person last wrote from the address; it ends the flag until the next
            -- automatic message. `reason`: the classifier's rules for the last automatic one.
            CREATE TABLE automatic_senders (
                address TEXT PRIMARY KEY,
                first_at INTEGER NOT NULL,
                last_at INTEGER NOT NULL,
                messages INTEGER NOT NULL,
                reason TEXT NOT NULL,
                message_row INTEGER,
                human_at INTEGER
            ) STRICT;
            """),
        Migration("v15-add-report-keys-and-list-indexes", sql: """
            -- What a report groups by, kept beside the per-ticket times as small numbers, so a yearly
            -- report reads one narrow row per ticket (ticket_metrics alone: no join, no texts).
            -- `report_names` numbers each status, queue, agent, requester domain and category once.
            CREATE TABLE report_names (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('status', 'queue', 'agent', 'domain', 'category')),
                name TEXT NOT NULL,
                UNIQUE (kind, name)
            ) STRICT;
            ALTER TABLE ticket_metrics ADD COLUMN created_at INTEGER;
            ALTER TABLE ticket_metrics ADD COLUMN status_key INTEGER;
            ALTER TABLE ticket_metrics ADD COLUMN queue_key INTEGER;
            ALTER TABLE ticket_metrics ADD COLUMN agent_key INTEGER;
            ALTER TABLE ticket_metrics ADD COLUMN domain_key INTEGER;
            ALTER TABLE ticket_metrics ADD COLUMN category_key INTEGER;
            -- 1: merged into another ticket (reports count the one it went into).
            ALTER TABLE ticket_metrics ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;

            -- The create trigger now writes the whole row (one trigger: SQLite's order between two
            -- triggers on the same event is not something to rely on). A NULL assignee or category
            -- is skipped by OR IGNORE (NOT NULL) and its key stays NULL.
            DROP TRIGGER ticket_metrics_on_create;
            CREATE TRIGGER ticket_metrics_on_create AFTER INSERT ON tickets BEGIN
                INSERT OR IGNORE INTO report_names (kind, name) VALUES ('status', new.status), ('queue', new.queue),
                    ('agent', new.assignee), ('domain', substr(new.requester, instr(new.requester, '@') + 1)), ('category', new.category);
                INSERT INTO ticket_metrics (ticket_id, status_since, created_at, merged, status_key, queue_key, agent_key, domain_key, category_key)
                SELECT new.id, new.created_at, new.created_at, new.merged_into IS NOT NULL, (SELECT id FROM report_names WHERE kind = 'status' AND name = new.status),
                    (SELECT id FROM report_names WHERE kind = 'queue' AND name = new.queue),
                    (SELECT id FROM report_names WHERE kind = 'agent' AND name = new.assignee),
                    (SELECT id FROM report_names WHERE kind = 'domain' AND name = substr(new.requester, instr(new.requester, '@') + 1)),
                    (SELECT id FROM report_names WHERE kind = 'category' AND name = new.category);
            END;
            CREATE TRIGGER ticket_metrics_on_ticket_change AFTER UPDATE OF status, queue, assignee, requester, category, created_at, merged_into ON tickets
            WHEN new.status IS NOT old.status OR new.queue IS NOT old.queue OR new.assignee IS NOT old.assignee
              OR new.requester IS NOT old.requester OR new.category IS NOT old.category OR new.created_at IS NOT old.created_at
              OR new.merged_into IS NOT old.merged_into BEGIN
                INSERT OR IGNORE INTO report_names (kind, name) VALUES ('status', new.status), ('queue', new.queue),
                    ('agent', new.assignee), ('domain', substr(new.requester, instr(new.requester, '@') + 1)), ('category', new.category);
                UPDATE ticket_metrics SET created_at = new.created_at, merged = new.merged_into IS NOT NULL,
                    status_key = (SELECT id FROM report_names WHERE kind = 'status' AND name = new.status),
                    queue_key = (SELECT id FROM report_names WHERE kind = 'queue' AND name = new.queue),
                    agent_key = (SELECT id FROM report_names WHERE kind = 'agent' AND name = new.assignee),
                    domain_key = (SELECT id FROM report_names WHERE kind = 'domain' AND name = substr(new.requester, instr(new.requester, '@') + 1)),
                    category_key = (SELECT id FROM report_names WHERE kind = 'category' AND name = new.category)
                WHERE ticket_id = new.id;
            END;

            -- `tickets --status S` and `--queue Q`, newest first: read the 50 shown, not every
            -- ticket of the status.
            CREATE INDEX tickets_status_number ON tickets(status, number);
            CREATE INDEX tickets_queue_number ON tickets(queue, number);

            -- Existing tickets.
            INSERT OR IGNORE INTO report_names (kind, name)
                SELECT 'status', status FROM tickets UNION SELECT 'queue', queue FROM tickets
                UNION SELECT 'agent', assignee FROM tickets WHERE assignee IS NOT NULL
                UNION SELECT 'domain', substr(requester, instr(requester, '@') + 1) FROM tickets
                UNION SELECT 'category', category FROM tickets WHERE category IS NOT NULL;
            UPDATE ticket_metrics SET created_at = t.created_at, merged = t.merged_into IS NOT NULL,
                    status_key = (SELECT id FROM report_names WHERE kind = 'status' AND name = t.status),
                    queue_key = (SELECT id FROM report_names WHERE kind = 'queue' AND name = t.queue),
                    agent_key = (SELECT id FROM report_names WHERE kind = 'agent' AND name = t.assignee),
                    domain_key = (SELECT id FROM report_names WHERE kind = 'domain' AND name = substr(t.requester, instr(t.requester, '@') + 1)),
                    category_key = (SELECT id FROM report_names WHERE kind = 'category' AND name = t.category)
            FROM tickets t WHERE t.id = ticket_metrics.ticket_id;
            """),
        Migration("v16-add-attachment-part-path", sql: """
            -- Attachments are no longer stored decoded beside the raw message: a row from now on
            -- names its part in the message's MIME tree ("2", "1.3") and keeps `data` empty; its
            -- bytes are decoded from messages.raw when asked for. Older rows (part_path NULL)
            -- keep their decoded bytes and are read as before.
            ALTER TABLE attachments ADD COLUMN part_path TEXT;
            """),
        Migration("v17-add-message-raw", sql: """
            -- The bytes of large messages (4 MB and up), written in pieces by incremental blob
            -- I/O: in `messages` the raw column is followed by others, so SQLite would build the
            -- whole value into the row's record first (a second copy of a 25 MB mail in memory).
            -- `raw` is this table's last column. messages.raw is empty for such a row.
            CREATE TABLE message_raw (
                message_row INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
                raw BLOB NOT NULL
            ) STRICT;
            """),
        Migration("v18-add-message-class", sql: """
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
            """),
        Migration("v19-add-rating-index", sql: """
            -- Satisfaction ratings are `rating` events (the last per ticket counts): a small partial
            -- index lets a report find them without reading every event.
            CREATE INDEX ticket_events_rating ON ticket_events(ticket_id, id) WHERE type = 'rating';
            """),
    ])
}
