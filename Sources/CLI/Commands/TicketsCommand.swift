import Daemon
import Store
import Ticketing

/// `postdesk tickets`: list tickets, newest first.
enum TicketsCommand {
    static let command = Command(
        name: "tickets", synopsis: "[--status S] [--queue Q] [--limit N] [--sort due] [--merged] [--json]",
        summary: "List tickets, newest first (or by SLA deadline).",
        help: """
              --status S   only tickets in status S (new, open, pending, resolved, closed)
              --queue Q    only tickets in queue Q
              --limit N    at most N tickets (default 50)
              --sort due   soonest SLA deadline first (overdue first, tickets without one last)
              --merged     also list tickets merged into others (hidden by default)
              --json       print a JSON array of ticket objects (see README, "JSON output")
            """,
        values: ["status", "queue", "limit", "sort"], flags: ["json", "merged"], run: run)

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
        let byDue: Bool
        switch inv.arguments.value("sort") {
        case nil: byDue = false
        case "due": byDue = true
        case let other?: throw CLIError(.usage, "--sort must be due (not \(other))", showUsage: true)
        }
        let merged = inv.arguments.has("merged")
        let tickets = byDue ? try store.ticketsByDue(status: status, queue: inv.arguments.value("queue"), limit: limit, includeMerged: merged)
            : try store.tickets(status: status, queue: inv.arguments.value("queue"), limit: limit, includeMerged: merged)
        if inv.arguments.has("json") {
            inv.io.print(JSON.array(tickets.map(TicketJSON.ticket)).serialized())
            return .ok
        }
        if tickets.isEmpty {
            inv.io.print("no tickets")
            return .ok
        }
        let sla = SLAText(inv)
        var table = TextTable(["#", "STATUS", "PRIORITY", "QUEUE", "ASSIGNEE", "REQUESTER", "UPDATED", "DUE", "SUBJECT"])
        for t in tickets {
            let due = SLAText.mostPressing(try store.slaRecords(ticketID: t.id)).map(sla.cell) ?? "-"
            table.add([String(t.number), t.mergedInto.map { "merged→#\($0)" } ?? t.status.rawValue, t.priority.rawValue, cell(t.queue, max: 16),
                       cell(t.assignee, max: 24), cell(t.requester, max: 32), TimeText.short(t.updatedAt), due, cell(t.subject)])
        }
        table.render().forEach(inv.io.print)
        return .ok
    }
}
