import Daemon
import Foundation
import MIME
import Ticketing

/// `postdesk rules bench <dir>`: the cost of the rules alone. Messages are parsed once, outside
/// the timing; each round evaluates the config's rules on every message (folding each field
/// afresh, as intake does), and the same with no rules as the baseline, in one run.
enum RulesBench {
    static func run(_ inv: Invocation, directory: String) throws -> ExitCode {
        let config = try inv.config()
        let rounds = try inv.intOption("rounds", default: 200, range: 1...1_000_000)
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw CLIError(.noInput, "postdesk: \(directory): cannot read directory")
        }
        var facts: [RuleFacts] = []
        let customers = config.customers
        while let name = walker.nextObject() as? String {
            guard name.hasSuffix(".eml"), let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            let prepared = PreparedMessage(raw: [UInt8](data))
            let f = prepared.facts
            facts.append(RuleFacts(from: f.from, fromName: f.fromName, to: f.to + f.deliveredTo, cc: f.cc, mailbox: "support",
                                   subject: f.subject, text: prepared.text ?? "", headers: f.headers,
                                   attachments: prepared.attachments.map { .init(contentType: $0.contentType, filename: $0.filename ?? "") },
                                   size: data.count, messageClass: .human, customer: customers.profile(for: f.from),
                                   arrival: ArrivalFacts(weekday: 3, hour: 11, businessHours: true)))
        }
        guard !facts.isEmpty else { throw CLIError(.noInput, "postdesk: \(directory): no .eml files") }
        /// Wall and CPU (this thread's) microseconds per message: on a shared machine the CPU
        /// time is the steadier figure.
        func measure(_ rules: RuleSet) -> (micros: Double, cpu: Double, matched: Int) {
            var matched = 0
            for f in facts { matched &+= rules.evaluate(f, trigger: .new).hits.count } // warm-up
            matched = 0
            let clock = ContinuousClock()
            let start = clock.now, cpuStart = threadCPUSeconds()
            for _ in 0..<rounds {
                for f in facts { matched &+= rules.evaluate(f, trigger: .new).hits.count }
            }
            let cpu = threadCPUSeconds() - cpuStart
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            let n = Double(rounds * facts.count)
            return (seconds * 1e6 / n, cpu * 1e6 / n, matched / rounds)
        }
        let none = measure(.empty)
        let these = measure(config.rules)
        func us(_ v: Double) -> String { String(format: "%.2f", v) }
        inv.io.print("rules bench: \(facts.count) messages x \(rounds) rounds")
        inv.io.print("  no rules:  \(us(none.micros)) us/message (cpu \(us(none.cpu)))")
        inv.io.print("  \(config.rules.rules.count) rules: \(us(these.micros)) us/message (cpu \(us(these.cpu))) (\(these.matched) hits per pass over the messages)")
        return .ok
    }
}

/// This thread's CPU time, in seconds (the benches' steadier figure on a shared machine).
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
