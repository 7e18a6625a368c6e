/// The new part of a reply: the text above the quoted history ("On … wrote:", "> " blocks,
/// "-----Original Message-----", Outlook's From:/Sent: block, localized forms) and without the
/// "-- " signature. When the reply is written between quotes, the unquoted lines are kept.
public enum ReplyText {
    private static let wroteEndings = [
        "wrote:", "wrote :", "writes:", "schrieb:", "schrieb :", "a écrit :", "a écrit:", "a ecrit :", "a ecrit:",
        "писал(а):", "написал(а):", "написал:", "написала:", "пишет:", "escribió:", "ha scritto:", "scrisse:",
        "schreef:", "het volgende geschreven:", "skrev:", "kirjoitti:", "napisał:", "napisał(a):", "escreveu:",
        "yazdı:", "napsal:", "írta:", "wrote", "schrieb",
    ]
    private static let attributionVerbs = [
        " wrote", " schrieb", " a écrit", " a ecrit", " писал", " написал", " пишет", " escribió", " ha scritto",
        " schreef", " skrev", " kirjoitti", " napisał", " escreveu", " yazdı", " napsal", " írta",
    ]
    private static let separators = [
        "-----original message-----", "----- original message -----", "-------- original message --------",
        "-----ursprüngliche nachricht-----", "----- ursprüngliche nachricht -----", "-------- ursprüngliche nachricht --------",
        "----- исходное сообщение -----", "-----исходное сообщение-----", "-------- исходное сообщение --------",
        "-------- message d'origine --------", "----- message d'origine -----", "-----message d'origine-----",
        "-----mensaje original-----", "----- mensaje original -----", "begin forwarded message:",
        "---------- forwarded message ---------", "-------- forwarded message --------", "----- forwarded message -----",
        "-------- weitergeleitete nachricht --------", "---------- weitergeleitete nachricht ----------",
    ]
    private static let fromLabels = ["from:", "von:", "de :", "de:", "от:", "от кого:", "da:", "van:", "från:", "fra:", "*from:*"]
    private static let sentLabels = ["sent:", "date:", "gesendet:", "datum:", "envoyé :", "envoyé:", "отправлено:", "дата:",
                                     "enviado:", "inviato:", "verzonden:", "skickat:", "sendt:", "*sent:*", "*date:*"]
    private static let toLabels = ["to:", "subject:", "an:", "betreff:", "à :", "objet :", "кому:", "тема:", "para:", "asunto:", "cc:", "*to:*", "*subject:*"]

    public static func extract(_ text: String) -> String {
        let lines = splitLines(text)
        var cut = lines.count
        var i = 0
        // Whether each line, trimmed, ends with ":" (computed once; attribution checks look ahead).
        var endsColon = [Bool](repeating: false, count: lines.count + 1)
        for (k, l) in lines.enumerated() { endsColon[k] = l.trimmedSpace().utf8.last == 0x3A }
        while i < lines.count {
            let line = lines[i]
            let t = line.trimmedSpace()
            guard let fb = t.utf8.first, let lb = t.utf8.last else { i += 1; continue }
            // Cheap filters on bytes first: most lines are none of the markers.
            let nextEndsColon = endsColon[i + 1]
            let mayBeAttribution = lb == 0x3A || lb == 0x65 || lb == 0x62 || lb == 0x68 || nextEndsColon
            let mayBeSeparator = fb == 0x2D || fb == 0x5F || (lb == 0x3A && (fb | 0x20) == 0x62)
            // Header labels: From/Von/De/Da/Van/Från/Fra/От/*From*.
            let mayBeOutlook = (fb | 0x20) == 0x66 || (fb | 0x20) == 0x76 || (fb | 0x20) == 0x64 || fb == 0x2A || fb == 0xD0
            guard fb == 0x3E || mayBeAttribution || mayBeSeparator || mayBeOutlook else { i += 1; continue }
            if fb == 0x2D, t == "--" || line == "-- " { cut = i; break }
            if mayBeSeparator, isSeparator(t.lowercased()) { cut = i; break }
            if fb == 0x3E {
                // The attribution line(s) right above the quote go too.
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
                // "On Mon, 1 Jan 2024 at 10:00, Jane Doe <jane@\nexample.com> wrote:" split over two lines.
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
            // Interleaved reply: drop quoted lines and attributions, keep the rest up to a signature.
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

    /// Lines split on LF (a CR before it dropped), found on UTF-8 bytes.
    static func splitLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let u = text.utf8
        var start = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == 0x0A {
                var end = i
                if end > start, u[u.index(before: end)] == 0x0D { end = u.index(before: end) }
                lines.append(text[start..<end])
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        lines.append(text[start..<u.endIndex])
        return lines
    }

    static func isSeparator(_ lower: String) -> Bool {
        if separators.contains(lower) { return true }
        // Loose form: dashes around "original message" in any count.
        let core = lower.trimmed(["-", "_", " "])
        return core != lower && ["original message", "ursprüngliche nachricht", "исходное сообщение", "message d'origine",
                                 "forwarded message", "mensaje original", "oorspronkelijk bericht", "messaggio originale"].contains(core)
    }

    static func isAttribution(_ line: Substring) -> Bool {
        let t = String(line.trimmedSpace()).lowercased()
        guard t.utf8.count <= 400 else { return false }
        if wroteEndings.contains(where: { t.hasSuffix($0) }) { return true }
        // "Am 23.11. schrieb Support <s@example.com>:" — the verb comes before the name.
        return t.hasSuffix(":") && (t.contains("@") || startsAttribution(line)) && attributionVerbs.contains { t.contains($0) }
    }

    static func startsAttribution(_ line: Substring) -> Bool {
        let t = String(line.trimmedSpace()).lowercased()
        return ["on ", "am ", "le ", "el ", "il ", "op ", "den ", "em ", "w dniu ", "в ", "\u{200e}on "].contains { t.hasPrefix($0) }
            || (t.first?.isNumber ?? false)
    }

    /// "From: …" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:".
    static func isOutlookBlock(_ lines: [Substring], at i: Int) -> Bool {
        guard i < lines.count else { return false }
        let first = lines[i].trimmedSpace().lowercased()
        guard fromLabels.contains(where: { first.hasPrefix($0) }) else { return false }
        var sawSent = false, sawTo = false
        for k in (i + 1)..<min(lines.count, i + 6) {
            let t = lines[k].trimmedSpace().lowercased()
            if sentLabels.contains(where: { t.hasPrefix($0) }) { sawSent = true }
            if toLabels.contains(where: { t.hasPrefix($0) }) { sawTo = true }
        }
        // "Von: x@y / Datum: …" without a recipient line still starts quoted history.
        return sawSent && (sawTo || first.contains("@"))
    }
}

import Foundation
