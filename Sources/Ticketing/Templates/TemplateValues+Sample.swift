extension TemplateValues {
    /// A ticket every template is rendered against at load (and by `templates show` without
    /// `--ticket`): every placeholder set, with characters that must be escaped in HTML.
    public static func sample(language: String) -> TemplateValues {
        let people: (customer: String, email: String, agent: String, subject: String, text: String)
        switch language {
        case "ru": people = ("Анна Смирнова", "anna@example.com", "Ольга Петрова", "Принтер на 3-м этаже печатает пустые листы",
                             "Здравствуйте!\nС утра принтер <HP-3> печатает пустые страницы & мигает.\nСпасибо, Анна")
        case "uk": people = ("Олена Коваленко", "olena@example.com", "Тарас Шевчук", "Принтер на 3-му поверсі друкує порожні аркуші",
                             "Добрий день!\nЗранку принтер <HP-3> друкує порожні сторінки & блимає.\nДякую, Олена")
        case "de": people = ("Jörg Müller", "joerg@example.com", "Petra Schmidt", "Drucker im 3. Stock druckt leere Seiten",
                             "Guten Tag,\nseit heute früh druckt der Drucker <HP-3> leere Seiten & blinkt.\nDanke, Jörg")
        default: people = ("Jane Doe", "jane@example.com", "Alice Agent", "Printer on floor 3 prints blank pages",
                           "Hello,\nsince this morning the printer <HP-3> prints blank pages & blinks.\nThanks, Jane")
        }
        return TemplateValues([
            .ticketNumber: "1234",
            .ticketTag: "[#1234-k7f3q]",
            .ticketSubject: people.subject,
            // Raw: the template set names them in the template's language (`TemplateSet.localised`).
            .ticketStatus: TicketStatus.open.rawValue,
            .ticketPriority: TicketPriority.high.rawValue,
            .ticketQueue: "support",
            .ticketURL: "https://desk.example.com/tickets/1234?view=full&lang=\(language)",
            .customerName: people.customer,
            .customerEmail: people.email,
            .agentName: people.agent,
            .messageText: people.text,
            .reopenDays: "14",
            .slaDue: "2026-12-08 09:00 UTC",
            .mergedTag: "[#1229-p2m8d]",
        ])
    }
}
