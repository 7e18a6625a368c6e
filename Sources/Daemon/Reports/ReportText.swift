import Foundation
import Ticketing

/// The report as aligned tables that fit 80 columns, with a sparkline or bar per period.
public enum ReportText {
    public static let width = 80

    /// `scope`: what the report covers beyond the dates, e.g. `queue support`.
    public static func render(_ r: Report, scope: String = "all queues", generated: Int64) -> [String] {
        var out: [String] = []
        out.append("postdesk report: \(day(r.from)) to \(day(r.to - 1)) (UTC), by \(r.granularity.rawValue), \(scope)")
        out.append("generated \(UTCTimestamp.iso(Date(timeIntervalSince1970: TimeInterval(generated)), milliseconds: false))")
        out.append("")
        let t = r.totals
        out.append("Tickets   created \(t.created)   resolved \(t.resolved)   closed \(t.closed)   backlog \(t.backlog)")
        out.append("          reopened \(t.reopened) of \(t.firstResolved) resolved (\(DurationText.percent(t.reopenRate)))"
                   + "   satisfaction \(r.ratings == 0 ? "no ratings" : "\(DurationText.percent(r.satisfaction)) good of \(r.ratings)")")
        if let sla = r.sla {
            out.append("SLA       met \(sla.met)   breached \(sla.breached)   (\(DurationText.percent(Int64(sla.met), of: Int64(sla.met + sla.breached))) met)")
            for t in sla.targets {
                out.append("          \(t.target.replacingOccurrences(of: "_", with: " ")): met \(t.met), breached \(t.breached)")
            }
        } else {
            out.append("SLA       not recorded for these tickets")
        }
        out.append("")
        var timing = TextColumns(["", "MEDIAN", "P90", "MEAN", "BUSINESS MEDIAN", "TICKETS", "WITHOUT"], rightAligned: [1, 2, 3, 4, 5, 6])
        for (name, x) in [("First response", r.firstResponse), ("Resolution", r.resolution)] {
            timing.add([name, DurationText.short(x.wall.median), DurationText.short(x.wall.p90), DurationText.short(x.wall.mean),
                        x.business.map { DurationText.short($0.median) } ?? "no calendar", "\(x.wall.count)", "\(x.missing)"])
        }
        out += timing.render()
        out.append("")

        out.append("By \(r.granularity.rawValue)")
        out.append("  created   " + Sparkline.line(r.periods.map(\.created), width: width - 12))
        out.append("  resolved  " + Sparkline.line(r.periods.map(\.resolved), width: width - 12))
        out.append("  backlog   " + Sparkline.line(r.periods.map(\.backlog), width: width - 12))
        var periods = TextColumns(["PERIOD", "CREATED", "RESOLVED", "CLOSED", "BACKLOG", "SATISF", ""], rightAligned: [1, 2, 3, 4, 5])
        let top = r.periods.map(\.created).max() ?? 0
        for p in r.periods {
            let rated = p.ratingsGood + p.ratingsBad
            periods.add([label(p.start, r.granularity), "\(p.created)", "\(p.resolved)", "\(p.closed)", "\(p.backlog)",
                         rated == 0 ? "-" : DurationText.percent(Int64(p.ratingsGood), of: Int64(rated)),
                         Sparkline.bar(p.created, maximum: top, width: 22)])
        }
        out += periods.render()
        out.append("")

        if r.agents.isEmpty {
            out.append("Agents: no assigned tickets")
        } else {
            var agents = TextColumns(["AGENT", "HANDLED", "RESOLVED", "OPEN", "1ST RESP", "SATISF", "OPEN LOAD"], rightAligned: [1, 2, 3, 4, 5])
            let most = r.agents.map(\.open).max() ?? 0
            for a in r.agents.prefix(30) {
                agents.add([cut(a.agent, 28), "\(a.handled)", "\(a.resolved)", "\(a.open)", DurationText.short(a.medianFirstResponse),
                            DurationText.percent(a.satisfaction), Sparkline.bar(a.open, maximum: most, width: 12)])
            }
            out += agents.render()
        }
        out.append("")
        out += queueTable(r.queues)
        out.append("")
        out += groups("CATEGORY", r.categories, empty: "Categories: none recorded (routing rules set them)")
        out.append("")
        out += groups("REQUESTER DOMAIN", r.domains, empty: "Requester domains: no tickets")
        out.append("")
        let m = r.messages
        out.append("Received \(m.total) messages: human \(DurationText.percent(m.human, of: m.total)), auto-replies "
                   + "\(DurationText.percent(m.autoReply, of: m.total)), bounces \(DurationText.percent(m.bounce, of: m.total)),")
        out.append("  lists \(DurationText.percent(m.list, of: m.total)), spam \(m.spam.map { DurationText.percent($0, of: m.total) } ?? "not classified")")
        out.append("")
        out.append("Waiting now (" + Report.ageBuckets.map(\.label).joined(separator: " ") + ")")
        var ages = TextColumns(["STATUS", "TICKETS", "MEDIAN", "OLDEST", "AGES"], rightAligned: [1, 2, 3])
        for a in r.statusAges {
            ages.add([a.status.rawValue, "\(a.tickets)", DurationText.short(a.median), DurationText.short(a.oldest),
                      a.histogram.map(String.init).joined(separator: " ")])
        }
        out += ages.render()
        return out
    }

