import Daemon
import Foundation
import Store
import Ticketing

/// How the CLI tells SLA clocks: in words relative to now, in business time when the policy's
/// calendar is known (the config is optional for reading commands), else in wall-clock time.
struct SLAText {
    let now: Int64
    let policies: [String: SLAPolicy]

    init(_ inv: Invocation) {
        now = inv.clock.unixSeconds()
        // Quietly: with only --db the config may be absent, and the words fall back to wall time.
        policies = (try? Config.load(path: inv.configPath))?.sla.policies ?? [:]
    }

    /// Working seconds between two instants in the record's calendar, and whether that is
    /// business time (false: wall clock, the calendar being 24x7 or unknown).
    func span(_ record: SLARecord, from a: Int64, to b: Int64) -> (seconds: Int, business: Bool) {
        guard let calendar = policies[record.policy]?.calendar, !calendar.isAlways else { return (Int(b - a), false) }
        let date = { (s: Int64) in Date(timeIntervalSince1970: TimeInterval(s)) }
        let forward = a <= b
        let seconds = calendar.businessSeconds(from: date(min(a, b)), to: date(max(a, b)))
        return (forward ? Int(seconds) : -Int(seconds), true)
    }

    /// `first response due in 1h 20m (business time), 2026-12-08 09:25 UTC`.
    func sentence(_ r: SLARecord) -> String {
        let name = r.target.words
        let at = { (s: Int64) in "\(TimeText.short(s)) UTC" }
        switch r.phase {
        case .met:
            let when = r.metAt.map(at) ?? "-"
            guard let breached = r.breachedAt, let met = r.metAt else { return "\(name) met \(when) (in time)" }
            return "\(name) met \(when) (late by \(SLADuration.words(Int(met - breached))))"
        case .stopped:
            return "\(name) not needed (ticket \(r.status.rawValue) without a reply)\(r.breachedAt != nil ? ", was overdue" : "")"
        case .paused where (r.dueAt ?? Int64.max) > now:
            let left = Int(r.targetSeconds - r.usedSeconds)
            return "\(name) paused (\(r.status.rawValue)), \(SLADuration.words(left)) left"
        case .running, .paused:
            guard let due = r.dueAt else { return "\(name) running" }
            if due > now {
                let left = span(r, from: now, to: due)
                return "\(name) due in \(SLADuration.words(left.seconds))\(left.business ? " (business time)" : ""), \(at(due))"
            }
            let over = span(r, from: due, to: now)
            return "\(name) overdue by \(SLADuration.words(over.seconds))\(over.business ? " (business time)" : ""), was due \(at(due))"
        }
    }

    /// For a table cell: `in 1h 20m`, `overdue 25m`, `paused`, `met`.
    func cell(_ r: SLARecord) -> String {
        switch r.phase {
        case .met: return r.breachedAt == nil ? "met" : "met late"
        case .stopped: return "-"
        case .paused where (r.dueAt ?? Int64.max) > now: return "paused"
        case .running, .paused:
            guard let due = r.dueAt else { return "-" }
            return due > now ? "in \(SLADuration.words(span(r, from: now, to: due).seconds))"
                : "overdue \(SLADuration.words(span(r, from: due, to: now).seconds))"
        }
    }

    /// The clock that matters most for a ticket's DUE column: the soonest running deadline,
    /// else a paused one.
    static func mostPressing(_ records: [SLARecord]) -> SLARecord? {
        records.filter { $0.phase == .running && $0.dueAt != nil }.min { $0.dueAt! < $1.dueAt! }
            ?? records.first { $0.phase == .paused }
    }

    func json(_ r: SLARecord) -> JSON {
        .object([
            ("ticket", .int(r.number)),
            ("target", .string(r.target.rawValue)),
            ("policy", .string(r.policy)),
            ("state", .string(r.phase.rawValue)),
            ("due_at", r.dueAt.map { .string(TimeText.iso($0)) } ?? .null),
            ("warn_at", r.warnAt.map { .string(TimeText.iso($0)) } ?? .null),
            ("met_at", r.metAt.map { .string(TimeText.iso($0)) } ?? .null),
            ("breached_at", r.breachedAt.map { .string(TimeText.iso($0)) } ?? .null),
            ("used_seconds", .int(r.usedSeconds)),
            ("target_seconds", .int(r.targetSeconds)),
            ("text", .string(sentence(r))),
        ])
    }
}
