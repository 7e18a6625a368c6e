/// SLA clocks, alerts, silence (auto-resolve/close) and the settings they were computed under.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v4AddTicketSLA = Migration("v4-add-ticket-sla", sql: """
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
        """)

    static let v12AddSLASilenceAndAppliedSettings = Migration("v12-add-sla-silence-and-applied-settings", sql: """
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
        """)

    static let v20AddSLARetimeProgress = Migration("v20-add-sla-retime-progress", sql: """
        -- Re-timing every open ticket after the SLA settings changed runs in batches by ticket
        -- id between polls; this row says under which settings and how far it got, so a
        -- restart goes on there. No row: no re-time under way.
        CREATE TABLE sla_retime_progress (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL,
            through_ticket INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        """)

    static let v21AddSLARetimeFailures = Migration("v21-add-sla-retime-failures", sql: """
        -- A re-time no longer passes over a ticket it could not re-time: the ticket waits in
        -- sla_retime_failed (its alerts held, its stale clocks never acted on) and is tried again
        -- on later passes; the settings count as applied only once none is left. `failed` is how
        -- many wait there. `last_ticket` is the highest ticket id when the re-time began: tickets
        -- above it were timed by the intake under the new settings and alert as usual (NULL, a
        -- re-time begun before this column: every ticket after through_ticket waits its turn).
        ALTER TABLE sla_retime_progress ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sla_retime_progress ADD COLUMN last_ticket INTEGER;
        CREATE TABLE sla_retime_failed (
            ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
            attempts INTEGER NOT NULL,
            tried_at INTEGER NOT NULL
        ) STRICT;
        """)
}
