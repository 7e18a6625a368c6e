import Daemon
import Foundation
import MIME
import Store
import Ticketing

/// `postdesk set`, `reply`, `note`, `new`, `merge` and `link`: what agents do by mail, from the command line.
/// Status, priority and assignee changes and replies are written as the agent's mail and go
/// through the intake (same events, same notifications); queue, category and notes, which have
/// no mail form, are written directly, each as an event with the agent as actor.
enum AgentCommands {
    static let asHelp = "  --as AGENT     who acts (default: the agent whose address begins with your user name)"

    static let set = Command(
        name: "set", synopsis: "<ticket> status|priority|queue|category|assignee VALUE [--note TEXT] [--as AGENT]",
        summary: "Change a ticket's status, priority, queue, category or assignee, as an agent.",
        help: """
              status S       new, open, pending, resolved or closed (the customer hears of pending, resolved, closed)
              priority P     low, normal, high or urgent
              queue Q        one of the config's queues
              category C     a category (with routing rules)
              assignee A     one of the config's agents (address), or none
              --note TEXT    also add an internal note
            \(asHelp)
            """,
        values: ["note", "as"], operands: 3...3, run: runSet)

    static let reply = Command(
        name: "reply", synopsis: "<ticket> (--text TEXT | --file F) [--attach FILE]... [--as AGENT]",
        summary: "Answer the customer on a ticket, as an agent (commands like #resolve at the top work as by mail).",
        help: """
              --text TEXT    the reply
              --file F       the reply, from a file (- for standard input)
              --attach FILE  a file to attach (again for more)
            \(asHelp)
            """,
        values: ["text", "file", "attach", "as"], operands: 1...1, run: runReply)

    static let note = Command(
        name: "note", synopsis: "<ticket> --text TEXT [--as AGENT]",
        summary: "Add an internal note to a ticket (never mailed; found by search).",
        help: "  --text TEXT    the note\n" + asHelp,
        values: ["text", "as"], operands: 1...1, run: runNote)

    static let new = Command(
        name: "new", synopsis: "--from ADDRESS --subject S --text T [--as AGENT]",
        summary: "Open a ticket for a customer who called (acknowledged and announced as for a mail).",
        help: """
              --from ADDRESS  the customer's address
              --subject S     the subject
              --text T        what they asked
            \(asHelp)
            """,
        values: ["from", "subject", "text", "as"], run: runNew)

    static let merge = Command(
        name: "merge", synopsis: "<from> <into> [--reason TEXT] [--yes] [--as AGENT]",
        summary: "Merge ticket <from> into <into>: its messages, people and history move; mail to <from> lands on <into>.",
        help: """
              <from>         the duplicate; it stays as a closed stub that forwards to <into>
              <into>         the ticket that goes on (not closed, not itself merged away)
              --reason TEXT  why (recorded on both tickets; default "agent command")
              --yes          merge even though the customers differ: <from>'s requester and Cc's
                             then get <into>'s replies and so see another customer's conversation
            \(asHelp)
            """,
        values: ["reason", "as"], flags: ["yes"], operands: 2...2, run: runMerge)

    static let link = Command(
        name: "link", synopsis: "<a> <b> [--as AGENT]",
        summary: "Link two tickets as related (shown on both; nothing is mailed).",
        help: asHelp, values: ["as"], operands: 2...2, run: runLink)

