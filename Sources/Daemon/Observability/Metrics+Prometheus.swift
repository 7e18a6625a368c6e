import Ticketing

/// The Prometheus text exposition format (version 0.0.4), for node_exporter's textfile collector,
/// and reading it back so `postdesk stats` can show what the running daemon last wrote.
extension Metrics {
    /// One metric family: its name, type and help, in the order they are written.
    struct Family {
        let name: String
        let type: String
        let help: String
    }

    static let families: [Family] = [
        Family(name: "postdesk_messages_ingested_total", type: "counter",
               help: "Messages stored as a new ticket or a reply, per mailbox, since the daemon started."),
        Family(name: "postdesk_messages_quarantined_total", type: "counter",
               help: "Messages held in quarantine instead of being imported, per mailbox."),
        Family(name: "postdesk_poll_duration_seconds", type: "gauge",
               help: "How long the last poll of the mailbox took."),
        Family(name: "postdesk_last_success_timestamp_seconds", type: "gauge",
               help: "Unix time at which a poll of the mailbox last completed without error."),
        Family(name: "postdesk_mailbox_unaccounted", type: "gauge",
               help: "Messages in the folder at or below the cursor that no delivery accounts for (should be 0)."),
        Family(name: "postdesk_imap_errors_total", type: "counter",
               help: "IMAP failures by mailbox and kind."),
        Family(name: "postdesk_smtp_errors_total", type: "counter",
               help: "SMTP failures by kind."),
        Family(name: "postdesk_outbox_pending", type: "gauge",
               help: "Outgoing mails waiting to be sent or retried."),
        Family(name: "postdesk_outbox_failed", type: "gauge",
               help: "Outgoing mails that failed permanently."),
        Family(name: "postdesk_tickets", type: "gauge",
               help: "Tickets by status."),
        Family(name: "postdesk_sla_breaches", type: "gauge",
               help: "Open tickets past their SLA deadline."),
        Family(name: "postdesk_sla_at_risk", type: "gauge",
               help: "Open tickets warned of an SLA deadline not yet passed."),
    ]

