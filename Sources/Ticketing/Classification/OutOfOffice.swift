/// Out-of-office and automatic-reply subjects in the languages customers write in.
/// Matched only at the start of the subject and followed by a colon, a dash or nothing, so
/// "Re: [#12] my out of office setting is broken" stays a human message.
public enum OutOfOffice {
    static let leadingPhrases = [
        // English
        "out of office autoreply", "out of office", "out of the office", "automatic reply", "auto reply",
        "auto-reply", "autoreply", "auto response", "auto-response", "autoresponse", "automatic response",
        "auto", "away from office", "away from the office", "vacation reply", "vacation",
        // German
        "abwesenheitsnotiz", "automatische antwort", "automatische abwesenheitsnotiz", "abwesend",
        "außer haus", "ausser haus",
        // French
        "absence du bureau", "réponse automatique", "reponse automatique", "absent du bureau",
        // Spanish
        "respuesta automática", "respuesta automatica", "fuera de la oficina", "fuera de oficina",
        // Dutch
        "afwezig", "automatisch antwoord", "afwezigheidsmelding",
        // Russian
        "автоответ", "автоматический ответ",
        // Italian
        "risposta automatica", "fuori sede", "fuori ufficio",
        // Portuguese
        "resposta automática", "resposta automatica", "ausente do escritório", "fora do escritório",
        // Scandinavian, Finnish, Polish, Czech, Turkish
        "automatiskt svar", "automatisk svar", "autosvar", "frånvaro", "fravær", "automaattinen vastaus",
        "automatyczna odpowiedź", "poza biurem", "automatická odpověď", "otomatik yanıt",
        // Japanese, Chinese
        "自動応答", "自動返信", "不在", "自动回复", "自動回覆",
    ]
    /// Phrases that mark an automatic reply anywhere in the subject (Lotus Notes puts them last).
    static let anywherePhrases = ["is out of the office", "out of office autoreply", "ist außer haus", "ist nicht im büro"]

    /// The phrase that makes `subject` an out-of-office subject, or nil.
    public static func subjectPhrase(in subject: String) -> String? {
        let lower = SubjectLine.collapsingSpaces(subject).lowercased()
        let bytes = Array(lower.utf8)
        // Every message is checked, so the phrases are compared as UTF-8 bytes (Foundation's
        // `contains` and Character-wise `hasPrefix` were most of the classifier's time). That
        // equals comparing Characters for composed text; a combining mark (U+0300-U+036F,
        // lead bytes CC/CD) means the subject may be decomposed, and then Characters it is.
        if bytes.contains(where: { $0 == 0xCC || $0 == 0xCD }) { return characterwisePhrase(in: lower) }
        if let hit = anywhere.first(where: { contains($0.bytes, in: bytes) }) { return hit.phrase }
        for (phrase, prefix) in leading where bytes.starts(with: prefix) {
            let rest = bytes[prefix.count...].drop(while: { $0 == 0x20 })
            guard let next = rest.first else { return phrase }
            if next == 0x3A || next == 0x2D || rest.starts(with: fullWidthColon) || rest.starts(with: enDash) { return phrase }
        }
        return nil
    }

    private static let leading = leadingPhrases.map { ($0, Array($0.utf8)) }
    private static let anywhere = anywherePhrases.map { (phrase: $0, bytes: Array($0.utf8)) }
    private static let fullWidthColon = Array("：".utf8)
    private static let enDash = Array("–".utf8)

    private static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The same rules compared as Characters (canonical equivalence), for decomposed text.
    static func characterwisePhrase(in lower: String) -> String? {
        if let phrase = anywherePhrases.first(where: { lower.contains($0) }) { return phrase }
        for phrase in leadingPhrases where lower.hasPrefix(phrase) {
            let rest = lower.dropFirst(phrase.count).drop(while: { $0 == " " })
            guard let next = rest.first else { return phrase }
            if next == ":" || next == "：" || next == "-" || next == "–" { return phrase }
        }
        return nil
    }
}
