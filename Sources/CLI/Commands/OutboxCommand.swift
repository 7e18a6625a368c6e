import Daemon
import Foundation
import Store

/// `postdesk outbox [--failed|--pending] [--json]`, `outbox show N`, `outbox retry N|--all`,
/// `outbox drop N --yes`.
enum OutboxCommand {
    static let command = Command(
        name: "outbox", synopsis: "[list] [--failed|--pending] [--json] | show <id> | retry <id>|--all | drop <id> --yes",
        summary: "Inspect, resend or drop notifications waiting to be sent.",
        help: """
              list          rows newest first: id, ticket, kind, recipients, attempts, next attempt, last error
                --failed    only rows given up (failed or dropped); --pending: only rows still to send
                --json      a JSON array (see README, "JSON output")
              show <id>     one row: its recipients, what the server refused, its history
              retry <id>    send it again at the next flush (a failed or dropped row too)
              retry --all   every failed row (dropped ones stay dropped)
              drop <id>     never send it; the row stays as the record. Needs --yes.
            """,
        values: [], flags: ["failed", "pending", "json", "all", "yes"], operands: 0...2, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let verb = inv.operand(0) ?? "list"
        let db = try inv.openStore()
        let store = OutboxStore(db: db)
        let now = inv.clock.unixSeconds()
        func id() throws -> Int64 {
            guard let text = inv.operand(1), let n = Int64(text) else {
                throw CLIError(.usage, "outbox \(verb): needs a row id", showUsage: true)
            }
            return n
        }
        func entry(_ n: Int64) throws -> OutboxEntry {
            guard let e = try store.entry(n) else { throw CLIError(.noInput, "postdesk: no outbox row \(n)") }
            return e
        }
        switch verb {
        case "list":
            if inv.arguments.has("failed") && inv.arguments.has("pending") {
                throw CLIError(.usage, "outbox: give --failed or --pending, not both", showUsage: true)
            }
            let status = inv.arguments.has("failed") ? "failed" : inv.arguments.has("pending") ? "pending" : nil
            let entries = try store.entries(status: status)
            if inv.arguments.has("json") {
                inv.io.print(JSON.array(entries.map(json)).serialized())
                return .ok
            }
            if entries.isEmpty { inv.io.print("outbox is empty"); return .ok }
            var table = TextTable(["ID", "TICKET", "KIND", "STATE", "RECIPIENTS", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"])
            for e in entries {
                table.add([String(e.id), e.ticketNumber.map { "#\($0)" } ?? "-", e.kind, e.state, cell(e.recipients.joined(separator: ", "), max: 40),
                           String(e.attempts), e.state == "pending" ? TimeText.short(e.nextAttemptAt) : "-", cell(e.lastError, max: 60)])
            }
            table.render().forEach(inv.io.print)
        case "show":
            let e = try entry(try id())
            if inv.arguments.has("json") { inv.io.print(json(e).serialized()); return .ok }
            let io = inv.io
            io.print("Outbox row \(e.id): \(e.state)\(e.state == "pending" && e.unconfirmed > 0 ? " (handed to the server \(e.unconfirmed)x without a recorded outcome)" : "")")
            io.print("  ticket:      \(e.ticketNumber.map { "#\($0)" } ?? "-")")
            io.print("  kind:        \(e.kind)")
            io.print("  recipients:  \(e.recipients.joined(separator: ", "))")
            for r in e.refused { io.print("  refused:     \(cell(r, max: 200))") }
            io.print("  size:        \(e.size) bytes")
            io.print("  attempts:    \(e.attempts)")
            io.print("  queued:      \(TimeText.iso(e.createdAt))")
            if let sent = e.sentAt { io.print("  sent:        \(TimeText.iso(sent))") }
            if e.state == "pending" { io.print("  next try:    \(TimeText.iso(e.nextAttemptAt))") }
            if let err = e.lastError { io.print("  last error:  \(cell(err, max: 300))") }
            if let by = e.droppedBy { io.print("  dropped by:  \(by)") }
            if let row = e.messageRow { io.print("  the mail:    postdesk raw \(row)") }
        case "retry":
            let ids = inv.arguments.has("all") ? try store.entries(status: "failed").filter { $0.state == "failed" }.map(\.id) : [try id()]
            for n in ids {
                let e = try entry(n)
                guard e.state != "sent" else { throw CLIError(.dataError, "postdesk: outbox row \(n) was sent; it is not sent twice") }
                try store.retry(n, now: now)
                inv.io.print("\(n): queued to send at the next flush")
            }
            if ids.isEmpty { inv.io.print("no failed rows") }
        case "drop":
            let n = try id()
            guard inv.arguments.has("yes") else {
                throw CLIError(.usage, "outbox drop gives the mail up; repeat with --yes to confirm", showUsage: true)
            }
            let e = try entry(n)
            guard e.state == "pending" || e.state == "failed" else { throw CLIError(.dataError, "postdesk: outbox row \(n) is \(e.state)") }
            let actor = inv.io.environment["SUDO_USER"] ?? inv.io.environment["USER"] ?? "operator"
            try store.drop(n, by: actor, now: now)
            inv.io.print("\(n): dropped (record kept)")
        default:
            throw CLIError(.usage, "outbox: unknown action '\(verb)'", showUsage: true)
        }
        return .ok
    }

    static func json(_ e: OutboxEntry) -> JSON {
        .object([
            ("id", .int(e.id)),
            ("ticket", .int(e.ticketNumber)),
            ("kind", .string(e.kind)),
            ("state", .string(e.state)),
            ("recipients", .array(e.recipients.map { .string($0) })),
            ("refused", .array(e.refused.map { .string($0) })),
            ("attempts", .int(e.attempts)),
            ("next_attempt_at", e.state == "pending" ? .string(TimeText.iso(e.nextAttemptAt)) : .null),
            ("last_error", .str(e.lastError)),
            ("created_at", .string(TimeText.iso(e.createdAt))),
            ("sent_at", e.sentAt.map { .string(TimeText.iso($0)) } ?? .null),
            ("dropped_by", .str(e.droppedBy)),
        ])
    }
}
