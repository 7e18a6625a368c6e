@testable import MIME

/// `ReplyText.extract` as it was before the byte scan (`ReplyScan`): line by line on Substrings,
/// every filter on Characters. Kept as the oracle the rewrite is checked against; the phrase
/// tables are the shipped ones.
enum ReplyTextReference {
    static func extract(_ text: String) -> String {
        let lines = ReplyText.splitLines(text)
        var cut = lines.count
        var i = 0
        var endsColon = [Bool](repeating: false, count: lines.count + 1)
        for (k, l) in lines.enumerated() { endsColon[k] = l.trimmedSpace().utf8.last == 0x3A }
        while i < lines.count {
            let line = lines[i]
            let t = line.trimmedSpace()
            guard let fb = t.utf8.first, let lb = t.utf8.last else { i += 1; continue }
            let nextEndsColon = endsColon[i + 1]
            let mayBeAttribution = lb == 0x3A || lb == 0x65 || lb == 0x62 || lb == 0x68 || nextEndsColon
            let mayBeSeparator = fb == 0x2D || fb == 0x5F || (lb == 0x3A && (fb | 0x20) == 0x62)
            let mayBeOutlook = (fb | 0x20) == 0x66 || (fb | 0x20) == 0x76 || (fb | 0x20) == 0x64 || fb == 0x2A || fb == 0xD0
            guard fb == 0x3E || mayBeAttribution || mayBeSeparator || mayBeOutlook else { i += 1; continue }
            if fb == 0x2D, t == "--" || line == "-- " { cut = i; break }
            if mayBeSeparator, ReplyText.isSeparator(t.lowercased()) { cut = i; break }
            if fb == 0x3E {
                cut = i
                var k = i - 1
                while k >= 0, lines[k].isBlank { k -= 1 }
                if k >= 0, isAttribution(lines[k]) {
                    cut = k
                    if k >= 1, !lines[k - 1].isBlank, startsAttribution(lines[k - 1]) { cut = k - 1 }
                }
                break
            }
            if mayBeAttribution {
                if isAttribution(line), startsAttribution(line) || i + 1 < lines.count && lines[i + 1].trimmedSpace().hasPrefix(">") || lb == 0x3A {
                    cut = i
                    break
                }
                if nextEndsColon, startsAttribution(line), isAttribution(lines[i + 1]) { cut = i; break }
            }
            if mayBeOutlook, t.utf8.prefix(24).contains(0x3A), isOutlookBlock(lines, at: i) {
                cut = i
                if i >= 1, lines[i - 1].allSatisfy({ $0 == "_" || $0 == "-" }), lines[i - 1].count >= 4 { cut = i - 1 }
                break
            }
            if fb == 0x5F, line.count >= 20, line.allSatisfy({ $0 == "_" }), isOutlookBlock(lines, at: i + 1) { cut = i; break }
            i += 1
        }
        var kept = Array(lines[..<cut])
        if kept.allSatisfy({ $0.isBlank }), cut < lines.count {
            kept = []
            for line in lines {
                let t = String(line.trimmedSpace())
                if t == "--" || line == "-- " { break }
                if t.hasPrefix(">") || isAttribution(line) { continue }
                kept.append(line)
            }
        }
        var out = kept.joined(separator: "\n")
        while let l = out.last, l.isWhitespace { out.removeLast() }
        while let f = out.first, f == "\n" || f == "\r" { out.removeFirst() }
        return out
    }

    static func isAttribution(_ line: Substring) -> Bool { ReplyText.isAttribution(String(line.trimmedSpace()).lowercased()) }

    static func startsAttribution(_ line: Substring) -> Bool { ReplyText.startsAttribution(String(line.trimmedSpace()).lowercased()) }

    static func isOutlookBlock(_ lines: [Substring], at i: Int) -> Bool {
        guard i < lines.count else { return false }
        let first = lines[i].trimmedSpace().lowercased()
        guard ReplyText.isFromLabel(first) else { return false }
        var sawSent = false, sawTo = false
        for k in (i + 1)..<min(lines.count, i + 6) {
            let t = lines[k].trimmedSpace().lowercased()
            if ReplyText.isSentLabel(t) { sawSent = true }
            if ReplyText.isToLabel(t) { sawTo = true }
        }
        return sawSent && (sawTo || first.contains("@"))
    }
}
