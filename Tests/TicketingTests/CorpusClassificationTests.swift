import XCTest
import TestSupport
@testable import Ticketing

/// The shared corpus's stated facts against our classifier. Headers are read by the tiny splitter below
/// (MIME's parser is not used here), so only what top-level headers and crude part scans show is checked.
final class CorpusClassificationTests: XCTestCase {
    struct Entry {
        var file: String
        var category: String
        var isBounce: String
        var isAutoreply: String
    }

    func testManifestFactsMatchOurClassification() throws {
        guard let corpus = Fixtures.sharedCorpus else { throw XCTSkip("../shared/corpus is absent") }
        let manifest = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        let folders: [String: MessageClass] = [
            "autoreply": .autoReply, "bounce": .bounce, "report": .autoReply, "mailinglist": .list, "replies": .human,
        ]
        var checked = 0, matched = 0
        var misses: [String] = []
        var bounceRecipients = 0, bounces = 0
        for line in manifest.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 11 else { continue }
            let entry = Entry(file: columns[0], category: columns[1], isBounce: columns[10], isAutoreply: columns[9])
            var expected = folders[entry.category]
            if entry.isBounce == "yes" { expected = .bounce }
            if entry.isAutoreply == "yes" { expected = .autoReply }
            let notBounce = entry.isBounce == "no"
            guard expected != nil || notBounce || entry.isAutoreply == "no" else { continue }
            let bytes = try Data(contentsOf: corpus.appendingPathComponent(entry.file))
            let facts = CorpusMessage(bytes).facts
            let got = MessageClassifier().classify(facts)
            checked += 1
            let ok: Bool
            if let expected { ok = got.messageClass == expected }
            else { ok = (!notBounce || got.messageClass != .bounce) && (entry.isAutoreply != "no" || got.messageClass != .autoReply) }
            if ok { matched += 1 } else { misses.append("\(entry.file): expected \(expected?.rawValue ?? "not bounce"), got \(got.explanation)") }
            if expected == .bounce {
                bounces += 1
                let report = BounceReport.interpret(facts.bounce ?? BounceFacts(text: facts.bodyText))
                if !report.recipients.isEmpty { bounceRecipients += 1 } else { print("  no recipient: \(entry.file)") }
            }
        }
        print("corpus classification: \(matched)/\(checked) match; bounces with a recipient found: \(bounceRecipients)/\(bounces)")
        for miss in misses { print("  miss: \(miss)") }
        XCTAssertGreaterThan(checked, 70)
        XCTAssertEqual(misses, [])
        XCTAssertEqual(bounceRecipients, bounces)
    }
}

/// A deliberately small reader for corpus files: top-level headers, unfolded, and a crude look for the
/// delivery-status and returned-header parts. Not a MIME parser.
struct CorpusMessage {
    var headers: [HeaderField] = []
    var body = ""

    init(_ data: Data) {
        // Split on bytes: Swift treats CRLF as one character, which string splitting on "\n" misses.
        let breaks: UInt8 = data.contains(10) ? 10 : 13 // a few old Mac files end lines with CR alone
        var lines = data.split(separator: breaks, omittingEmptySubsequences: false).map { raw -> String in
            let line = raw.last == 13 ? raw.dropLast() : raw[...]
            return String(data: Data(line), encoding: .utf8) ?? String(data: Data(line), encoding: .isoLatin1) ?? ""
        }
        if lines.first?.hasPrefix("From ") == true { lines.removeFirst() }
        var index = 0
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(HeaderField(String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                                           String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
            index += 1
        }
        body = lines.dropFirst(index + 1).joined(separator: "\n")
    }

    static func address(_ value: String) -> String {
        if let open = value.lastIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            return String(value[value.index(after: open)..<close])
        }
        return value.split(separator: " ").first { $0.contains("@") }.map(String.init) ?? value.trimmingCharacters(in: .whitespaces)
    }

    /// The body of the first part whose Content-Type mentions `type`, up to the next boundary.
    func part(_ type: String, headersOnly: Bool = false) -> String? {
        let lines = body.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.lowercased().hasPrefix("content-type:") && $0.lowercased().contains(type) }) else { return nil }
        guard let blank = lines[start...].firstIndex(where: { $0.isEmpty }) else { return nil }
        var out: [String] = []
        for line in lines[(blank + 1)...] {
            if line.hasPrefix("--") || (headersOnly && line.isEmpty && !out.isEmpty) { break }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    var facts: InboundFacts {
        let contentType = headers.first("Content-Type")?.lowercased() ?? ""
        var reportType: String?
        if contentType.hasPrefix("multipart/report"), let range = contentType.range(of: "report-type=") {
            reportType = contentType[range.upperBound...].split(whereSeparator: { $0 == ";" || $0 == " " }).first
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        let returnPath = headers.first("Return-Path").map { $0 == "<>" ? "" : CorpusMessage.address($0) }
        let status = part("message/delivery-status")
        let returned = part("text/rfc822-headers") ?? part("message/rfc822", headersOnly: true)
        let failed = headers.values("X-Failed-Recipients")
        let bounce = BounceFacts(deliveryStatus: status, returnedHeaders: returned, text: body, failedRecipients: failed)
        let from = headers.first("From") ?? ""
        let name = from.firstIndex(of: "<").map { from[..<$0].trimmingCharacters(in: CharacterSet(charactersIn: " \"")) } ?? ""
        return InboundFacts(from: CorpusMessage.address(from), fromName: name, subject: headers.first("Subject") ?? "",
                            messageID: headers.first("Message-ID"), headers: headers, returnPath: returnPath,
                            bodyText: body, reportType: reportType, bounce: bounce)
    }
}
