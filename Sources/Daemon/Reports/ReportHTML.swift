import Foundation
import Ticketing

/// `postdesk report --html FILE`: one self-contained page a manager forwards or prints: a
/// title and date, the key figures, and inline SVG charts (no scripts, fonts or network).
public enum ReportHTML {
    /// The chart titles, in order; the browser test looks for each in the DOM.
    public static let chartTitles = ["Tickets created and resolved", "Backlog", "First response time", "Resolution time",
                                     "SLA met and breached", "Agent load", "Top categories", "Top requester domains"]

    public static func render(_ r: Report, scope: String, generated: Int64) -> String {
        let e = SVGChart.escape
        let range = "\(ReportText.day(r.from)) to \(ReportText.day(r.to - 1))"
        let labels = r.periods.map { ReportText.label($0.start, r.granularity) }
        let t = r.totals
        var body = "<header><h1>Help desk report: \(e(range))</h1>"
        body += "<p class=\"meta\">By \(e(r.granularity.rawValue)), \(e(scope)), times in UTC. Generated \(e(ReportJSON.iso(generated))) by postdesk.</p></header>"
        body += "<section class=\"cards\">"
        for (label, value) in [("Created", "\(t.created)"), ("Resolved", "\(t.resolved)"), ("Closed", "\(t.closed)"), ("Backlog", "\(t.backlog)"),
                               ("Reopen rate", DurationText.percent(t.reopenRate)),
                               ("Median first response", DurationText.short(r.firstResponse.wall.median)),
                               ("Median resolution", DurationText.short(r.resolution.wall.median)),
                               ("Satisfaction", r.ratings == 0 ? "no ratings" : DurationText.percent(r.satisfaction))] {
            body += "<div class=\"card\"><div class=\"value\">\(e(value))</div><div class=\"label\">\(e(label))</div></div>"
        }
        body += "</section>"

        body += "<table><caption>Response and resolution (wall time; business time per the queue's calendar)</caption>"
        body += "<tr><th></th><th>Median</th><th>90th percentile</th><th>Mean</th><th>Business median</th><th>Tickets</th><th>Still without</th></tr>"
        for (name, x) in [("First response", r.firstResponse), ("Resolution", r.resolution)] {
            body += "<tr><th>\(name)</th>" + [DurationText.short(x.wall.median), DurationText.short(x.wall.p90), DurationText.short(x.wall.mean),
                                               x.business.map { DurationText.short($0.median) } ?? "no calendar", "\(x.wall.count)", "\(x.missing)"]
                .map { "<td>\(e($0))</td>" }.joined() + "</tr>"
        }
        body += "</table>"

        body += figure(SVGChart.lines([("Created", "#4a78b5", r.periods.map(\.created)), ("Resolved", "#3a9a5b", r.periods.map(\.resolved))],
                                      labels: labels, title: chartTitles[0]), chartTitles[0])
        body += figure(SVGChart.lines([("Open at end of period", "#c0504d", r.periods.map(\.backlog))], labels: labels, title: chartTitles[1]),
                       chartTitles[1])
        let buckets = Report.durationBuckets.map(\.label)
        body += figure(SVGChart.columns(r.firstResponse.histogram, labels: buckets, title: chartTitles[2]), chartTitles[2])
        body += figure(SVGChart.columns(r.resolution.histogram, labels: buckets, title: chartTitles[3], color: "#3a9a5b"), chartTitles[3])
        let sla = (r.sla?.targets ?? []).map { ($0.target.replacingOccurrences(of: "_", with: " "), [$0.met, $0.breached]) }
        body += figure(SVGChart.bars(sla, legend: [("Met", "#3a9a5b"), ("Breached", "#c0504d")], title: chartTitles[4]), chartTitles[4],
                       note: r.sla == nil ? "No SLA outcomes are recorded for these tickets." : nil)
        body += figure(SVGChart.bars(r.agents.prefix(15).map { ($0.agent, [$0.open, $0.resolved]) },
                                     legend: [("Open now", "#c0504d"), ("Resolved in range", "#3a9a5b")], title: chartTitles[5]),
                       chartTitles[5], note: r.agents.isEmpty ? "No tickets are assigned." : nil)
        body += figure(SVGChart.bars(r.categories.prefix(10).map { ($0.name, [$0.tickets]) }, legend: [("Tickets", "#4a78b5")], title: chartTitles[6]),
                       chartTitles[6], note: r.categories.isEmpty ? "No categories are recorded (routing rules set them)." : nil)
        body += figure(SVGChart.bars(r.domains.prefix(10).map { ($0.name, [$0.tickets]) }, legend: [("Tickets", "#4a78b5")], title: chartTitles[7]),
                       chartTitles[7], note: nil)

        body += "<table><caption>Where tickets wait (as of the report's date)</caption><tr><th>Status</th><th>Tickets</th><th>Median age</th><th>Oldest</th>"
            + Report.ageBuckets.map { "<th>\(e($0.label))</th>" }.joined() + "</tr>"
        for a in r.statusAges {
            body += "<tr><th>\(e(a.status.rawValue))</th><td>\(a.tickets)</td><td>\(e(DurationText.short(a.median)))</td><td>\(e(DurationText.short(a.oldest)))</td>"
                + a.histogram.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        body += "</table>"
        let m = r.messages
        body += "<p>Received \(m.total) messages: human \(DurationText.percent(m.human, of: m.total)), auto-replies \(DurationText.percent(m.autoReply, of: m.total)), "
            + "bounces \(DurationText.percent(m.bounce, of: m.total)), mailing lists \(DurationText.percent(m.list, of: m.total)), "
            + "spam \(m.spam.map { DurationText.percent($0, of: m.total) } ?? "not classified").</p>"

        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>Help desk report: \(e(range))</title>
            <style>
            body { font-family: sans-serif; color: #222; max-width: 680px; margin: 24px auto; padding: 0 12px; }
            h1 { font-size: 22px; margin: 0 0 4px; } .meta { color: #666; margin: 0 0 16px; }
            .cards { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 16px; }
            .card { border: 1px solid #ddd; border-radius: 4px; padding: 8px 10px; min-width: 140px; }
            .value { font-size: 20px; font-weight: bold; } .label { color: #666; font-size: 12px; }
            figure { margin: 18px 0; break-inside: avoid; } figcaption { font-weight: bold; margin-bottom: 4px; }
            .note { color: #666; font-size: 12px; }
            table { border-collapse: collapse; margin: 12px 0; font-size: 13px; break-inside: avoid; }
            caption { text-align: left; font-weight: bold; margin-bottom: 4px; }
            th, td { border-bottom: 1px solid #eee; padding: 3px 8px; text-align: right; } th:first-child { text-align: left; }
            svg { max-width: 100%; height: auto; }
            @media print { body { margin: 0; max-width: none; } .card { border-color: #999; } }
            </style></head>
            <body>
            \(body)
            </body></html>

            """
    }

    static func figure(_ svg: String, _ title: String, note: String? = nil) -> String {
        "<figure><figcaption>\(SVGChart.escape(title))</figcaption>\(svg)"
            + (note.map { "<div class=\"note\">\(SVGChart.escape($0))</div>" } ?? "") + "</figure>"
    }
}
