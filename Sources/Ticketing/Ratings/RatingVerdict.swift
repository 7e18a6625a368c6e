/// What a customer said of a resolved ticket through the satisfaction links.
public enum RatingVerdict: String, Sendable, Equatable, CaseIterable {
    case good
    case bad

    /// The word a customer reads for it in a template language (English for others): the
    /// prefilled subject of the link's mail. The templates carry their own link words.
    public func word(language: String) -> String {
        switch (language, self) {
        case ("de", .good): return "Gut"
        case ("de", .bad): return "Schlecht"
        case ("ru", .good): return "Хорошо"
        case ("ru", .bad): return "Плохо"
        case ("uk", .good): return "Добре"
        case ("uk", .bad): return "Погано"
        case (_, .good): return "Good"
        case (_, .bad): return "Bad"
        }
    }

    /// "Rating" in a template language, for the prefilled subject.
    static func title(language: String) -> String {
        switch language {
        case "de": return "Bewertung"
        case "ru": return "Оценка"
        case "uk": return "Оцінка"
        default: return "Rating"
        }
    }
}
