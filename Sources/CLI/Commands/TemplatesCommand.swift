import Daemon
import Foundation
import Store
import Ticketing

/// `postdesk templates check` and `postdesk templates show EVENT [--lang L] [--ticket N]`.
enum TemplatesCommand {
    static let command = Command(
        name: "templates", synopsis: "check | show <event> [--lang L] [--ticket N]",
        summary: "Check the notification templates, or print one mail as it would go.",
        help: """
              check           every event and language: the file used (shipped or override), each rendered
                              against the sample ticket; a broken template exits 78 naming file and line
              show <event>    the mail as it would go (headers, then each part decoded), for the sample ticket
                --lang L      in language L (default: the ticket's, else English)
                --ticket N    for ticket N of the store instead of the sample
            Events: \(NotificationEvent.allCases.map(\.rawValue).joined(separator: ", ")).
            """,
        values: ["lang", "ticket"], flags: [], operands: 1...2, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let config = try inv.config()
        let set = config.notifications.templates
        switch inv.operand(0)! {
        case "check":
            var table = TextTable(["EVENT", "LANG", "TEXT", "HTML", "SUBJECT (SAMPLE)"])
            for t in set.all {
                let rendered = set.render(t, values: .sample(language: t.language))
                table.add([t.event.rawValue, t.language, t.textOrigin, t.htmlOrigin ?? "-", cell(rendered.subject, max: 60)])
            }
            table.render().forEach(inv.io.print)
            // The shipped partials are part of the shipped templates; named once the directory has its own.
            if set.partialOrigins.values.contains(where: { $0 != "shipped" }) {
                inv.io.print("partials: " + set.partialOrigins.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
            }
            let overrides = set.all.filter { $0.textOrigin != "shipped" || ($0.htmlOrigin ?? "shipped") != "shipped" }.count
            inv.io.print("\(set.all.count) templates in \(set.languages.count) languages (\(set.languages.joined(separator: ", "))), "
                         + "\(overrides) overridden: ok")
        case "show":
            guard let name = inv.operand(1) else { throw CLIError(.usage, "templates show: needs an event", showUsage: true) }
            guard let event = NotificationEvent(rawValue: name) else {
                throw CLIError(.usage, "templates show: unknown event '\(name)' (one of \(NotificationEvent.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let language = inv.arguments.value("lang")
            if let language, !TemplateSet.isLanguage(language) {
                throw CLIError(.usage, "--lang must be a language tag such as en, ru, uk, de")
            }
            let raw: [UInt8]
            if let text = inv.arguments.value("ticket") {
                guard let number = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), number > 0 else {
                    throw CLIError(.usage, "--ticket must be a ticket number", showUsage: true)
                }
                let db = try inv.openStore()
                let key: SigningKey
                do { key = try SigningKeyFile.loadOrCreate(path: config.signingKeyFile) } catch {
                    throw CLIError(.ioError, "postdesk: \(error)")
                }
                guard let mail = try NotificationPreview.mail(event, ticket: number, language: language, config: config, db: db,
                                                             key: key, clock: inv.clock) else {
                    throw CLIError(.noInput, "postdesk: no ticket #\(number)")
                }
                raw = mail
            } else {
                raw = NotificationPreview.sample(event, language: language ?? TemplateSet.fallbackLanguage, config: config, clock: inv.clock)
            }
            inv.io.print(NotificationPreview.readable(raw))
        default:
            throw CLIError(.usage, "templates: unknown action '\(inv.operand(0)!)'", showUsage: true)
        }
        return .ok
    }
}
