/// Status and priority as a customer reads them, per template language; English for others.
public enum LocalisedNames {
    public static func status(_ status: TicketStatus, language: String) -> String {
        let names: [TicketStatus: String]
        switch language {
        case "ru": names = [.new: "новая", .open: "в работе", .pending: "ждёт вашего ответа", .resolved: "решена", .closed: "закрыта"]
        case "uk": names = [.new: "нова", .open: "у роботі", .pending: "чекає на вашу відповідь", .resolved: "вирішена", .closed: "закрита"]
        case "de": names = [.new: "neu", .open: "in Bearbeitung", .pending: "wartet auf Ihre Antwort", .resolved: "gelöst", .closed: "geschlossen"]
        default: names = [.new: "new", .open: "in progress", .pending: "waiting for your answer", .resolved: "resolved", .closed: "closed"]
        }
        return names[status] ?? status.rawValue
    }

    public static func priority(_ priority: TicketPriority, language: String) -> String {
        let names: [TicketPriority: String]
        switch language {
        case "ru": names = [.low: "низкий", .normal: "обычный", .high: "высокий", .urgent: "срочный"]
        case "uk": names = [.low: "низький", .normal: "звичайний", .high: "високий", .urgent: "терміновий"]
        case "de": names = [.low: "niedrig", .normal: "normal", .high: "hoch", .urgent: "dringend"]
        default: names = [.low: "low", .normal: "normal", .high: "high", .urgent: "urgent"]
        }
        return names[priority] ?? priority.rawValue
    }
}