    static func runSet(_ inv: Invocation) throws -> ExitCode {
        let field = inv.operand(1)!, value = inv.operand(2)!
        let action = try AgentAction(inv)
        let ticket = try AgentAction.ticket(inv, 0, in: action.db)
        let now = inv.clock.unixSeconds()
        switch field {
        case "status", "priority", "assignee":
            let command: String
            switch field {
            case "status":
                guard TicketStatus(rawValue: value) != nil else { throw usage("status", TicketStatus.allCases.map(\.rawValue)) }
                command = "#status \(value)"
            case "priority":
                guard TicketPriority(rawValue: value) != nil else { throw usage("priority", TicketPriority.allCases.map(\.rawValue)) }
                command = "#priority \(value)"
            default:
                // One of the config's agents: the value becomes a command line of the agent's mail,
                // so anything else (a stranger's address, a line break carrying a second command)
                // is refused here rather than mailed ticket details or obeyed.
                let agents = action.config.agents.map { $0.email.lowercased() }
                let wanted = value.lowercased()
                guard wanted == "none" || agents.contains(wanted) else { throw usage("assignee", agents + ["none"]) }
                command = wanted == "none" ? "#unassign" : "#assign \(wanted)"
            }
            let outcome = try action.mail { try action.intake.agentMail(ticket: ticket.number, agent: action.agent, body: command + "\n") }
            try report(outcome, action: action, inv: inv)
        case "queue":
            guard action.config.queues.contains(where: { $0.name == value }) else {
                throw usage("queue", action.config.queues.map(\.name))
            }
            try action.db.transaction {
                try direct(action, ticket, column: "queue", value: value, old: ticket.queue, now: now)
                // Another queue may mean another SLA policy or auto-resolve time: re-timed from history, as the intake does.
                try action.intake.retimeSLA(ticketID: ticket.id, now: now)
            }
            inv.io.print("ticket #\(ticket.number): queue \(ticket.queue) -> \(value)")
        case "category":
            guard try action.db.query("SELECT name FROM pragma_table_info('tickets')").contains(where: { $0.text("name") == "category" }) else {
                throw CLIError(.unavailable, "postdesk: set: this store has no categories yet (they come with routing rules)")
            }
            let old = try action.db.row("SELECT category FROM tickets WHERE id = ?", [ticket.id])?.optionalText("category")
            try direct(action, ticket, column: "category", value: value, old: old, now: now)
            inv.io.print("ticket #\(ticket.number): category \(old ?? "-") -> \(value)")
        default:
            throw CLIError(.usage, "set: the field must be status, priority, queue, category or assignee", showUsage: true)
        }
        if let text = inv.arguments.value("note") {
            let event = try action.note(ticket: ticket, text: text, now: now)
            inv.io.print("ticket #\(ticket.number): note \(event) added")
        }
        return .ok
    }

    static func runReply(_ inv: Invocation) throws -> ExitCode {
        let text: String
        switch (inv.arguments.value("text"), inv.arguments.value("file")) {
        case (let t?, nil): text = t
        case (nil, let f?): text = try read(f, what: "reply")
        default: throw CLIError(.usage, "reply: give the text with --text or --file (one of them)", showUsage: true)
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw CLIError(.usage, "reply: the text is empty", showUsage: true) }
        let attachments = try (inv.arguments.repeated["attach"] ?? []).map { path in
            OutgoingAttachment(filename: (path as NSString).lastPathComponent, contentType: "application/octet-stream",
                               data: Array(try data(path, what: "attachment")), contentID: nil, isInline: false)
        }
        let action = try AgentAction(inv)
        let ticket = try AgentAction.ticket(inv, 0, in: action.db)
        let outcome = try action.mail { try action.intake.agentMail(ticket: ticket.number, agent: action.agent, body: text, attachments: attachments) }
        try report(outcome, action: action, inv: inv)
        return .ok
    }

