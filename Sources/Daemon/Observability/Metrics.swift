import Foundation
import Ticketing

/// The daemon's figures: counters since the process started, and gauges as of the last poll.
/// The daemon fills one value; `MetricsFile` writes it for Prometheus, and `render()` prints it
/// for `postdesk stats`.
public struct Metrics: Sendable, Equatable {
    /// One mailbox's figures.
    public struct Mailbox: Sendable, Equatable {
        public var ingested: Int = 0
        public var quarantined: Int = 0
        /// How long the last poll took, in seconds.
        public var lastPollSeconds: Double?
        /// When a poll last completed without error (unix seconds).
        public var lastSuccess: Int64?
        /// IMAP errors by kind (`connect`, `tls`, `auth`, `protocol`, `timeout`, …).
        public var imapErrors: [String: Int] = [:]
        /// Folder messages at or below the cursor that no delivery accounts for (last poll).
        public var unaccounted: Int = 0
        public init() {}
    }

    /// Mailboxes by name. Every configured mailbox should be present, even with zeroes.
    public var mailboxes: [String: Mailbox] = [:]
    /// SMTP errors by kind.
    public var smtpErrors: [String: Int] = [:]
    public var outboxPending: Int = 0
    public var outboxFailed: Int = 0
    /// Tickets by status; missing statuses count as zero.
    public var tickets: [TicketStatus: Int] = [:]
    /// Open tickets past their SLA deadline.
    public var slaBreaches: Int = 0
    /// SLA clocks of open tickets warned and not yet due.
    public var slaAtRisk: Int = 0

    public init(mailboxNames: [String] = []) {
        for name in mailboxNames { mailboxes[name] = Mailbox() }
    }

    // MARK: - Recording

    public mutating func recordIngested(mailbox: String, count: Int = 1) {
        mailboxes[mailbox, default: Mailbox()].ingested += count
    }

    public mutating func recordQuarantined(mailbox: String, count: Int = 1) {
        mailboxes[mailbox, default: Mailbox()].quarantined += count
    }

    /// A finished poll: its duration, and (when it succeeded) the time it finished.
    public mutating func recordPoll(mailbox: String, seconds: Double, succeededAt: Int64?) {
        mailboxes[mailbox, default: Mailbox()].lastPollSeconds = seconds
        if let succeededAt { mailboxes[mailbox, default: Mailbox()].lastSuccess = succeededAt }
    }

    public mutating func recordIMAPError(mailbox: String, kind: String) {
        mailboxes[mailbox, default: Mailbox()].imapErrors[kind, default: 0] += 1
    }

    public mutating func recordSMTPError(kind: String) {
        smtpErrors[kind, default: 0] += 1
    }

    public var ticketTotal: Int { tickets.values.reduce(0, +) }

    // MARK: - For a person

    /// The figures as `postdesk stats` prints them. `now` (unix seconds) adds "ago" to times.
    public func render(now: Int64? = nil) -> String {
        var lines: [String] = []
        let counts = TicketStatus.allCases.map { "\(tickets[$0] ?? 0) \($0.rawValue)" }
        lines.append("Tickets:      \(counts.joined(separator: ", ")) (\(ticketTotal) total)")
        lines.append("SLA breaches: \(slaBreaches)")
        lines.append("SLA at risk:  \(slaAtRisk)")
        lines.append("Outbox:       \(outboxPending) pending, \(outboxFailed) failed")
        lines.append("SMTP errors:  \(Self.kinds(smtpErrors))")
        lines.append("")
        if mailboxes.isEmpty {
            lines.append("Mailboxes:    none")
        } else {
            var rows = [["MAILBOX", "INGESTED", "QUARANTINED", "LAST POLL", "LAST SUCCESS", "IMAP ERRORS"]]
            for name in mailboxes.keys.sorted() {
                let m = mailboxes[name] ?? Mailbox()
                rows.append([
                    Self.oneLine(name), String(m.ingested), String(m.quarantined),
                    m.lastPollSeconds.map { String(format: "%.2fs", $0) } ?? "-",
                    m.lastSuccess.map { Self.time($0, now: now) } ?? "never",
                    Self.kinds(m.imapErrors),
                ])
            }
            lines.append("Mailboxes:")
            lines += Self.columns(rows).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// `auth=1, connect=2`, or `none`.
    static func kinds(_ counts: [String: Int]) -> String {
        let nonzero = counts.filter { $0.value > 0 }
        if nonzero.isEmpty { return "none" }
        return nonzero.keys.sorted().map { "\(Self.oneLine($0))=\(nonzero[$0] ?? 0)" }.joined(separator: ", ")
    }

    static func columns(_ rows: [[String]]) -> [String] {
        var widths = [Int](repeating: 0, count: rows.first?.count ?? 0)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
    }

    static func time(_ seconds: Int64, now: Int64?) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                          Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
        guard let now else { return text }
        let age = max(0, now - seconds)
        let ago = age < 120 ? "\(age)s" : age < 7200 ? "\(age / 60)m" : age < 172_800 ? "\(age / 3600)h" : "\(age / 86400)d"
        return "\(text) (\(ago) ago)"
    }

    /// Mailbox names and error kinds come from config and code, but a table must stay one line.
    static func oneLine(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
