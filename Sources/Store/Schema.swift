/// postdesk's schema history, in the order it is applied. Append only: a shipped migration is
/// never edited, renamed or renumbered (MigratorTests holds each one's id and SQL hash).
/// Each migration lives in `Migrations/Schema+<Part>.swift` with the others of its part.
public enum Schema {
    public static let migrator = Migrator(migrations: [
        v1CreateCoreTables,
        v2AddDeliveriesAndMailboxState,
        v3AddParticipantsLinksUndeliverable,
        v4AddTicketSLA,
        v5AddMailboxUnaccounted,
        v6AddSearchIndex,
        v7AddReportFigures,
        v8AddMailboxListenMode,
        v9AddOutboxUnconfirmed,
        v10AddRoutingFieldsTagsRotation,
        v11AddOutboxDeliveryRecord,
        v12AddSLASilenceAndAppliedSettings,
        v13AddTicketMergeAndRelatedLinks,
        v14AddAutomaticSenders,
        v15AddReportKeysAndListIndexes,
        v16AddAttachmentPartPath,
        v17AddMessageRaw,
        v18AddMessageClass,
        v19AddRatingIndex,
        v20AddSLARetimeProgress,
        v21AddSLARetimeFailures,
        v22AddSLAOutcomesToReportFigures,
        v23StatusFiguresFromStatusEventsOnly,
        // A new migration goes HERE, at the end, numbered one past the last: define it in the file
        // of its part under Migrations/ (a new `Schema+<Part>.swift` for a new part).
    ])
}
