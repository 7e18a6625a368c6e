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

    /// The new part of `text`. Lines are found and filtered on UTF-8 bytes; a line becomes a
    /// lowercased String only when its bytes could start a marker (a few lines per message), so
    /// plain prose costs one pass and, when nothing is cut, no copy.
    public static func extract(_ text: String) -> String {
        var text = text
        let kept = ReplyScan.keptBytes(of: &text)
        var out = kept.map { String(decoding: $0, as: UTF8.self) } ?? text
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

    /// `lower`: a line trimmed and lowercased.
    static func isAttribution(_ lower: String) -> Bool {
        guard lower.utf8.count <= 400 else { return false }
        if wroteEndings.contains(where: { lower.hasSuffix($0) }) { return true }
        // "Am 23.11. schrieb Support <s@example.com>:" — the verb comes before the name.
        return lower.hasSuffix(":") && (lower.contains("@") || startsAttribution(lower)) && attributionVerbs.contains { lower.contains($0) }
    }

    static func startsAttribution(_ lower: String) -> Bool {
        ["on ", "am ", "le ", "el ", "il ", "op ", "den ", "em ", "w dniu ", "в ", "\u{200e}on "].contains { lower.hasPrefix($0) }
            || (lower.first?.isNumber ?? false)
    }

    static func isFromLabel(_ lower: String) -> Bool { fromLabels.contains { lower.hasPrefix($0) } }
    static func isSentLabel(_ lower: String) -> Bool { sentLabels.contains { lower.hasPrefix($0) } }
    static func isToLabel(_ lower: String) -> Bool { toLabels.contains { lower.hasPrefix($0) } }
}

import Foundation
