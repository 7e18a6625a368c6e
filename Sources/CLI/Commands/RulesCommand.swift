import Daemon
import Foundation
import Ticketing

/// `postdesk rules check` and `postdesk rules test FILE.eml [--mailbox NAME] [--at TIME] [--json]`:
/// the routing rules as loaded, and what the whole intake pipeline would do with one message,
/// writing nothing. Keep the JSON keys stable (operators script against them).
enum RulesCommand {
    static let command = Command(
        name: "rules", synopsis: "check | test <file.eml> [--mailbox NAME] [--at TIME] [--json] | bench <dir> [--rounds N] [--intake]",
        summary: "Validate the routing rules, or try them (and the whole intake) on a saved message.",
        help: """
              check         validate the config and print the rules in evaluation order
              test <file>   parse the message and show, writing nothing: classification, bounce facts,
                            the ticket it would join, each rule (matched or not, and the condition that
                            decided), the resulting queue/priority/status/category/tags/assignee (with
                            who was on duty), language, SLA policy and the notifications that would go
              --mailbox N   as if it arrived in mailbox N (its queue; the mailbox field of conditions)
              --at TIME     as if it arrived at TIME (ISO 8601, e.g. 2026-12-12T10:00:00Z); default now
              --json        {classification, bounce, thread, rules, result, notifications}
              bench <dir>   evaluate the config's rules on every .eml in dir (--rounds N, default 200)
                            and print microseconds per message, beside no rules (bench/rules/run.sh)
              --intake      instead ingest them into scratch stores through the intake, with the rules
                            and without, rounds interleaved (--rounds default 3): CPU per message
            Exit 0; 65 when the file is not a message, 66 when it is missing, 78 for a bad config.
            """,
        values: ["mailbox", "at", "rounds"], flags: ["json", "intake"], operands: 1...2, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        switch inv.operand(0)! {
        case "check":
            guard inv.operand(1) == nil else { throw CLIError(.usage, "rules check takes no file", showUsage: true) }
            return try check(inv)
        case "test":
            guard let path = inv.operand(1) else { throw CLIError(.usage, "rules test: needs a message file", showUsage: true) }
            return try test(inv, path: path)
        case "bench":
            guard let dir = inv.operand(1) else { throw CLIError(.usage, "rules bench: needs a directory of .eml files", showUsage: true) }
            if inv.arguments.has("intake") {
                return try RulesIntakeBench.run(inv, directory: dir, rounds: try inv.intOption("rounds", default: 3, range: 1...1000))
            }
            return try RulesBench.run(inv, directory: dir)
        case let other:
            throw CLIError(.usage, "rules: unknown action '\(other)' (check, test or bench)", showUsage: true)
        }
    }

    static func check(_ inv: Invocation) throws -> ExitCode {
        let config = try inv.config()
        let rules = config.rules.rules
        inv.io.print("\(inv.configPath): \(rules.count) rule\(rules.count == 1 ? "" : "s") OK, evaluated in this order:")
        for (i, rule) in rules.enumerated() {
            let on = rule.on.map(\.rawValue).sorted().joined(separator: ",")
            inv.io.print("  \(i + 1). \(rule.name)  [on: \(on)]\(rule.stop ? " [stop]" : "")")
            inv.io.print("       when: \(rule.when)")
            inv.io.print("       then: \(rule.then.map(\.description).joined(separator: " "))")
        }
        return .ok
    }

    static func test(_ inv: Invocation, path: String) throws -> ExitCode {
        let config = try inv.config()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(.noInput, "postdesk: \(path): cannot read file")
        }
        let at: Date
        if let text = inv.arguments.value("at") {
            guard let parsed = parseTime(text) else {
                throw CLIError(.usage, "--at must be an ISO 8601 time like 2026-12-12T10:00:00Z", showUsage: true)
            }
            at = parsed
        } else {
            at = inv.clock.now()
        }
        let mailbox = inv.arguments.value("mailbox")
        if let mailbox, !config.mailboxes.contains(where: { $0.name == mailbox }) {
            throw CLIError(.usage, "--mailbox: no mailbox named '\(mailbox)' in the config", showUsage: true)
        }
        let result: RuleDryRun.Result
        do {
            result = try RuleDryRun(config: config, databasePath: try inv.databasePath()).run(raw: [UInt8](data), mailbox: mailbox, at: at)
        } catch RuleDryRun.Failure.notAMessage {
            throw CLIError(.dataError, "postdesk: \(path): not an e-mail message (no header fields)")
        }
        let report = RulesTestReport(input: result.input, plan: result.plan, acknowledgeDefault: config.acknowledge)
        if inv.arguments.has("json") {
            inv.io.print(report.json.serialized())
        } else {
            report.text.forEach(inv.io.print)
        }
        return .ok
    }

    /// ISO 8601 with a zone (`Z` or `+02:00`), seconds optional.
    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let d = formatter.date(from: text) { return d }
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withTimeZone, .withDashSeparatorInDate]
        return formatter.date(from: text)
    }
}
