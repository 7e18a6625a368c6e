import Daemon
import Store
import Ticketing

/// `postdesk quarantine list|show N|retry N|retry --all|drop N --yes`.
enum QuarantineCommand {
    static let command = Command(
        name: "quarantine", synopsis: "list [--all] | show <id> | raw <id> | retry <id> [--as-new] | retry --all | drop <id> --yes",
        summary: "Inspect, retry or drop messages that could not be processed.",
        help: """
              list          held messages (with --all: also imported and dropped ones)
              show <id>     one entry: where it came from, why it is held, attempts
              raw <id>      write the held message's bytes to stdout, unchanged
              retry <id>    run the message through the intake again (e.g. after raising max_message_bytes)
              retry <id> --as-new   release a message held by stranger_policy "hold" as a new, linked ticket
              retry --all   retry every held message
              drop <id>     discard the message's bytes; the record (who, when, why) is kept. Needs --yes.
            Retry needs the config (the thread rules and limits come from it).
            """,
        values: [], flags: ["all", "yes", "json", "as-new"], operands: 1...2, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let verb = inv.operand(0)!
        let db = try inv.openStore()
        let store = QuarantineStore(db: db)
        func id() throws -> Int64 {
            guard let text = inv.operand(1), let n = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text) else {
                throw CLIError(.usage, "quarantine \(verb): needs an entry id", showUsage: true)
            }
            return n
        }
        switch verb {
        case "list":
            let entries = try store.list(includeAll: inv.arguments.has("all"))
            if entries.isEmpty { inv.io.print("quarantine is empty"); return .ok }
            var table = TextTable(["ID", "STATUS", "MAILBOX", "UID", "SIZE", "ATTEMPTS", "SINCE", "REASON"])
            for e in entries {
                table.add([String(e.id), e.status, cell(e.mailbox, max: 20), e.uid.map(String.init) ?? "-", String(e.size),
                           String(e.attempts), TimeText.short(e.createdAt), cell(e.reason, max: 80)])
            }
            table.render().forEach(inv.io.print)
        case "show":
            let n = try id()
            guard let e = try store.entry(n) else { throw CLIError(.noInput, "postdesk: no quarantine entry \(n)") }
            let io = inv.io
            io.print("Quarantine entry \(e.id): \(e.status)")
            io.print("  from:      \(e.mailbox ?? "-") uidvalidity \(e.uidValidity.map(String.init) ?? "-") uid \(e.uid.map(String.init) ?? "-")")
            io.print("  size:      \(e.size) bytes, sha256 \(e.sha256)")
            io.print("  reason:    \(cell(e.reason, max: 300))")
            io.print("  error:     \(cell(e.error, max: 300))")
            io.print("  attempts:  \(e.attempts)")
            io.print("  held:      \(TimeText.iso(e.createdAt)), updated \(TimeText.iso(e.updatedAt))")
            if let by = e.droppedBy { io.print("  dropped by \(by)") }
            io.print("  bytes:     postdesk quarantine raw \(e.id) > message.eml")
        case "raw":
            let n = try id()
            guard let bytes = try store.raw(n) else { throw CLIError(.noInput, "postdesk: no quarantine entry \(n)") }
            inv.io.write(bytes)
        case "retry":
            let config = try inv.config()
            let log = Log(level: .warning, timestamps: false, clock: { [clock = inv.clock] in clock.now() }) { [io = inv.io] in io.error($0) }
            let key: SigningKey
            do { key = try SigningKeyFile.loadOrCreate(path: config.signingKeyFile) } catch {
                throw CLIError(.ioError, "postdesk: \(error)")
            }
            let intake = Intake(db: db, config: config, clock: inv.clock, log: log, signingKey: key)
            let ids: [Int64] = inv.arguments.has("all") ? try store.list().map(\.id) : [try id()]
            var failed = 0
            for n in ids {
                switch try intake.retryQuarantined(n, asNew: inv.arguments.has("as-new")) {
                case .imported(let ticket, let row, let decision):
                    inv.io.print("\(n): imported as message \(row) on ticket #\(ticket) (\(decision))")
                case .duplicate(let row):
                    inv.io.print("\(n): already stored as message \(row)")
                case .ownMail(let row, _):
                    inv.io.print("\(n): our own mail, recorded as message \(row)")
                case .quarantined(_, let reason):
                    failed += 1
                    inv.io.print("\(n): still held: \(reason)")
                case .alreadyTaken:
                    inv.io.print("\(n): nothing to do")
                }
            }
            return failed == 0 ? .ok : .dataError
        case "drop":
            let n = try id()
            guard inv.arguments.has("yes") else {
                throw CLIError(.usage, "quarantine drop discards the message's bytes; repeat with --yes to confirm", showUsage: true)
            }
            guard let e = try store.entry(n) else { throw CLIError(.noInput, "postdesk: no quarantine entry \(n)") }
            guard e.status == "held" else { throw CLIError(.dataError, "postdesk: quarantine entry \(n) is \(e.status), not held") }
            let actor = inv.io.environment["SUDO_USER"] ?? inv.io.environment["USER"] ?? "operator"
            try store.drop(n, by: actor, now: inv.clock.unixSeconds())
            inv.io.print("\(n): dropped (record kept)")
        default:
            throw CLIError(.usage, "quarantine: unknown action '\(verb)'", showUsage: true)
        }
        return .ok
    }
}
