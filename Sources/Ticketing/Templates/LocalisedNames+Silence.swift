/// Why silence resolved a ticket, in the words of the customer's template language: the
/// sentence goes into a localised mail, so an English one in a Russian mail would be a defect.
extension LocalisedNames {
    /// The reason given to the customer after `seconds` of her silence; nil for a language we
    /// have no words for (the template's own text then stands alone).
    public static func silenceResolvedReason(seconds: Int, language: String) -> String? {
        let span = duration(seconds, language: language)
        switch language {
        case "en": return "We have not heard back from you for \(span), so we have closed this request for lack of an answer."
        case "de": return "Da wir seit \(span) nichts von Ihnen gehört haben, haben wir diese Anfrage mangels Antwort geschlossen."
        case "ru": return "Мы не получали от вас ответа \(span), поэтому закрыли этот запрос."
        case "uk": return "Ми не отримували від вас відповіді \(span), тому закрили цей запит."
        default: return nil
        }
    }

    /// `seconds` as days, hours and minutes in words, in the grammatical case the sentences
    /// above need (German dative after "seit"; Russian and Ukrainian counted forms).
    public static func duration(_ seconds: Int, language: String) -> String {
        let s = max(abs(seconds), 60)
        let parts = [(s / 86_400, 0), (s % 86_400 / 3600, 1), (s % 3600 / 60, 2)].filter { $0.0 > 0 }
        let words = parts.map { "\($0.0) \(unit($0.1, count: $0.0, language: language))" }
        let and = ["de": "und", "ru": "и", "uk": "і"][language] ?? "and"
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " \(and) " + words.last!
    }

    /// Unit 0 = day, 1 = hour, 2 = minute.
    private static func unit(_ unit: Int, count n: Int, language: String) -> String {
        switch language {
        case "de":
            return n == 1 ? ["Tag", "Stunde", "Minute"][unit] : ["Tagen", "Stunden", "Minuten"][unit]
        case "ru":
            return [["день", "дня", "дней"], ["час", "часа", "часов"], ["минуту", "минуты", "минут"]][unit][slavicForm(n)]
        case "uk":
            return [["день", "дні", "днів"], ["годину", "години", "годин"], ["хвилину", "хвилини", "хвилин"]][unit][slavicForm(n)]
        default:
            return ["day", "hour", "minute"][unit] + (n == 1 ? "" : "s")
        }
    }

    /// The CLDR plural category of `n` in Russian and Ukrainian: one (1, 21), few (2-4, 22-24), many.
    private static func slavicForm(_ n: Int) -> Int {
        if n % 10 == 1 && n % 100 != 11 { return 0 }
        if (2...4).contains(n % 10) && !(12...14).contains(n % 100) { return 1 }
        return 2
    }
}