    static func groups(_ title: String, _ groups: [Report.Group], empty: String) -> [String] {
        guard !groups.isEmpty else { return [empty] }
        var table = TextColumns([title, "TICKETS", "MEDIAN RESOLUTION", ""], rightAligned: [1, 2])
        let top = groups.first?.tickets ?? 0
        for g in groups.prefix(10) {
            table.add([cut(g.name.isEmpty ? "(none)" : g.name, 34), "\(g.tickets)", DurationText.short(g.medianResolution),
                       Sparkline.bar(g.tickets, maximum: top, width: 16)])
        }
        var lines = table.render()
        if groups.count > 10 { lines.append("  … and \(groups.count - 10) more (see --csv --table \(title == "CATEGORY" ? "categories" : "domains"))") }
        return lines
    }

    /// Tickets, resolution and satisfaction per queue.
    static func queueTable(_ queues: [Report.Group]) -> [String] {
        guard !queues.isEmpty else { return ["Queues: no tickets"] }
        var table = TextColumns(["QUEUE", "TICKETS", "MEDIAN RESOLUTION", "SATISF", "RATINGS"], rightAligned: [1, 2, 3, 4])
        for q in queues.prefix(10) {
            table.add([cut(q.name.isEmpty ? "(none)" : q.name, 34), "\(q.tickets)", DurationText.short(q.medianResolution),
                       DurationText.percent(q.satisfaction), "\(q.ratings)"])
        }
        var lines = table.render()
        if queues.count > 10 { lines.append("  … and \(queues.count - 10) more (see --csv --table queues)") }
        return lines
    }

    static func day(_ t: Int64) -> String { String(UTCTimestamp.iso(Date(timeIntervalSince1970: TimeInterval(t)), milliseconds: false).prefix(10)) }

    /// `2026-11-23` for days and weeks (the Monday), `2026-11` for months.
    public static func label(_ start: Int64, _ g: ReportGranularity) -> String {
        g == .month ? String(day(start).prefix(7)) : day(start)
    }

    /// One line of untrusted text (names, domains), control characters blanked, cut to `max`.
    static func cut(_ s: String, _ max: Int) -> String {
        let clean = String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        return clean.count > max ? String(clean.prefix(max - 1)) + "…" : clean
    }
}

/// Columns separated by two spaces, numbers right-aligned.
struct TextColumns {
    let headers: [String]
    let rightAligned: Set<Int>
    var rows: [[String]] = []

    init(_ headers: [String], rightAligned: Set<Int>) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> [String] {
        let all = [headers] + rows
        var widths = Array(repeating: 0, count: headers.count)
        for row in all { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        return all.map { row in
            var line = row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return rightAligned.contains(i) ? pad + c : (i == row.count - 1 ? c : c + pad)
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return "  " + line
        }
    }
}
