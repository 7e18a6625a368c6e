import Daemon
import Store

/// `postdesk explain <message>`: which rule put a message on its ticket, and why.
enum ExplainCommand {
    static let command = Command(
        name: "explain", synopsis: "<message-row | message-id>",
        summary: "Explain which threading rule placed a message on its ticket, and which routing rules matched.",
        help: "  <message-row>   the row number shown by 'postdesk show'\n  <message-id>    the Message-ID, with or without angle brackets",
        operands: 1...1, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let key = inv.operand(0)!
        let db = try inv.openStore()
        let store = TicketStore(db: db)
        let found: [MessageRecord]
        if let n = Int64(key), n > 0 { found = try store.message(row: n).map { [$0] } ?? [] } else { found = try store.messages(messageID: key) }
        guard !found.isEmpty else { throw CLIError(.noInput, "postdesk: no stored message \(key)") }
        for m in found {
            let ticket = try m.ticketID.flatMap { try store.ticket(id: $0) }
            inv.io.print("message \(m.id) (\(m.direction)) \(m.messageID.map { "<\($0)>" } ?? "(no Message-ID)")")
            inv.io.print("  from:     \(cell(m.fromAddress, max: 200))")
            inv.io.print("  subject:  \(cell(m.subject, max: 200))")
            inv.io.print("  ticket:   \(ticket.map { "#\($0.number)" } ?? "none")")
            inv.io.print("  decision: \(cell(m.decision, max: 400))")
            for rule in try db.query("SELECT field, new_value, reason FROM ticket_events WHERE message_row = ? AND type = 'rule' ORDER BY id", [m.id]) {
                inv.io.print("  rule:     \(cell(rule.optionalText("field"), max: 80)) matched (\(cell(rule.optionalText("reason"), max: 200))): \(cell(rule.optionalText("new_value"), max: 200))")
            }
            for w in try db.query("SELECT new_value, reason FROM ticket_events WHERE message_row = ? AND type = 'assign-waiting' ORDER BY id", [m.id]) {
                inv.io.print("  assign:   waits for \(w.text("new_value")): \(cell(w.optionalText("reason"), max: 300))")
            }
            if m.direction == "in", let from = m.fromAddress, let auto = try AutomaticSenderStore(db: db).sender(from) {
                let days = (try? inv.config())?.notifications.automaticSenderDays ?? NotificationsConfig.defaultAutomaticSenderDays
                let state: String
                if let until = auto.withheldUntil(now: inv.clock.now(), days: days) {
                    state = "automatic mail to it is withheld until \(TimeText.short(Int64(until.timeIntervalSince1970)))"
                } else {
                    state = "automatic mail to it goes: " + (days == 0 ? "notifications.automatic_sender_days is 0"
                        : auto.humanAt.map { $0 >= auto.lastAt } == true ? "a person wrote from it since" : "older than \(days) days")
                }
                inv.io.print("  sender:   sent automatic mail (\(auto.messages), last \(TimeText.short(Int64(auto.lastAt.timeIntervalSince1970))): "
                             + "\(cell(auto.reason, max: 200))); \(state)")
            }
            let deliveries = try db.query("SELECT mailbox, uidvalidity, uid, outcome FROM deliveries WHERE message_row = ? ORDER BY id", [m.id])
            for d in deliveries {
                inv.io.print("  delivery: \(d.text("mailbox")) uidvalidity \(d.int("uidvalidity")) uid \(d.int("uid")) (\(d.text("outcome")))")
            }
        }
        return .ok
    }
}
