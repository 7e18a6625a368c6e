import Daemon
import Store

/// `postdesk show <ticket>`: one ticket and its timeline of events and messages.
enum ShowCommand {
    static let command = Command(
        name: "show", synopsis: "<ticket> [--json]",
        summary: "Show one ticket with its timeline of events and messages.",
        help: """
              <ticket>   the ticket number, as in the subject tag (1234 or #1234)
              --json     print {"ticket": {...}, "timeline": [...]} (see README, "JSON output")
            """,
        flags: ["json"], operands: 1...1, run: run)

    /// `command`: the command whose operand it is, named in the error.
    static func ticketNumber(_ text: String, command: String = "show") throws -> Int64 {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let n = Int64(digits), n > 0 else {
            throw CLIError(.usage, "\(command): '\(text)' is not a ticket number", showUsage: true)
        }
        return n
    }

    static func run(_ inv: Invocation) throws -> ExitCode {
        let number = try ticketNumber(inv.operand(0)!)
        let store = TicketStore(db: try inv.openStore())
        guard let ticket = try store.ticket(number: number) else {
            throw CLIError(.noInput, "postdesk: no ticket #\(number)")
        }
        let participants = try store.participants(ticketID: ticket.id)
        let links = try store.links(ticketID: ticket.id)
        let dead = try store.undeliverable(among: participants.map(\.address) + [ticket.requester])
        let events = try store.events(ticketID: ticket.id)
        let messages = try store.messages(ticketID: ticket.id)
        let clocks = try store.slaRecords(ticketID: ticket.id)
        let sla = SLAText(inv)
        let routing = try store.routing(ticketID: ticket.id)
        // Events and messages merged in time order; a message's own event follows it.
        enum Item { case event(TicketEventRecord), message(MessageRecord) }
        var timeline: [(at: Int64, order: Int, item: Item)] = []
        for m in messages { timeline.append((m.createdAt, 0, .message(m))) }
        for e in events { timeline.append((e.createdAt, 1, .event(e))) }
        timeline.sort { ($0.at, $0.order) < ($1.at, $1.order) }

        if inv.arguments.has("json") {
            let items: [JSON] = timeline.map {
                switch $0.item {
                case .event(let e): return TicketJSON.event(e)
                case .message(let m): return TicketJSON.message(m)
                }
            }
            let people: [JSON] = participants.map { p in
                .object([("address", .string(p.address)), ("role", .string(p.role)),
                         ("undeliverable", .bool(dead.contains { $0.address == p.address }))])
            }
            let linked: [JSON] = links.map { .object([("ticket", .int($0.number)), ("kind", .string($0.kind))]) }
            let routed = JSON.object([("tags", .array(routing.tags.map { .string($0) })), ("category", .str(routing.category)),
                                      ("language", .str(routing.language)),
                                      ("waiting_for", .str(routing.assignPending))])
            inv.io.print(JSON.object([("ticket", TicketJSON.ticket(ticket)), ("routing", routed), ("participants", .array(people)),
                                      ("links", .array(linked)), ("sla", .array(clocks.map(sla.json))),
                                      ("timeline", .array(items))]).serialized())
            return .ok
        }
        let io = inv.io
        io.print("Ticket #\(ticket.number): \(cell(ticket.subject, max: 200))")
        io.print("  status:    \(ticket.status.rawValue)")
        if let into = ticket.mergedInto { io.print("  merged into #\(into): its messages and history are there; mail to #\(ticket.number) lands there") }
        io.print("  priority:  \(ticket.priority.rawValue)")
        io.print("  queue:     \(ticket.queue)")
        io.print("  assignee:  \(cell(ticket.assignee))")
        io.print("  requester: \(cell(ticket.requester))")
        if !routing.tags.isEmpty { io.print("  tags:      \(routing.tags.joined(separator: ", "))") }
        if let c = routing.category { io.print("  category:  \(cell(c))") }
        if let l = routing.language { io.print("  language:  \(l)") }
        if let w = routing.assignPending { io.print("  waiting:   for \(w) to come on duty") }
        io.print("  created:   \(TimeText.iso(ticket.createdAt))")
        io.print("  updated:   \(TimeText.iso(ticket.updatedAt))")
        if let policy = clocks.first?.policy {
            io.print("  sla:       policy \(policy)")
            for clock in clocks { io.print("             \(sla.sentence(clock))") }
        }
        if !participants.isEmpty {
            io.print("  people:    " + participants.map { p in
                let mark = dead.contains { $0.address == p.address } ? ", UNDELIVERABLE" : ""
                return "\(cell(p.address, max: 60)) (\(p.role)\(mark))"
            }.joined(separator: ", "))
        }
        for d in dead {
            io.print("  undeliverable: \(d.address) \(d.status ?? "") \(cell(d.diagnostic, max: 120)) (we no longer mail it)")
        }
        for link in links {
            let kind: String
            switch link.kind {
            case "mentions": kind = "mentions"
            case "merged": kind = link.number == ticket.mergedInto ? "merged into" : "merged from"
            case "related": kind = "related to"
            default: kind = "follows up"
            }
            io.print("  \(kind) ticket #\(link.number)")
        }
        io.print("")
        io.print("Timeline:")
        for entry in timeline {
            switch entry.item {
            case .message(let m):
                let arrow = m.direction == "in" ? "<-" : "->"
                let who = m.direction == "in" ? "from \(cell(m.fromAddress, max: 48))" : "sent"
                io.print("  \(TimeText.short(m.createdAt))  \(arrow) message \(m.id) \(who) (\(m.size) bytes): \(cell(m.subject))")
                if let d = m.decision { io.print("                    decision: \(cell(d, max: 120))") }
            case .event(let e):
                var text = "  \(TimeText.short(e.createdAt))  ** \(e.type)"
                if let f = e.field, f != e.type { text += " \(f)" }
                if e.oldValue != nil || e.newValue != nil { text += ": \(e.oldValue ?? "-") -> \(e.newValue ?? "-")" }
                text += " by \(cell(e.actor, max: 48))"
                if let r = e.reason { text += " (\(cell(r, max: 120)))" }
                io.print(text)
            }
        }
        return .ok
    }
}