    static func runNote(_ inv: Invocation) throws -> ExitCode {
        guard let text = inv.arguments.value("text"), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CLIError(.usage, "note: give the note with --text", showUsage: true)
        }
        let action = try AgentAction(inv)
        let ticket = try AgentAction.ticket(inv, 0, in: action.db)
        let event = try action.note(ticket: ticket, text: text, now: inv.clock.unixSeconds())
        inv.io.print("ticket #\(ticket.number): note \(event) added")
        return .ok
    }

    static func runNew(_ inv: Invocation) throws -> ExitCode {
        guard let from = inv.arguments.value("from"), let subject = inv.arguments.value("subject"), let text = inv.arguments.value("text") else {
            throw CLIError(.usage, "new: --from, --subject and --text are all needed", showUsage: true)
        }
        guard let address = MailboxAddress.parse(from)?.address, address.contains("@") else {
            throw CLIError(.usage, "new: --from must be an e-mail address", showUsage: true)
        }
        let action = try AgentAction(inv, requireAgent: false)
        let outcome = try action.mail { try action.intake.phoneTicket(from: address, subject: subject, text: text) }
        guard case .imported(let number, _, _) = outcome.0, let ticket = try TicketStore(db: action.db).ticket(number: number) else {
            throw CLIError(.dataError, "postdesk: new: no ticket was opened: \(outcome.0)")
        }
        if !action.agent.isEmpty {
            _ = try action.note(ticket: ticket, text: "opened by phone by \(action.agent)", now: inv.clock.unixSeconds())
        }
        try report(outcome, action: action, inv: inv)
        return .ok
    }

    /// As the agent's `#merge <into> [reason]` on ticket <from>: the same checks, events and mails.
    static func runMerge(_ inv: Invocation) throws -> ExitCode {
        let (fromNumber, intoNumber) = try pair(inv, verb: "merge")
        let reason = inv.arguments.value("reason").map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") } ?? ""
        let action = try AgentAction(inv)
        let from = try AgentAction.ticket(inv, 0, in: action.db)
        let into = try AgentAction.ticket(inv, 1, in: action.db)
        if let away = from.mergedInto {
            throw CLIError(.dataError, "postdesk: merge: ticket #\(fromNumber) is already merged into #\(away)")
        }
        // (A closed or merged-away target is refused by the merge itself, with its own reason.)
        let store = TicketStore(db: action.db)
        let copies = { (id: Int64) in try store.participants(ticketID: id).filter { $0.role == ParticipantRole.cc.rawValue }.map(\.address).sorted() }
        var confirmed: String?
        if into.mergedInto == nil, into.status != .closed,
           let warning = TicketMerge.disclosure(from: Int(fromNumber), requester: from.requester, fromOthers: try copies(from.id),
                                                into: Int(intoNumber), intoRequester: into.requester, intoOthers: try copies(into.id)) {
            inv.io.error("postdesk: warning: \(warning)")
            guard inv.arguments.has("yes") else {
                throw CLIError(.usage, "merge: the customers differ; nothing was merged (add --yes to merge all the same)")
            }
            // Seen and confirmed here: the agent is not mailed the same warning (a different one still goes).
            confirmed = warning
        }
        let outcome = try action.mail {
            try action.intake.agentMail(ticket: from.number, agent: action.agent, body: "#merge \(intoNumber) \(reason)\n",
                                        confirmedDisclosure: confirmed)
        }
        try report(outcome, action: action, inv: inv)
        inv.io.print("ticket #\(fromNumber) merged into #\(intoNumber)")
        return .ok
    }

    /// As the agent's `#link <b>` on ticket <a>.
    static func runLink(_ inv: Invocation) throws -> ExitCode {
        let (a, b) = try pair(inv, verb: "link")
        let action = try AgentAction(inv)
        let first = try AgentAction.ticket(inv, 0, in: action.db)
        _ = try AgentAction.ticket(inv, 1, in: action.db)
        if let away = first.mergedInto {
            throw CLIError(.dataError, "postdesk: link: ticket #\(a) was merged into #\(away); link that one")
        }
        let outcome = try action.mail { try action.intake.agentMail(ticket: first.number, agent: action.agent, body: "#link \(b)\n") }
        try report(outcome, action: action, inv: inv)
        inv.io.print("tickets #\(a) and #\(b) are related")
        return .ok
    }

    /// Two different ticket numbers, else a usage error.
    static func pair(_ inv: Invocation, verb: String) throws -> (Int64, Int64) {
        let a = try ShowCommand.ticketNumber(inv.operand(0)!), b = try ShowCommand.ticketNumber(inv.operand(1)!)
        guard a != b else { throw CLIError(.usage, "\(verb): give two different tickets (#\(a) twice)", showUsage: true) }
        return (a, b)
    }

    /// A field with no mail command (queue, category): updated with its event in one transaction.
    static func direct(_ action: AgentAction, _ ticket: TicketRecord, column: String, value: String, old: String?, now: Int64) throws {
        guard old != value else { return }
        try action.db.transaction {
            // `column` is one of two fixed names chosen above, never user text.
            try action.db.execute("UPDATE tickets SET \(column) = ?, updated_at = ? WHERE id = ?", [value, now, ticket.id])
            try TicketStore(db: action.db).addEvent(ticketID: ticket.id, type: column, field: column, oldValue: old, newValue: value,
                                                    actor: action.agent, reason: "command line", now: now)
        }
    }

    /// What a mail-path action did: the ticket, the events it caused, the mails queued.
    static func report(_ result: (IntakeOutcome, Int64), action: AgentAction, inv: Invocation) throws {
        guard case .imported(let number, let row, _) = result.0 else { return }
        let db = action.db
        let refused = try db.query("SELECT reason FROM ticket_events WHERE message_row = ? AND type = 'command-refused'", [row])
        let mails = try db.query("""
            SELECT kind, recipients FROM outbox WHERE ticket_id = (SELECT ticket_id FROM messages WHERE id = ?) AND id > ? ORDER BY id
            """, [row, result.1])
        inv.io.print("ticket #\(number): message \(row) recorded")
        for r in refused { inv.io.error("postdesk: refused: \(r.text("reason"))") }
        for m in mails { inv.io.print("  queued \(m.text("kind")) to \(m.text("recipients").replacingOccurrences(of: "\n", with: ", "))") }
        if !refused.isEmpty { throw CLIError(.dataError, "postdesk: the ticket did not change as asked") }
    }

    static func usage(_ field: String, _ allowed: [String]) -> CLIError {
        CLIError(.usage, "set: \(field) must be one of \(allowed.joined(separator: ", "))", showUsage: true)
    }

    static func read(_ path: String, what: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        return String(decoding: try data(path, what: what), as: UTF8.self)
    }

    static func data(_ path: String, what: String) throws -> Data {
        guard let d = FileManager.default.contents(atPath: path) else { throw CLIError(.noInput, "postdesk: cannot read the \(what) \(path)") }
        return d
    }
}