    /// The whole exposition text, families in a fixed order and samples sorted by label, so two
    /// writes of the same figures are byte-identical.
    public func prometheusText() -> String {
        var samples: [String: [String]] = [:]
        func add(_ name: String, _ labels: [(String, String)], _ value: Double) {
            samples[name, default: []].append(Self.sample(name, labels, value))
        }
        for name in mailboxes.keys.sorted() {
            let m = mailboxes[name] ?? Mailbox()
            add("postdesk_messages_ingested_total", [("mailbox", name)], Double(m.ingested))
            add("postdesk_messages_quarantined_total", [("mailbox", name)], Double(m.quarantined))
            if let s = m.lastPollSeconds { add("postdesk_poll_duration_seconds", [("mailbox", name)], s) }
            if let t = m.lastSuccess { add("postdesk_last_success_timestamp_seconds", [("mailbox", name)], Double(t)) }
            add("postdesk_mailbox_unaccounted", [("mailbox", name)], Double(m.unaccounted))
            for kind in m.imapErrors.keys.sorted() {
                add("postdesk_imap_errors_total", [("mailbox", name), ("kind", kind)], Double(m.imapErrors[kind] ?? 0))
            }
        }
        for kind in smtpErrors.keys.sorted() {
            add("postdesk_smtp_errors_total", [("kind", kind)], Double(smtpErrors[kind] ?? 0))
        }
        add("postdesk_outbox_pending", [], Double(outboxPending))
        add("postdesk_outbox_failed", [], Double(outboxFailed))
        for status in TicketStatus.allCases {
            add("postdesk_tickets", [("status", status.rawValue)], Double(tickets[status] ?? 0))
        }
        add("postdesk_sla_breaches", [], Double(slaBreaches))
        add("postdesk_sla_at_risk", [], Double(slaAtRisk))

        var out = ""
        for family in Self.families {
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.type)\n"
            for line in samples[family.name] ?? [] { out += line + "\n" }
        }
        return out
    }

    static func sample(_ name: String, _ labels: [(String, String)], _ value: Double) -> String {
        var line = name
        if !labels.isEmpty {
            line += "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        return line + " " + number(value)
    }

    /// Label values escape backslash, double quote and newline.
    static func escapeLabel(_ s: String) -> String {
        var out = ""
        QuotedText.append(s, to: &out)
        return out
    }

    /// HELP text escapes backslash and newline only.
    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    // MARK: - Reading back

    /// One parsed sample line.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// Parses exposition text into samples. Comments and blank lines are skipped; a malformed
    /// line is reported by number rather than guessed at.
    public static func parseSamples(_ text: String) throws -> [Sample] {
        var samples: [Sample] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let sample = parseSample(Array(line.unicodeScalars)) else {
                throw ParseError(line: index + 1)
            }
            samples.append(sample)
        }
        return samples
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public var description: String { "metrics line \(line): not a Prometheus sample" }
    }

    static func parseSample(_ s: [Unicode.Scalar]) -> Sample? {
        var i = 0
        func isNameChar(_ c: Unicode.Scalar, first: Bool) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == ":" || (!first && c >= "0" && c <= "9")
        }
        func name() -> String? {
            let start = i
            while i < s.count, isNameChar(s[i], first: i == start) { i += 1 }
            return i > start ? String(String.UnicodeScalarView(s[start..<i])) : nil
        }
        guard let metric = name() else { return nil }
        var labels: [String: String] = [:]
        if i < s.count, s[i] == "{" {
            i += 1
            while i < s.count, s[i] != "}" {
                guard let key = name(), i + 1 < s.count, s[i] == "=", s[i + 1] == "\"" else { return nil }
                i += 2
                var value = ""
                while i < s.count, s[i] != "\"" {
                    if s[i] == "\\", i + 1 < s.count {
                        i += 1
                        value.unicodeScalars.append(s[i] == "n" ? "\n" : s[i])
                    } else {
                        value.unicodeScalars.append(s[i])
                    }
                    i += 1
                }
                guard i < s.count else { return nil }
                i += 1
                labels[key] = value
                if i < s.count, s[i] == "," { i += 1 }
            }
            guard i < s.count else { return nil }
            i += 1
        }
        let rest = String(String.UnicodeScalarView(s[i...])).split(separator: " ", omittingEmptySubsequences: true)
        guard let first = rest.first, rest.count <= 2 else { return nil }
        let value: Double
        switch first {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let v = Double(first) else { return nil }
            value = v
        }
        return Sample(name: metric, labels: labels, value: value)
    }

    /// Rebuilds figures from text written by `prometheusText()`. Unknown samples are ignored,
    /// so a newer daemon's file still reads.
    public init(prometheusText text: String) throws {
        self.init()
        for sample in try Self.parseSamples(text) {
            let mailbox = sample.labels["mailbox"] ?? ""
            let kind = sample.labels["kind"] ?? ""
            // Written by us, but still a file on disk: out-of-range numbers become 0, never a trap.
            let inRange = sample.value.isFinite && abs(sample.value) < 9e18
            let count = inRange ? Int(sample.value) : 0
            switch sample.name {
            case "postdesk_messages_ingested_total": mailboxes[mailbox, default: Mailbox()].ingested = count
            case "postdesk_messages_quarantined_total": mailboxes[mailbox, default: Mailbox()].quarantined = count
            case "postdesk_poll_duration_seconds": mailboxes[mailbox, default: Mailbox()].lastPollSeconds = sample.value
            case "postdesk_last_success_timestamp_seconds":
                mailboxes[mailbox, default: Mailbox()].lastSuccess = inRange ? Int64(sample.value) : nil
            case "postdesk_imap_errors_total": mailboxes[mailbox, default: Mailbox()].imapErrors[kind] = count
            case "postdesk_smtp_errors_total": smtpErrors[kind] = count
            case "postdesk_outbox_pending": outboxPending = count
            case "postdesk_outbox_failed": outboxFailed = count
            case "postdesk_tickets":
                if let status = TicketStatus(rawValue: sample.labels["status"] ?? ""), count != 0 { tickets[status] = count }
            case "postdesk_sla_breaches": slaBreaches = count
            case "postdesk_sla_at_risk": slaAtRisk = count
            default: continue
            }
        }
    }
}
