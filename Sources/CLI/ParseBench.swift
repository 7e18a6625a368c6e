import Foundation
import MIME

/// `postdesk parse --bench DIR`: parser throughput over every .eml under DIR, for three kinds
/// of work so each figure compares like with like (bench/mime/run.sh):
/// - `desk`: parse + chosen text + reply text + attachments listed (what intake does);
/// - `full`: parse + every body text decoded + every attachment decoded (as mailparse's
///   `parse_email` through fast-mail-parser);
/// - `lazy`: parse + every body text decoded + attachments listed, left encoded (as its `mode="lazy"`).
enum ParseBench {
    enum Work: String, CaseIterable { case desk, full, lazy }

    static func run(_ inv: Invocation, directory: String) throws -> ExitCode {
        let rounds = try inv.intOption("rounds", default: 20, range: 1...100_000)
        var works = Work.allCases
        if let name = inv.arguments.value("work") {
            guard let w = Work(rawValue: name) else {
                throw CLIError(.usage, "--work must be desk, full or lazy", showUsage: true)
            }
            works = [w]
        }
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw CLIError(.noInput, "postdesk: \(directory): cannot read directory")
        }
        var files: [[UInt8]] = []
        while let name = walker.nextObject() as? String {
            guard name.hasSuffix(".eml"), let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            files.append([UInt8](data))
        }
        guard !files.isEmpty else { throw CLIError(.noInput, "postdesk: \(directory): no .eml files") }
        let totalBytes = files.reduce(0) { $0 + $1.count }
        for work in works {
            var checksum = 0
            // One warm-up round (iconv modules, caches), then the timed rounds.
            for f in files { checksum &+= perform(work, on: f) }
            checksum = 0
            let clock = ContinuousClock()
            let start = clock.now, cpuStart = cpuSeconds()
            for _ in 0..<rounds {
                for f in files { checksum &+= perform(work, on: f) }
            }
            let cpu = cpuSeconds() - cpuStart
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let mb = Double(totalBytes * rounds) / 1_000_000
            func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
            inv.io.print("swift-\(work.rawValue): \(files.count) files, \(totalBytes) bytes, \(rounds) rounds in \(f(seconds, 3)) s (cpu \(f(cpu, 3)) s): "
                         + "\(f(mb / seconds, 1)) MB/s, \(f(Double(files.count * rounds) / seconds, 0)) msgs/s, cpu \(f(mb / cpu, 1)) MB/s (checksum \(checksum))")
        }
        return .ok
    }

    /// One message's work; returns a number depending on every result so nothing is skipped.
    static func perform(_ work: Work, on bytes: [UInt8]) -> Int {
        let m = Message.parse(bytes)
        var n = 0
        switch work {
        case .desk:
            n = (m.text?.utf8.count ?? 0) &+ (m.replyText?.utf8.count ?? 0)
            for a in m.attachments { n &+= a.size }
        case .full:
            n = textBytes(m.root)
            for a in m.attachments { n &+= a.content.count }
        case .lazy:
            n = textBytes(m.root)
            for a in m.attachments { n &+= a.size }
        }
        return n
    }

    /// The decoded body texts of the tree (decoded by the parse), enclosed messages included.
    static func textBytes(_ e: Entity) -> Int {
        var n = e.decodedText?.utf8.count ?? 0
        for c in e.children { n &+= textBytes(c) }
        if let inner = e.message { n &+= textBytes(inner.root) }
        return n
    }

    /// Process CPU time: on a shared machine the steadier figure beside the wall time.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
