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
        if let phrase = anywherePhrases.first(where: { lower.contains($0) }) { return phrase }
        for phrase in leadingPhrases where lower.hasPrefix(phrase) {
            let rest = lower.dropFirst(phrase.count).drop(while: { $0 == " " })
            guard let next = rest.first else { return phrase }
            if next == ":" || next == "：" || next == "-" || next == "–" { return phrase }
        }
        return nil
    }
}
