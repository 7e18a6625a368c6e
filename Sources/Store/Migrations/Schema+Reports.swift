/// Report figures kept by triggers, report keys, the rating index.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v7AddReportFigures = Migration("v7-add-report-figures", sql: """
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
        """)

    static let v15AddReportKeysAndListIndexes = Migration("v15-add-report-keys-and-list-indexes", sql: """
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
        """)

    static let v19AddRatingIndex = Migration("v19-add-rating-index", sql: """
        -- Satisfaction ratings are `rating` events (the last per ticket counts): a small partial
        -- index lets a report find them without reading every event.
        CREATE INDEX ticket_events_rating ON ticket_events(ticket_id, id) WHERE type = 'rating';
        """)

    static let v22AddSLAOutcomesToReportFigures = Migration("v22-add-sla-outcomes-to-report-figures", sql: """
        -- Each ticket's SLA outcomes beside its other report figures, so a yearly report counts met
        -- and breached targets in its one scan of ticket_metrics instead of joining every clock to
        -- its ticket (a quarter of the report's time on a million tickets). Three bits per target,
        -- first_response from bit 0, then next_response, then resolution: has a clock, met (and not
        -- breached), breached (Ticketing's SLAOutcomes reads them).
        ALTER TABLE ticket_metrics ADD COLUMN sla_outcomes INTEGER NOT NULL DEFAULT 0;
        CREATE VIEW ticket_sla_outcome_bits AS
            SELECT ticket_id, (1 + 2 * (met_at IS NOT NULL AND breached_at IS NULL) + 4 * (breached_at IS NOT NULL))
                << (3 * CASE target WHEN 'first_response' THEN 0 WHEN 'next_response' THEN 1 ELSE 2 END) AS bits
            FROM ticket_sla;

        -- Kept by triggers, whoever writes the clocks: the ticket's bits are summed again from its
        -- (at most three) clocks. An update that moves neither outcome nor clock changes nothing.
        CREATE TRIGGER ticket_metrics_sla_on_insert AFTER INSERT ON ticket_sla BEGIN
            UPDATE ticket_metrics SET sla_outcomes = (SELECT IFNULL(SUM(bits), 0) FROM ticket_sla_outcome_bits WHERE ticket_id = new.ticket_id)
            WHERE ticket_id = new.ticket_id;
        END;
        CREATE TRIGGER ticket_metrics_sla_on_update AFTER UPDATE OF ticket_id, target, met_at, breached_at ON ticket_sla
        WHEN new.ticket_id IS NOT old.ticket_id OR new.target IS NOT old.target
          OR (new.met_at IS NULL) IS NOT (old.met_at IS NULL) OR (new.breached_at IS NULL) IS NOT (old.breached_at IS NULL) BEGIN
            UPDATE ticket_metrics SET sla_outcomes = (SELECT IFNULL(SUM(bits), 0) FROM ticket_sla_outcome_bits WHERE ticket_id = ticket_metrics.ticket_id)
            WHERE ticket_id IN (old.ticket_id, new.ticket_id);
        END;
        CREATE TRIGGER ticket_metrics_sla_on_delete AFTER DELETE ON ticket_sla BEGIN
            UPDATE ticket_metrics SET sla_outcomes = (SELECT IFNULL(SUM(bits), 0) FROM ticket_sla_outcome_bits WHERE ticket_id = old.ticket_id)
            WHERE ticket_id = old.ticket_id;
        END;

        -- The clocks stored before this migration, ticket by ticket in key order.
        UPDATE ticket_metrics SET sla_outcomes = b.bits
        FROM (SELECT ticket_id, SUM(bits) AS bits FROM ticket_sla_outcome_bits GROUP BY ticket_id) AS b
        WHERE b.ticket_id = ticket_metrics.ticket_id;
        """)

    static let v23StatusFiguresFromStatusEventsOnly = Migration("v23-status-figures-from-status-events-only", sql: """
        -- A rule's hit is an event whose field is the rule's name. v7's trigger keyed on the field
        -- alone, so a rule named "status" ran it with no old value: NOT NULL failed and the intake
        -- quarantined every message the rule matched (had it not failed, it would have reset the
        -- ticket's status figures). Every real status change has type = field = 'status'.
        DROP TRIGGER ticket_metrics_on_status;
        CREATE TRIGGER ticket_metrics_on_status AFTER INSERT ON ticket_events WHEN new.type = 'status' AND new.field = 'status' BEGIN
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
        """)
}
