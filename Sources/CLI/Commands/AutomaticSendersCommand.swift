import Daemon
import Foundation
import Store
import Ticketing

/// `postdesk auto-senders [--all] [--json]`, `auto-senders forget <address>`: the addresses the
/// loop defence saw send automatic mail, to which automatic mail is withheld for a while.
enum AutomaticSendersCommand {
    static let command = Command(
        name: "auto-senders", synopsis: "[list] [--all] [--json] | forget <address>",
        summary: "Addresses that sent automatic mail: acknowledgements and notices to them are withheld.",
        help: """
              list              addresses whose automatic mail withholds ours now (with --all: every one recorded)
              forget <address>  drop an address's record (it is a person after all); its next auto-reply records it again
              --json            a JSON array: {"address", "withheld_until", "messages", "first_at", "last_at", "human_at", "reason", "message_row"}
            An address is recorded when mail from it is classified auto-reply (Auto-Submitted, X-Autoreply,
            an out-of-office subject...). Acknowledgements, status and assignment notices to it are not queued
            for notifications.automatic_sender_days (default 30) after its last automatic message, or until
            a person writes from it. An agent's reply always goes.
            """,
        values: [], flags: ["all", "json"], operands: 0...2, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let store = AutomaticSenderStore(db: try inv.openStore())
        switch inv.operand(0) ?? "list" {
        case "list":
            // The window comes from the config when there is one (a listing needs no mail set-up).
            let days = (try? inv.config())?.notifications.automaticSenderDays ?? NotificationsConfig.defaultAutomaticSenderDays
            let now = inv.clock.now()
            let senders = try store.all().filter { inv.arguments.has("all") || $0.withheldUntil(now: now, days: days) != nil }
            if inv.arguments.has("json") {
                inv.io.print(JSON.array(senders.map { json($0, until: $0.withheldUntil(now: now, days: days)) }).serialized())
                return .ok
            }
            if senders.isEmpty {
                inv.io.print(inv.arguments.has("all") ? "no automatic senders recorded" : "no address is withheld now (--all lists every one recorded)")
                return .ok
            }
            var table = TextTable(["ADDRESS", "WITHHELD UNTIL", "MESSAGES", "LAST", "PERSON WROTE", "WHY"])
            for s in senders {
                let until = s.withheldUntil(now: now, days: days)
                table.add([cell(s.address, max: 60), until.map { TimeText.short(seconds($0)) } ?? "-", String(s.messages),
                           TimeText.short(seconds(s.lastAt)), s.humanAt.map { TimeText.short(seconds($0)) } ?? "-", cell(s.reason, max: 60)])
            }
            table.render().forEach(inv.io.print)
        case "forget":
            guard let address = inv.operand(1), address.contains("@") else {
                throw CLIError(.usage, "auto-senders forget: needs an address", showUsage: true)
            }
            guard try store.forget(address) else { throw CLIError(.noInput, "postdesk: \(address) is not recorded as an automatic sender") }
            inv.io.print("\(address.lowercased()): forgotten; automatic mail to it goes again")
        default:
            throw CLIError(.usage, "auto-senders: unknown action '\(inv.operand(0)!)'", showUsage: true)
        }
        return .ok
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970) }

    static func json(_ s: AutomaticSender, until: Date?) -> JSON {
        .object([
            ("address", .string(s.address)),
            ("withheld_until", until.map { .string(TimeText.iso(seconds($0))) } ?? .null),
            ("messages", .int(Int64(s.messages))),
            ("first_at", .string(TimeText.iso(seconds(s.firstAt)))),
            ("last_at", .string(TimeText.iso(seconds(s.lastAt)))),
            ("human_at", s.humanAt.map { .string(TimeText.iso(seconds($0))) } ?? .null),
            ("reason", .string(s.reason)),
            ("message_row", s.messageRow.map { .int($0) } ?? .null),
        ])
    }
}
