import Daemon
import Store

/// `postdesk mailboxes`: each configured mailbox with its cursor, last poll, last error, counts.
enum MailboxesCommand {
    static let command = Command(
        name: "mailboxes", synopsis: "[--json]",
        summary: "Show each mailbox: idle or polling, cursor, last poll, last error, and message counts.",
        help: "  --json   print a JSON array (see README, \"JSON output\")",
        flags: ["json"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let config = try inv.config()
        let db = try inv.openStore()
        let store = MailboxStore(db: db)
        var names = config.mailboxes.map(\.name)
        for c in try store.cursors() where !names.contains(c.mailbox) { names.append(c.mailbox) }
        var items: [JSON] = []
        var table = TextTable(["MAILBOX", "MODE", "UIDVALIDITY", "LAST UID", "SERVER", "IMPORTED", "DUPLICATE", "QUARANTINED", "PENDING", "UNACCOUNTED", "LAST POLL", "LAST ERROR"])
        for name in names {
            let cursor = try store.cursor(name)
            let counts = try store.counts(mailbox: name)
            let configured = config.mailboxes.contains { $0.name == name }
            // What the daemon last said; before it ran, what the config asks for.
            let listen = try store.listenMode(name)
            let wantsIdle = config.mailboxes.first { $0.name == name }?.idle ?? false
            let mode = listen?.mode ?? (configured ? (wantsIdle ? "idle (not yet running)" : "polling") : "-")
            items.append(.object([
                ("name", .string(name)), ("configured", .bool(configured)),
                ("mode", .str(listen?.mode)), ("mode_detail", .str(listen?.detail)),
                ("mode_since", listen.map { .string(TimeText.iso($0.since)) } ?? .null),
                ("uidvalidity", .int(cursor?.uidValidity)), ("last_uid", .int(cursor?.lastUID)),
                ("server_messages", .int(cursor?.serverMessages)),
                ("imported", .int(counts.imported)), ("duplicate", .int(counts.duplicate)),
                ("quarantined", .int(counts.quarantined)), ("pending_actions", .int(counts.pendingActions)),
                ("unaccounted", .int(cursor?.unaccounted)),
                ("last_poll_at", cursor?.lastPollAt.map { .string(TimeText.iso($0)) } ?? .null),
                ("last_success_at", cursor?.lastSuccessAt.map { .string(TimeText.iso($0)) } ?? .null),
                ("last_error", .str(cursor?.lastError)),
            ]))
            table.add([name + (configured ? "" : " (not in config)"), mode, cursor.map { String($0.uidValidity) } ?? "-",
                       cursor.map { String($0.lastUID) } ?? "-", cursor?.serverMessages.map(String.init) ?? "-",
                       String(counts.imported), String(counts.duplicate), String(counts.quarantined), String(counts.pendingActions),
                       cursor?.unaccounted.map(String.init) ?? "-", cursor?.lastPollAt.map(TimeText.short) ?? "never", cell(cursor?.lastError, max: 60)])
        }
        if inv.arguments.has("json") {
            inv.io.print(JSON.array(items).serialized())
        } else if names.isEmpty {
            inv.io.print("no mailboxes configured")
        } else {
            table.render().forEach(inv.io.print)
        }
        return .ok
    }
}
