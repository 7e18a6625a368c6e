import Daemon
import Foundation
import Store
import Ticketing

/// What the agent commands (`set`, `reply`, `note`, `new`) share: who acts, and an intake
/// over the store with the instance's signing key, so a CLI action is processed like a mail.
struct AgentAction {
    let config: Config
    let db: Database
    let agent: String
    let intake: Intake

    /// `--as AGENT`, else the agent whose address begins with the invoking user's name
    /// (`$SUDO_USER`, then `$USER`): `ann` acts as `ann@example.com`.
    init(_ inv: Invocation, requireAgent: Bool = true) throws {
        config = try inv.config()
        let agents = config.agents.map { $0.email.lowercased() }
        if let named = inv.arguments.value("as")?.lowercased() {
            guard agents.contains(named) else {
                throw CLIError(.usage, "--as \(named) is not one of the config's agents (\(agents.joined(separator: ", ")))", showUsage: true)
            }
            agent = named
        } else {
            let user = inv.io.environment["SUDO_USER"] ?? inv.io.environment["USER"] ?? ""
            let mapped = agents.filter { !user.isEmpty && $0.hasPrefix(user.lowercased() + "@") }
            guard mapped.count == 1 || !requireAgent else {
                throw CLIError(.usage, "say who acts with --as AGENT (no single agent's address begins with '\(user)@')", showUsage: true)
            }
            agent = mapped.first ?? ""
        }
        db = try inv.openStore()
        let key: SigningKey
        do { key = try SigningKeyFile.loadOrCreate(path: config.signingKeyFile) } catch {
            throw CLIError(.ioError, "postdesk: \(error)")
        }
        let log = Log(level: .warning, timestamps: false, clock: { [clock = inv.clock] in clock.now() }) { [io = inv.io] in io.error($0) }
        intake = Intake(db: db, config: config, clock: inv.clock, log: log, signingKey: key)
    }

    /// The ticket named by operand `index` (`1234` or `#1234`), which must exist.
    static func ticket(_ inv: Invocation, _ index: Int, in db: Database) throws -> TicketRecord {
        let number = try ShowCommand.ticketNumber(inv.operand(index)!, command: inv.command.name)
        guard let ticket = try TicketStore(db: db).ticket(number: number) else { throw CLIError(.noInput, "postdesk: no ticket #\(number)") }
        return ticket
    }

    /// Runs a mail-path action, mapping its failure to a clear message; also returns the last
    /// outbox row before it, so the mails it queued can be listed.
    func mail(_ body: () throws -> IntakeOutcome) throws -> (IntakeOutcome, Int64) {
        do {
            let before = try db.row("SELECT COALESCE(MAX(id), 0) AS n FROM outbox")?.int("n") ?? 0
            return (try body(), before)
        } catch let error as Intake.ActionError {
            throw CLIError(.dataError, "postdesk: \(error)")
        } catch let error as StoreError where error.isBusy {
            throw CLIError(.tempFail, "postdesk: the database is busy, try again: \(error)")
        }
    }

    /// Records an internal note on the ticket, searchable, never mailed.
    func note(ticket: TicketRecord, text: String, now: Int64) throws -> Int64 {
        try db.transaction {
            let event = try TicketStore(db: db).addEvent(ticketID: ticket.id, type: "note", actor: agent, reason: text, now: now)
            try SearchIndex(db: db).add(noteEvent: event, text: text, at: now)
            return event
        }
    }
}
