/// Outbound mail: unconfirmed hand-overs, delivery records, the automatic senders of the loop defence.
/// Shipped migrations are never edited: a change is a new migration appended to `Schema.migrator`.
extension Schema {
    static let v9AddOutboxUnconfirmed = Migration("v9-add-outbox-unconfirmed", sql: """
        -- Hand-overs to the SMTP server not yet confirmed by the "sent" mark: 1 means the
        -- server may have the mail already (resend once), 2 that it was resent (stop).
        ALTER TABLE outbox ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0;
        """)

    static let v11AddOutboxDeliveryRecord = Migration("v11-add-outbox-delivery-record", sql: """
        -- `refused`: the recipients the server refused, one `address code text` per line.
        -- `dropped_by`/`dropped_at`: an operator gave the row up (`outbox drop`); kept as a record.
        ALTER TABLE outbox ADD COLUMN refused TEXT;
        ALTER TABLE outbox ADD COLUMN dropped_by TEXT;
        ALTER TABLE outbox ADD COLUMN dropped_at INTEGER;
        """)

    static let v14AddAutomaticSenders = Migration("v14-add-automatic-senders", sql: """
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
        """)
}
