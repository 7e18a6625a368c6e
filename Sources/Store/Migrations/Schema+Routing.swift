/// Routing rules and assignment: language, category, pending assignment, tags, rotation.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v10AddRoutingFieldsTagsRotation = Migration("v10-add-routing-fields-tags-rotation", sql: """
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
        """)
}
