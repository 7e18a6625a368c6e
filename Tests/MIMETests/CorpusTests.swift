import Foundation
import MIME
import TestSupport
import XCTest

/// The real-world corpus: every message parses, and the facts its MANIFEST states match.
final class CorpusTests: XCTestCase {
    struct Row {
        var file: String
        var fields: [String: String]
    }

    /// MANIFEST.tsv rows, values unescaped (\t \r \n \\).
    static func manifest(at url: URL) throws -> [Row] {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { unescape(String($0)) }
            var fields: [String: String] = [:]
            for (i, name) in header.enumerated() where i < cells.count { fields[name] = cells[i] }
            return Row(file: fields["file"] ?? "", fields: fields)
        }
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\", let n = it.next() else { out.append(c); continue }
            switch n {
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "n": out.append("\n")
            default: out.append(n)
            }
        }
        return out
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// Checks one corpus directory; returns how many facts were compared.
    static func check(corpus: URL, rows: [Row], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var facts = 0
        for row in rows {
            let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent(row.file)))
            let m = Message.parse(bytes)
            XCTAssertNotNil(m.root.contentType, row.file)
            if let from = row.fields["from"], !from.isEmpty {
                facts += 1
                let header = collapse(m.header("From") ?? "")
                var candidates = [header] + m.from.flatMap { [$0.address, $0.description] }
                candidates += m.from.compactMap { a in a.name.map { "\"\($0)\" <\(a.address)>" } }
                XCTAssertTrue(candidates.contains(collapse(from)), "\(row.file): From \(candidates) != \(from)", file: file, line: line)
            }
            if let subject = row.fields["subject"], !subject.isEmpty {
                facts += 1
                let ours = collapse(m.subject ?? "")
                // RT stores subjects cut to 200 characters: its expectation is a prefix of the real one.
                if subject.count == 200, ours.count > 200 {
                    XCTAssertTrue(ours.hasPrefix(subject), "\(row.file): Subject", file: file, line: line)
                } else {
                    XCTAssertEqual(ours, collapse(subject), "\(row.file): Subject", file: file, line: line)
                }
            }
            if let charset = row.fields["charset"], !charset.isEmpty {
                facts += 1
                let seen = Set(textEntities(m.root).compactMap { ($0.charset ?? $0.guessedCharset)?.lowercased() })
                XCTAssertTrue(seen.contains(charset.lowercased()), "\(row.file): charset \(charset) not in \(seen)", file: file, line: line)
            }
            if let count = row.fields["attachments"], let n = Int(count) {
                facts += 1
                // mail-parser counts only parts with a file name; zammad counts what we count.
                let mailParser = ((row.fields["notes"] ?? "") + (row.fields["expectation_source"] ?? "")).contains("mail-parser semantics")
                let ours = mailParser ? m.attachments.filter { $0.filename != nil }.count : m.attachments.count
                XCTAssertEqual(ours, n, "\(row.file): attachments \(m.attachments.map { "\($0.contentType) \($0.filename ?? "-")" })", file: file, line: line)
            }
        }
        return facts
    }

    static func textEntities(_ e: Entity) -> [Entity] {
        var out: [Entity] = e.mediaType == "text" ? [e] : []
        for c in e.children { out += textEntities(c) }
        return out
    }

    func testCopiedCorpusSubsetParsesAndMatchesManifestFacts() throws {
        let corpus = Fixtures.url("corpus")
        let rows = try Self.manifest(at: corpus.appendingPathComponent("MANIFEST.tsv"))
        XCTAssertGreaterThanOrEqual(rows.count, 150)
        XCTAssertTrue(rows.allSatisfy { ["MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "PSF-2.0"].contains($0.fields["license"] ?? "") })
        let facts = try Self.check(corpus: corpus, rows: rows)
        XCTAssertGreaterThanOrEqual(facts, 25)
    }

    func testSharedCorpusParsesAndMatchesManifestFacts() throws {
        guard let corpus = Fixtures.sharedCorpus else {
            throw XCTSkip("../shared/corpus is absent; Fixtures/corpus covers the copied subset")
        }
        let rows = try Self.manifest(at: corpus.appendingPathComponent("MANIFEST.tsv"))
        XCTAssertGreaterThanOrEqual(rows.count, 190)
        let facts = try Self.check(corpus: corpus, rows: rows)
        print("corpus: \(rows.count) messages parsed, \(facts) manifest facts compared")
        XCTAssertGreaterThan(facts, 20)
    }
}
