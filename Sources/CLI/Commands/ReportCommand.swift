import Daemon
import Foundation
import Store
import Ticketing

/// `postdesk report`: the manager's figures for a time range, as tables, JSON, CSV or HTML.
enum ReportCommand {
    static let command = Command(
        name: "report", synopsis: "[--from DATE] [--to DATE] [--queue Q] [--agent A] [--by day|week|month] [--calendar NAME] [--json|--csv [--table T]|--html FILE]",
        summary: "Volume, response and resolution times, agents, backlog and waiting tickets for a time range.",
        help: """
              --from DATE     start of the range (default: 30 days before --to); 2026-11-01 or 2026-11-01T08:00, UTC
              --to DATE       end of the range (default: now); a plain date includes that whole day
              --queue Q       only tickets of queue Q
              --agent A       only tickets assigned to A
              --by P          day, week (from Monday) or month (default: by the length of the range)
              --calendar NAME business times in this calendar of the config's "calendars" (or 24x7);
                              default: each queue's SLA calendar (sla_defaults, normal priority)
              --json          the figures as one JSON object (see README, "JSON output")
              --csv           one table as CSV; --table names it: \(ReportCSV.tables.joined(separator: ", ")) (default periods)
              --html FILE     a self-contained HTML report with charts, for a browser or to print
            """,
        values: ["from", "to", "queue", "agent", "by", "table", "html", "calendar"], flags: ["json", "csv"], run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let now = inv.clock.unixSeconds()
        var to = try DateArgument.option(inv, "to") ?? now
        if let text = inv.arguments.value("to"), DateArgument.isPlainDate(text) { to += 86_400 }
        let from = try DateArgument.option(inv, "from") ?? to - 30 * 86_400
        guard from < to else { throw CLIError(.usage, "report: --from must be before --to", showUsage: true) }
        let granularity: ReportGranularity
        if let by = inv.arguments.value("by") {
            guard let g = ReportGranularity(rawValue: by) else { throw CLIError(.usage, "--by must be day, week or month", showUsage: true) }
            granularity = g
        } else {
            granularity = to - from <= 31 * 86_400 ? .day : to - from <= 183 * 86_400 ? .week : .month
        }
        let outputs = [inv.arguments.has("json"), inv.arguments.has("csv"), inv.arguments.value("html") != nil].filter { $0 }.count
        guard outputs <= 1 else { throw CLIError(.usage, "report: choose one of --json, --csv and --html", showUsage: true) }
        let table = inv.arguments.value("table") ?? "periods"
        if inv.arguments.value("table") != nil && !inv.arguments.has("csv") {
            throw CLIError(.usage, "report: --table goes with --csv", showUsage: true)
        }
        guard ReportCSV.tables.contains(table) else {
            throw CLIError(.usage, "report: --table must be one of \(ReportCSV.tables.joined(separator: ", "))", showUsage: true)
        }

        let queue = inv.arguments.value("queue"), agent = inv.arguments.value("agent")
        // A configured spam rule makes "no spam" a finding (0 %), not "not classified".
        let spamRule = try configAtHand(inv)?.rules.rules.contains(where: { $0.then.contains { if case .spam = $0 { true } else { false } } }) == true
        let report = try ReportStore(db: try inv.openStore()).report(from: from, to: to, queue: queue, agent: agent, granularity: granularity,
                                                                    now: now, business: try businessClock(inv), spamClassified: spamRule)
        let scope = [queue.map { "queue \($0)" } ?? "all queues", agent.map { "agent \($0)" }].compactMap { $0 }.joined(separator: ", ")

        if inv.arguments.has("json") {
            inv.io.print(ReportJSON.render(report, generated: now).serialized())
        } else if inv.arguments.has("csv") {
            inv.io.write(Array(ReportCSV.render(report, table: table)!.utf8))
        } else if let file = inv.arguments.value("html") {
            let html = ReportHTML.render(report, scope: scope, generated: now)
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
            } catch {
                throw CLIError(.ioError, "postdesk: report: cannot write \(file): \(error.localizedDescription)")
            }
            inv.io.print("wrote \(file)")
        } else {
            ReportText.render(report, scope: scope, generated: now).forEach(inv.io.print)
        }
        return .ok
    }

    /// The config, unless only `--db` is given and no config file is there to read.
    static func configAtHand(_ inv: Invocation) throws -> Config? {
        let configGiven = inv.arguments.value("config") != nil || inv.io.environment["POSTDESK_CONFIG"] != nil
        guard inv.arguments.value("db") == nil || configGiven || FileManager.default.fileExists(atPath: inv.configPath) else { return nil }
        return try inv.config()
    }

    /// Business time needs a working calendar: the one `--calendar` names, else each queue's
    /// from its default SLA policy (`sla_defaults`, normal priority) when a config is at hand.
    static func businessClock(_ inv: Invocation) throws -> (any BusinessClock)? {
        guard let name = inv.arguments.value("calendar") else {
            guard let config = try configAtHand(inv) else { return nil }
            var calendars: [String: WorkingCalendar] = [:]
            for q in config.queues {
                calendars[q.name] = config.sla.policy(requested: nil, queue: q.name, priority: .normal)?.calendar
            }
            return calendars.isEmpty ? nil : CalendarBusinessClock(queues: calendars, fallback: nil)
        }
        if name == WorkingCalendar.alwaysName { return CalendarBusinessClock(fallback: .always) }
        guard let calendar = try inv.config().calendar(named: name) else {
            throw CLIError(.usage, "report: no calendar '\(name)' in the config's \"calendars\"", showUsage: true)
        }
        return CalendarBusinessClock(fallback: calendar)
    }
}
