import Daemon
import Store

/// The stable JSON shapes of `--json` output; documented in the README. Add keys, never rename.
enum TicketJSON {
    static func ticket(_ t: TicketRecord) -> JSON {
        .object([
            ("number", .int(t.number)),
            ("subject", .string(t.subject)),
            ("status", .string(t.status.rawValue)),
            ("priority", .string(t.priority.rawValue)),
            ("queue", .string(t.queue)),
            ("assignee", .str(t.assignee)),
            ("requester", .string(t.requester)),
            ("created_at", .string(TimeText.iso(t.createdAt))),
            ("updated_at", .string(TimeText.iso(t.updatedAt))),
            ("merged_into", .int(t.mergedInto)),
        ])
    }

    static func event(_ e: TicketEventRecord) -> JSON {
        .object([
            ("kind", .string("event")),
            ("id", .int(e.id)),
            ("type", .string(e.type)),
            ("field", .str(e.field)),
            ("old", .str(e.oldValue)),
            ("new", .str(e.newValue)),
            ("actor", .string(e.actor)),
            ("reason", .str(e.reason)),
            ("message", .int(e.messageRow)),
            ("at", .string(TimeText.iso(e.createdAt))),
        ])
    }

    static func message(_ m: MessageRecord) -> JSON {
        .object([
            ("kind", .string("message")),
            ("id", .int(m.id)),
            ("direction", .string(m.direction)),
            ("message_id", .str(m.messageID)),
            ("from", .str(m.fromAddress)),
            ("subject", .str(m.subject)),
            ("size", .int(m.size)),
            ("sha256", .string(m.sha256)),
            ("decision", .str(m.decision)),
            ("at", .string(TimeText.iso(m.createdAt))),
        ])
    }
}
