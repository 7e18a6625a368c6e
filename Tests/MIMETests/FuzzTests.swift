import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MIME
import TestSupport
import XCTest

/// Mutation fuzzing over the fixtures and the shared corpus: byte flips, cut and duplicated
/// ranges, injected boundaries and encoded-word starts. Every mutant must parse, render and give
/// its text and attachments without crashing, and decoded sizes stay proportional to the input.
/// POSTDESK_FUZZ_COUNT sets how many mutants (default 2000; the count run is printed).
final class FuzzTests: XCTestCase {
    static let tokens: [[UInt8]] = [
        "\r\n--", "--", "\r\n\r\n", "=?utf-8?B?", "=?", "?=", "Content-Type: multipart/mixed; boundary=x\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "=\r\n", "=",
        "charset=\"iso-2022-jp\"", "\u{1B}$B", "<", ">", "\"", "(", ";", "filename*0*=utf-8''%E2", "\r\n ", "\0",
        "Content-Type: message/rfc822\r\n\r\n", "<blockquote>", "&#x", "\u{FF}\u{FE}",
        "Content-Transfer-Encoding: x-uuencode\r\n", "begin 644 f\r\n", "format=flowed; ", "> ", "\r\n-- \r\n",
    ].map { Array($0.utf8) }

    func seeds() throws -> [[UInt8]] {
        var urls: [URL] = []
        let fm = FileManager.default
        for dir in [Fixtures.url("mime"), Fixtures.url("corpus")] + (Fixtures.sharedCorpus.map { [$0] } ?? []) {
            guard let walker = fm.enumerator(at: dir, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "eml" { urls.append(url) }
        }
        return try urls.sorted { $0.path < $1.path }.map { Array(try Data(contentsOf: $0)) }.filter { $0.count < 300_000 }
    }

    func mutate(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + Int(rng.next() % 6)) {
            let n = b.count
            let at = n == 0 ? 0 : Int(rng.next() % UInt64(n))
            switch rng.next() % 7 {
            case 0 where n > 0: b[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1 where n > 0: b.removeSubrange(at..<min(n, at + Int(rng.next() % 64)))
            case 2:
                let t = Self.tokens[Int(rng.next() % UInt64(Self.tokens.count))]
                b.insert(contentsOf: t, at: at)
            case 3 where n > 0:
                let len = min(n - at, Int(rng.next() % 512))
                b.insert(contentsOf: b[at..<(at + len)], at: Int(rng.next() % UInt64(n)))
            case 4: b.removeSubrange(min(at, b.count)...)
            case 5 where n > 0: b[at] = [0x0A, 0x0D, 0x2D, 0x3A, 0x3D, 0x3F][Int(rng.next() % 6)]
            default:
                // Copy a boundary line from elsewhere in the message.
                if let dash = b.indices.dropFirst(at).first(where: { b[$0] == 0x2D && $0 + 1 < b.count && b[$0 + 1] == 0x2D }) {
                    let end = b[dash...].firstIndex(of: 0x0A) ?? b.count
                    b.insert(contentsOf: [0x0D, 0x0A] + b[dash..<end] + [0x0D, 0x0A], at: Int(rng.next() % UInt64(b.count)))
                }
            }
        }
        return b
    }

    func testMutatedMessagesNeverCrash() throws {
        let seeds = try seeds()
        XCTAssertGreaterThan(seeds.count, 20)
        let count = Int(ProcessInfo.processInfo.environment["POSTDESK_FUZZ_COUNT"] ?? "") ?? 2_000
        var rng = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["POSTDESK_FUZZ_SEED"] ?? "") ?? 20_261_123)
        var defects = 0
        for i in 0..<count {
            let input = mutate(seeds[i % seeds.count], &rng)
            let m = Message.parse(input)
            let rendered = m.rendered()
            XCTAssertFalse(rendered.isEmpty)
            _ = m.replyText
            _ = m.deliveryStatus
            let attached = m.attachments.reduce(0) { $0 + $1.size }
            XCTAssertLessThanOrEqual(attached, input.count * 2, "decoded attachments out of proportion")
            defects += m.defects.count
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("fuzz: \(count) mutated messages from \(seeds.count) seeds parsed without a crash (\(defects) defects recorded, peak RSS \(usage.ru_maxrss / 1024) MB)")
    }
}
