import Ticketing

/// `postdesk report --csv --table NAME`: one table as RFC 4180 CSV (header row, CRLF, quoted
/// when needed), for a spreadsheet.
public enum ReportCSV {
    public static let tables = ["periods", "totals", "timing", "sla", "agents", "queues", "categories", "domains", "messages", "status-age"]

    /// nil for an unknown table name.
    public static func render(_ r: Report, table: String) -> String? {
        let rows: [[String]]
        func d(_ v: Int64?) -> String { v.map(String.init) ?? "" }
        func s(_ v: Double?) -> String { v.map { String(($0 * 10_000).rounded() / 10_000) } ?? "" }
        switch table {
        case "periods":
            rows = [["start", "created", "resolved", "closed", "backlog", "ratings_good", "ratings_bad"]] + r.periods.map {
                [ReportText.label($0.start, r.granularity), "\($0.created)", "\($0.resolved)", "\($0.closed)", "\($0.backlog)",
                 "\($0.ratingsGood)", "\($0.ratingsBad)"]
            }
        case "totals":
            let t = r.totals
            rows = [["created", "resolved", "closed", "reopened", "first_resolved", "reopen_rate", "backlog", "sla_met", "sla_breached",
                     "satisfaction", "ratings"],
                    ["\(t.created)", "\(t.resolved)", "\(t.closed)", "\(t.reopened)", "\(t.firstResolved)", s(t.reopenRate), "\(t.backlog)",
                     r.sla.map { "\($0.met)" } ?? "", r.sla.map { "\($0.breached)" } ?? "", s(r.satisfaction), "\(r.ratings)"]]
        case "timing":
            rows = [["measure", "tickets", "median_s", "p90_s", "mean_s", "business_median_s", "business_p90_s", "business_mean_s", "missing"]]
                + [("first_response", r.firstResponse), ("resolution", r.resolution)].map { name, x in
                    [name, "\(x.wall.count)", d(x.wall.median), d(x.wall.p90), d(x.wall.mean), d(x.business?.median), d(x.business?.p90),
                     d(x.business?.mean), "\(x.missing)"]
                }
        case "sla":
            rows = [["target", "met", "breached"]] + (r.sla?.targets ?? []).map { [$0.target, "\($0.met)", "\($0.breached)"] }
        case "agents":
            rows = [["agent", "handled", "resolved", "open", "median_first_response_s", "satisfaction", "ratings"]] + r.agents.map {
                [$0.agent, "\($0.handled)", "\($0.resolved)", "\($0.open)", d($0.medianFirstResponse), s($0.satisfaction), "\($0.ratings)"]
            }
        case "queues", "categories", "domains":
            let key = String(table.dropLast(table == "categories" ? 3 : 1)) + (table == "categories" ? "y" : "")
            let groups = table == "queues" ? r.queues : table == "categories" ? r.categories : r.domains
            // Queues also carry their satisfaction.
            let queues = table == "queues"
            rows = [[key, "tickets", "median_resolution_s"] + (queues ? ["satisfaction", "ratings"] : [])] + groups.map {
                [$0.name, "\($0.tickets)", d($0.medianResolution)] + (queues ? [s($0.satisfaction), "\($0.ratings)"] : [])
            }
        case "messages":
            let m = r.messages
            rows = [["total", "human", "auto_reply", "bounce", "list", "spam"],
                    ["\(m.total)", "\(m.human)", "\(m.autoReply)", "\(m.bounce)", "\(m.list)", d(m.spam)]]
        case "status-age":
            rows = [["status", "tickets", "median_s", "oldest_s"] + Report.ageBuckets.map(\.label)] + r.statusAges.map {
                [$0.status.rawValue, "\($0.tickets)", d($0.median), d($0.oldest)] + $0.histogram.map(String.init)
            }
        default:
            return nil
        }
        return rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// A field quoted when it holds a comma, quote or line break; a leading `=+-@` is
    /// prefixed with `'` so a spreadsheet never runs a name as a formula.
    static func field(_ s: String) -> String {
        var v = s
        if let c = v.first, "=+-@".contains(c), Double(v) == nil { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
