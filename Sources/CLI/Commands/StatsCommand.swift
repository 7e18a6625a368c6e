import Daemon
import Store

/// `postdesk stats`: the metrics figures, for a person.
enum StatsCommand {
    static let command = Command(
        name: "stats", synopsis: "[--prometheus]",
        summary: "Print tickets by status, outbox, quarantine and per-mailbox figures.",
        help: "  --prometheus   print the Prometheus text format the metrics file holds",
        flags: ["prometheus"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let names = (try? inv.config().mailboxes.map(\.name)) ?? []
        let db = try inv.openStore()
        let metrics = try Metrics.fromStore(db, mailboxNames: names)
        if inv.arguments.has("prometheus") {
            inv.io.write(Array(metrics.prometheusText().utf8))
        } else {
            inv.io.print(metrics.render(now: inv.clock.unixSeconds()))
            inv.io.print("Quarantine:   \(try QuarantineStore(db: db).heldCount()) held")
        }
        return .ok
    }
}
