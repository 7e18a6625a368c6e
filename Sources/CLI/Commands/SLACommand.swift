import Daemon
import Store
import Ticketing

/// `postdesk sla`: the SLA clocks of open tickets at risk, soonest deadline first.
enum SLACommand {
    static let command = Command(
        name: "sla", synopsis: "[--breached] [--due-within D] [--queue Q] [--limit N] [--json]",
        summary: "List open tickets' SLA deadlines, soonest first (overdue first of all).",
        help: """
              --breached       only clocks past their deadline
              --due-within D   only clocks due within D (like 2h, 90m, 1d; overdue ones included)
              --queue Q        only tickets in queue Q
              --limit N        at most N clocks (default 100)
              --json           print a JSON array of clocks
            """,
        values: ["due-within", "queue", "limit"], flags: ["breached", "json"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let limit = try inv.intOption("limit", default: 100, range: 1...1_000_000)
        var dueBefore: Int64?
        if let text = inv.arguments.value("due-within") {
            guard let span = try? SLADuration.parse(text) else {
                throw CLIError(.usage, "--due-within must be a duration like 2h, 90m or 1d", showUsage: true)
            }
            dueBefore = inv.clock.unixSeconds() + Int64(span.seconds)
        }
        let store = TicketStore(db: try inv.openStore())
        let records = try store.slaAtRisk(queue: inv.arguments.value("queue"), breachedOnly: inv.arguments.has("breached"),
                                          dueBefore: dueBefore, limit: limit)
        let text = SLAText(inv)
        if inv.arguments.has("json") {
            inv.io.print(JSON.array(records.map(text.json)).serialized())
            return .ok
        }
        if records.isEmpty {
            inv.io.print("no SLA clocks at risk")
            return .ok
        }
        var table = TextTable(["#", "TARGET", "DUE", "WHEN", "POLICY", "ASSIGNEE", "QUEUE", "SUBJECT"])
        for r in records {
            table.add([String(r.number), r.target.words, text.cell(r), r.dueAt.map(TimeText.short) ?? "-", r.policy,
                       cell(r.assignee, max: 24), cell(r.queue, max: 16), cell(r.subject)])
        }
        table.render().forEach(inv.io.print)
        return .ok
    }
}
