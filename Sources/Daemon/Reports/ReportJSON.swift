import Foundation
import Ticketing

/// The stable `postdesk report --json` shape (README, "JSON output"): keys are only added.
/// Durations are whole seconds (`_s`), shares 0…1, times ISO 8601 UTC; unknown values are null.
public enum ReportJSON {
    public static func render(_ r: Report, generated: Int64) -> JSON {
        .object([
            ("from", .string(iso(r.from))), ("to", .string(iso(r.to))), ("by", .string(r.granularity.rawValue)),
            ("generated", .string(iso(generated))),
            ("totals", .object([("created", n(r.totals.created)), ("resolved", n(r.totals.resolved)), ("closed", n(r.totals.closed)),
                                ("reopened", n(r.totals.reopened)), ("first_resolved", n(r.totals.firstResolved)),
                                ("reopen_rate", share(r.totals.reopenRate)), ("backlog", n(r.totals.backlog))])),
            ("first_response", timing(r.firstResponse)),
            ("resolution", timing(r.resolution)),
            ("sla", .object([("met", .int(r.sla.map { Int64($0.met) })), ("breached", .int(r.sla.map { Int64($0.breached) })),
                             ("targets", .array((r.sla?.targets ?? []).map {
                                 .object([("target", .string($0.target)), ("met", n($0.met)), ("breached", n($0.breached))])
                             }))])),
            ("satisfaction", .object([("rate", share(r.satisfaction)), ("ratings", n(r.ratings))])),
            ("agents", .array(r.agents.map { a in
                .object([("agent", .string(a.agent)), ("handled", n(a.handled)), ("resolved", n(a.resolved)), ("open", n(a.open)),
                         ("median_first_response_s", .int(a.medianFirstResponse)), ("satisfaction", share(a.satisfaction)),
                         ("ratings", n(a.ratings))])
            })),
            ("queues", .array(r.queues.map {
                .object([("queue", .string($0.name)), ("tickets", n($0.tickets)), ("median_resolution_s", .int($0.medianResolution)),
                         ("satisfaction", share($0.satisfaction)), ("ratings", n($0.ratings))])
            })),
            ("categories", groups(r.categories, key: "category")),
            ("domains", groups(r.domains, key: "domain")),
            ("messages", .object([("total", .int(r.messages.total)), ("human", .int(r.messages.human)),
                                  ("auto_reply", .int(r.messages.autoReply)), ("bounce", .int(r.messages.bounce)),
                                  ("list", .int(r.messages.list)), ("spam", .int(r.messages.spam))])),
            ("status_age", .array(r.statusAges.map { a in
                .object([("status", .string(a.status.rawValue)), ("tickets", n(a.tickets)), ("median_s", .int(a.median)),
                         ("oldest_s", .int(a.oldest)), ("histogram", histogram(a.histogram, Report.ageBuckets))])
            })),
            ("periods", .array(r.periods.map { p in
                .object([("start", .string(iso(p.start))), ("created", n(p.created)), ("resolved", n(p.resolved)),
                         ("closed", n(p.closed)), ("backlog", n(p.backlog)), ("ratings_good", n(p.ratingsGood)),
                         ("ratings_bad", n(p.ratingsBad))])
            })),
        ])
    }

    static func timing(_ t: Report.Timing) -> JSON {
        .object([("tickets", n(t.wall.count)), ("median_s", .int(t.wall.median)), ("p90_s", .int(t.wall.p90)), ("mean_s", .int(t.wall.mean)),
                 ("business_median_s", .int(t.business?.median)), ("business_p90_s", .int(t.business?.p90)),
                 ("business_mean_s", .int(t.business?.mean)), ("missing", n(t.missing)),
                 ("histogram", histogram(t.histogram, Report.durationBuckets))])
    }

    static func groups(_ gs: [Report.Group], key: String) -> JSON {
        .array(gs.map { .object([(key, .string($0.name)), ("tickets", n($0.tickets)), ("median_resolution_s", .int($0.medianResolution))]) })
    }

    static func histogram(_ counts: [Int], _ buckets: [(label: String, upTo: Int64?)]) -> JSON {
        .array(zip(buckets, counts).map { .object([("label", .string($0.label)), ("up_to_s", .int($0.upTo)), ("tickets", n($1))]) })
    }

    static func n(_ v: Int) -> JSON { .number(Double(v)) }
    static func share(_ v: Double?) -> JSON { v.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null }
    static func iso(_ t: Int64) -> String { UTCTimestamp.iso(Date(timeIntervalSince1970: TimeInterval(t)), milliseconds: false) }
}
