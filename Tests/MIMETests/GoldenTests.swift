import Foundation
import MIME
import TestSupport
import XCTest

/// Every `Fixtures/mime/<what-it-breaks>.eml` is rendered (headers summary, MIME tree, text, reply
/// text, attachments, defects) and compared with the committed `<name>.tree` beside it.
/// Set POSTDESK_UPDATE_GOLDENS=1 to rewrite the goldens, then review the diff in git.
final class GoldenTests: XCTestCase {
    func testEveryFixtureRendersAsItsGolden() throws {
        let dir = Fixtures.url("mime")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20, "fixtures missing")
        let update = ProcessInfo.processInfo.environment["POSTDESK_UPDATE_GOLDENS"] == "1"
        for name in names {
            let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
            let rendered = Message.parse(bytes).rendered()
            let golden = dir.appendingPathComponent(String(name.dropLast(4)) + ".tree")
            if update {
                try Data(rendered.utf8).write(to: golden)
                continue
            }
            guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
                XCTFail("\(name): no golden \(golden.lastPathComponent); run with POSTDESK_UPDATE_GOLDENS=1")
                continue
            }
            if expected != rendered {
                XCTFail("\(name) differs from its golden:\n" + Self.diff(expected, rendered))
            }
        }
    }

    /// A small line diff: the differing lines with their numbers, "-" expected, "+" actual.
    static func diff(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(x.count, y.count) where out.count < 40 {
            let l = i < x.count ? String(x[i]) : nil
            let r = i < y.count ? String(y[i]) : nil
            if l != r {
                if let l { out.append("\(i + 1)- \(l)") }
                if let r { out.append("\(i + 1)+ \(r)") }
            }
        }
        return out.joined(separator: "\n")
    }
}
