import Daemon
import Store
import Ticketing

/// `postdesk tickets`: list tickets, newest first.
enum TicketsCommand {
    static let command = Command(
        name: "tickets", synopsis: "[--status S] [--queue Q] [--limit N] [--json]",
        summary: "List tickets, newest first.",
        help: """
              --status S   only tickets in status S (new, open, pending, resolved, closed)
              --queue Q    only tickets in queue Q
              --limit N    at most N tickets (default 50)
              --json       print a JSON array of ticket objects (see README, "JSON output")
            """,
        values: ["status", "queue", "limit"], flags: ["json"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        var status: TicketStatus?
        if let s = inv.arguments.value("status") {
            guard let parsed = TicketStatus(rawValue: s) else {
                throw CLIError(.usage, "--status must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))", showUsage: true)
            }
            status = parsed
        }
        let limit = try inv.intOption("limit", default: 50, range: 1...1_000_000)
        let store = TicketStore(db: try inv.openStore())
        let tickets = try store.tickets(status: status, queue: inv.arguments.value("queue"), limit: limit)
        if inv.arguments.has("json") {
            inv.io.print(JSON.array(tickets.map(TicketJSON.ticket)).serialized())
            return .ok
        }
        if tickets.isEmpty {
            inv.io.print("no tickets")
            return .ok
        }
        var table = TextTable(["#", "STATUS", "PRIORITY", "QUEUE", "ASSIGNEE", "REQUESTER", "UPDATED", "SUBJECT"])
        for t in tickets {
            table.add([String(t.number), t.status.rawValue, t.priority.rawValue, cell(t.queue, max: 16),
                       cell(t.assignee, max: 24), cell(t.requester, max: 32), TimeText.short(t.updatedAt), cell(t.subject)])
        }
        table.render().forEach(inv.io.print)
        return .ok
    }
}
