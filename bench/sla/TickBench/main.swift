// The SLA scheduler's tick on a store of N open tickets (default 100 000), each with running
// clocks: milliseconds per tick when nothing is due and when a batch of alerts is due, against
// the baseline a naive scheduler would pay (re-evaluating every open ticket's clocks each tick),
// measured in the same run. Prints `figure:` lines; asserts nothing.
import Daemon
import Foundation
import Store
import Ticketing

/// A clock the bench moves by hand.
final class BenchClock: Clock, @unchecked Sendable {
    var current: Date
    init(_ start: Date) { current = start }
    func now() -> Date { current }
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

let args = CommandLine.arguments
let n = args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000
let due = args.count > 2 ? Int(args[2]) ?? 100 : 100
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-sla-bench-\(getpid())")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let clock = BenchClock(Date(timeIntervalSince1970: 1_795_000_000))
let now = Int64(clock.now().timeIntervalSince1970)
let db = try Store.open(path: dir.appendingPathComponent("bench.db").path, now: now)
let config = try Config.parse(Array("""
    {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
     "agents": [{"email": "agent1@example.test"}],
     "sla_policies": {"p1": {"first_response": "4h", "resolution": "24h", "escalate_to": "lead@example.test"}},
     "sla_defaults": {"*": "p1"}}
    """.utf8), file: "bench.json")
let policy = config.sla.policies["p1"]!

// N open tickets created over the last 30 days, each with its clocks as the intake stores them;
// every 20th is pending (the auto-resolve scan reads those). Deadlines spread over the next
// days, so the index holds N × 2 alerts of which only `due` are due at `now`.
let build = try milliseconds {
    try db.transaction {
        for i in 0..<n {
            let status = i % 20 == 0 ? "pending" : "open"
            let created = now - Int64(i % (30 * 86_400))
            try db.execute("""
                INSERT INTO tickets (number, subject, status, priority, queue, requester, created_at, updated_at)
                VALUES (?, ?, ?, 'normal', 'support', ?, ?, ?)
                """, [i + 1, "Ticket \(i)", status, "c\(i)@customer.test", created, created])
            let id = db.lastInsertRowID
            try db.execute("INSERT INTO ticket_events (ticket_id, type, new_value, actor, created_at) VALUES (?, 'create', 'new', 'c', ?)",
                           [id, created])
            // Silence deadlines as the intake stores them: pending tickets resolve a week after.
            try db.execute("""
                INSERT INTO ticket_sla_policy (ticket_id, policy, updated_at, silence_action, silence_due_at) VALUES (?, 'p1', ?, ?, ?)
                """, [id, now, status == "pending" ? "resolve" : nil, status == "pending" ? created + 7 * 86_400 : nil])
            let alertAt = i < due ? now - 1 : now + 60 + Int64(i) * 7
            for (target, seconds) in [("first_response", 4 * 3600), ("resolution", 24 * 3600)] {
                try db.execute("""
                    INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, due_at, warn_at, used_seconds,
                                            target_seconds, next_alert_at, updated_at)
                    VALUES (?, ?, 'p1', 'running', ?, ?, ?, 0, ?, ?, ?)
                    """, [id, target, created, alertAt + 3600, alertAt, seconds, alertAt, now])
            }
        }
    }
}
print("built \(n) open tickets (\(n / 20) pending) with \(2 * n) clocks in \(Int(build)) ms")

let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
let intake = Intake(db: db, config: config, clock: clock, log: log)
let scheduler = SLAScheduler(intake: intake, clock: clock, log: log)

// 1. A tick with `due` warnings to send (events, outbox rows), then idle ticks.
var report = SLAScheduler.Report()
let busy = milliseconds { report = scheduler.tick() }
var idle: [Double] = []
for _ in 0..<20 {
    clock.current += 1
    idle.append(milliseconds { scheduler.tick() })
}
// 2. Baseline: what a scheduler without stored deadlines pays, re-evaluating every open
//    ticket's clocks from its history each tick (read history, run SLAClock).
let tickets = TicketStore(db: db)
var baseline: [Double] = []
for _ in 0..<3 {
    baseline.append(try milliseconds {
        for row in try db.query("SELECT id FROM tickets WHERE status IN ('new', 'open', 'pending')") {
            let history = try tickets.slaHistory(ticketID: row.int("id"))
            _ = SLAClock(policy: policy).evaluate(history, now: clock.now())
        }
    })
}
// 3. Auto-close's read, before and after the silence deadlines were stored: the scan of every
//    pending ticket with the time of its last status change or customer message (what each tick
//    did before), against the index read of the deadlines that have come (what it does now).
var scan: [Double] = [], indexed: [Double] = []
for _ in 0..<20 {
    scan.append(try milliseconds {
        _ = try db.query("""
            SELECT t.id, t.number, t.queue, t.created_at,
                   (SELECT MAX(e.created_at) FROM ticket_events e
                    WHERE e.ticket_id = t.id AND e.type IN ('create', 'status', 'customer-wrote')) AS since
            FROM tickets t WHERE t.status = ?
            """, ["pending"])
    })
    indexed.append(try milliseconds { _ = try tickets.silenceDue(now: clock.unixSeconds()) })
}
print("auto-close read (median of 20): scan of \(n / 20) pending tickets \(String(format: "%.2f", median(scan))) ms, "
      + "silence index \(String(format: "%.3f", median(indexed))) ms, ratio \(String(format: "%.0f", median(scan) / max(median(indexed), 0.001)))x")
print("tick with \(report.warnings) warnings due: \(String(format: "%.1f", busy)) ms")
print("idle tick (median of 20): \(String(format: "%.2f", median(idle))) ms")
print("baseline, re-evaluate every open ticket (median of 3): \(String(format: "%.0f", median(baseline))) ms")
print("figure: sla_tick N=\(n) busy_ms=\(String(format: "%.1f", busy)) alerts=\(report.warnings) idle_ms=\(String(format: "%.2f", median(idle))) baseline_ms=\(String(format: "%.0f", median(baseline))) target_ms=50")
// The idle tick as it was: today's, with the index read swapped for the scan (both measured above).
let before = median(idle) - median(indexed) + median(scan)
print("idle tick before the silence index (today's tick - index read + scan): \(String(format: "%.2f", before)) ms, "
      + "after: \(String(format: "%.2f", median(idle))) ms, ratio \(String(format: "%.1f", before / median(idle)))x")
print("figure: sla_idle_tick_before_after N=\(n) before_ms=\(String(format: "%.2f", before)) after_ms=\(String(format: "%.2f", median(idle))) ratio=\(String(format: "%.1f", before / median(idle)))")
print("figure: sla_auto_close_read N=\(n) pending=\(n / 20) scan_ms=\(String(format: "%.2f", median(scan))) index_ms=\(String(format: "%.3f", median(indexed))) ratio=\(String(format: "%.0f", median(scan) / max(median(indexed), 0.001)))")
