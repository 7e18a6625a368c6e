import Daemon
import Foundation
import Store
import Ticketing

/// `postdesk rules bench <dir> --intake`: what the rules cost the intake as a whole, without
/// mail servers. Each round ingests every .eml of `dir` (in name order, as UIDs 1, 2, …) into
/// a fresh store in a temporary directory, through the daemon's own `Intake` in batches of 200
/// like a poll, once with the config as it is and once with its rules removed (same queues,
/// agents and customers); the two alternate, and which goes first alternates by round. Messages
/// are parsed before the timing (the fetch thread's work); the figure is the ingesting thread's
/// CPU per message, wall beside it, and the ratio per round.
enum RulesIntakeBench {
    static func run(_ inv: Invocation, directory: String, rounds: Int) throws -> ExitCode {
        let config = try inv.config()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".eml") }.sorted() ?? []
        let messages = names.compactMap { FileManager.default.contents(atPath: directory + "/" + $0).map { [UInt8]($0) } }
        guard !messages.isEmpty else { throw CLIError(.noInput, "postdesk: \(directory): no .eml files") }
        AllocatorSettings.apply()
        var bare = config
        bare.rules = .empty
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-rules-intake-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let variants = [("no rules", bare), ("\(config.rules.rules.count) rules", config)]
        var results: [[(cpu: Double, wall: Double)]] = [[], []]
        inv.io.print("rules bench --intake: \(messages.count) messages x \(rounds) rounds, fresh store each")
        for round in 0..<rounds {
            for k in (round % 2 == 0 ? [0, 1] : [1, 0]) {
                let path = work.appendingPathComponent("round\(round)-\(k).db").path
                let r = try ingest(messages, config: variants[k].1, path: path, clock: inv.clock)
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                results[k].append(r)
                inv.io.print("  round \(round + 1) \(variants[k].0): cpu \(us(r.cpu)) us/message, wall \(us(r.wall))")
            }
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        for k in 0..<2 {
            let cpu = results[k].map(\.cpu), wall = results[k].map(\.wall)
            inv.io.print("  \(variants[k].0): cpu median \(us(median(cpu))) min \(us(cpu.min()!)) us/message; wall median \(us(median(wall)))")
        }
        let cpuRatios = zip(results[1], results[0]).map { $0.cpu / $1.cpu - 1 }
        let wallRatios = zip(results[1], results[0]).map { $0.wall / $1.wall - 1 }
        inv.io.print("  rules vs none per round: cpu " + cpuRatios.map(percent).joined(separator: " ")
                     + "; wall " + wallRatios.map(percent).joined(separator: " "))
        inv.io.print("  median: cpu \(percent(median(cpuRatios))), wall \(percent(median(wallRatios)))")
        return .ok
    }

    /// Microseconds per message of the calling thread's CPU and of the wall clock.
    private static func ingest(_ messages: [[UInt8]], config: Config, path: String, clock: any Clock) throws -> (cpu: Double, wall: Double) {
        let db = try Store.open(path: path, now: clock.unixSeconds())
        let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
        let intake = Intake(db: db, config: config, clock: clock, log: log)
        let prepare = intake.earlyPreparer
        var cpu = 0.0, wall = 0.0
        var uid: Int64 = 0
        for start in stride(from: 0, to: messages.count, by: 200) {
            let batch = messages[start..<min(start + 200, messages.count)]
            let prepared = batch.map { prepare($0) }
            let (c0, w0) = (threadCPUSeconds(), DispatchTime.now().uptimeNanoseconds)
            try intake.batch {
                for (raw, early) in zip(batch, prepared) {
                    uid += 1
                    _ = try intake.ingest(raw: raw, key: DeliveryKey(mailbox: "bench", uidValidity: 1, uid: uid, action: "seen"), prepared: early)
                }
            }
            cpu += threadCPUSeconds() - c0
            wall += Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9
        }
        let n = Double(messages.count)
        return (cpu * 1e6 / n, wall * 1e6 / n)
    }

    private static func us(_ v: Double) -> String { String(format: "%.1f", v) }
    private static func percent(_ v: Double) -> String { String(format: "%+.1f %%", v * 100) }
}
