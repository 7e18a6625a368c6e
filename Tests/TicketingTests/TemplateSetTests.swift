import XCTest
@testable import Ticketing

final class TemplateSetTests: XCTestCase {
    /// A complete small English set: every event says its own name.
    func englishFiles(languages: [String] = ["en"]) -> [String: TemplateSet.File] {
        var files: [String: TemplateSet.File] = [:]
        for language in languages {
            for e in NotificationEvent.allCases {
                files["\(e.rawValue).\(language).txt"] = .init(text: "Subject: \(e.rawValue) {{ticket.subject}}\n\n\(language) {{ticket.number}}\n{{#agent}}by {{agent.name}}\n{{/agent}}", origin: "shipped")
            }
            files["ack.\(language).html"] = .init(text: "<p>\(language) {{ticket.number}}</p>", origin: "shipped")
        }
        files["names.en.txt"] = .init(text: Self.englishNames, origin: "shipped")
        return files
    }

    static let englishNames = """
        # comment
        status.new = new
        status.open = in progress
        status.pending = waiting for your answer
        status.resolved = resolved
        status.closed = closed

        priority.low = low
        priority.normal = normal
        priority.high = high
        priority.urgent = urgent
        """

    func reason(_ build: () throws -> TemplateSet) -> String {
        do { _ = try build(); return "built" } catch { return "\(error)" }
    }

    func testRendersTheTicketsLanguageThenTheQueuesThenEnglish() throws {
        let set = try TemplateSet.build(shipped: englishFiles(languages: ["en", "ru"]))
        let values = TemplateValues([.ticketNumber: "7", .ticketSubject: "Printer"])
        XCTAssertEqual(set.render(.acknowledgement, languages: ["ru"], values: values).text, "ru 7\n")
        XCTAssertEqual(set.render(.acknowledgement, languages: ["fr", "ru"], values: values).text, "ru 7\n")
        XCTAssertEqual(set.render(.acknowledgement, languages: ["fr"], values: values),
                       RenderedNotification(subject: "ack Printer", text: "en 7\n", html: "<p>en 7</p>"))
        XCTAssertEqual(set.render(.reply, languages: ["en"], values: values).html, nil, "HTML is optional")
        XCTAssertEqual(set.languages, ["en", "ru"])
    }

    func testAgentsNoticesQuoteTheCustomersWordsAndCustomerMailsCarryTheAnswerAsIs() throws {
        var files = englishFiles()
        for e in NotificationEvent.allCases { files["\(e.rawValue).en.txt"] = .init(text: "Subject: x\n\n{{message.text}}\n", origin: "shipped") }
        let set = try TemplateSet.build(shipped: files)
        let values = TemplateValues([.messageText: "Hello,\n\nit is broken.\n> what you wrote"])
        let quoted = "> Hello,\n>\n> it is broken.\n>> what you wrote\n"
        for event in [NotificationEvent.newTicket, .followUp, .reopened, .assigned, .note] {
            XCTAssertEqual(set.render(event, languages: ["en"], values: values).text, quoted, event.rawValue)
        }
        for event in [NotificationEvent.reply, .statusPending, .statusResolved, .commandReport, .agentUnverified, .slaBreach] {
            XCTAssertEqual(set.render(event, languages: ["en"], values: values).text, "Hello,\n\nit is broken.\n> what you wrote\n", event.rawValue)
        }
    }

    func testAnOverrideReplacesTheShippedFileAndTakesItsHTMLAlongUnlessGivenToo() throws {
        let set = try TemplateSet.build(shipped: englishFiles(),
                                        overrides: ["ack.en.txt": .init(text: "Subject: Thanks\n\nOurs {{ticket.number}}", origin: "/etc/t/ack.en.txt")])
        let t = set.template(for: .acknowledgement, languages: ["en"])
        XCTAssertEqual(t.textOrigin, "/etc/t/ack.en.txt")
        XCTAssertNil(t.html, "the shipped HTML would say the old words")
        let both = try TemplateSet.build(shipped: englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: Thanks\n\nOurs", origin: "/t/ack.en.txt"),
            "ack.en.html": .init(text: "<p>Ours</p>", origin: "/t/ack.en.html"),
        ])
        XCTAssertEqual(both.template(for: .acknowledgement, languages: ["en"]).htmlOrigin, "/t/ack.en.html")
    }

    func testOverridesMayAddALanguage() throws {
        let set = try TemplateSet.build(shipped: englishFiles(), overrides: ["ack.fr.txt": .init(text: "Subject: Merci\n\nBonjour", origin: "/t/ack.fr.txt")])
        XCTAssertEqual(set.render(.acknowledgement, languages: ["fr"], values: .init()).subject, "Merci")
        XCTAssertEqual(set.render(.reply, languages: ["fr"], values: .init()).text, "en \n", "other events fall back to English")
    }

    func testBrokenOverridesNameTheirFileAndLine() {
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: x\n\nHello\n{{customer.nam}}", origin: "/t/ack.en.txt")]) },
                       "/t/ack.en.txt:4: unknown placeholder {{customer.nam}} (did you mean {{customer.name}}?)")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.html": .init(text: "<p>\n<b>x</p>", origin: "/t/ack.en.html")]) },
                       "/t/ack.en.html:2: </p> does not match <b> opened on line 2")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Hello", origin: "/t/ack.en.txt")]) },
                       "/t/ack.en.txt:1: the first line must be \"Subject: …\"")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: {{#agent}}x{{/agent}}\n\nb", origin: "/t/ack.en.txt")]) },
                       "/t/ack.en.txt:1: the subject cannot hold a block")
        XCTAssertTrue(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "acknowledge.en.txt": .init(text: "Subject: x\n\ny", origin: "/t/acknowledge.en.txt")]) }
            .hasPrefix("/t/acknowledge.en.txt: not a template name"))
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "reply.de.html": .init(text: "<p>x</p>", origin: "/t/reply.de.html")]) },
                       "/t/reply.de.html: an HTML part needs its plain part reply.de.txt")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: {{message.text}}\n\n{{message.text}}", origin: "/t/ack.en.txt")]) },
                       "built", "a multi-line value in a subject is flattened, not an error")
    }

    func testAQueuesDefaultLanguageMustHaveEveryEvent() {
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), requiredLanguages: ["de"]) },
                       "ack.de.txt: missing (a queue's default language is de)")
        var files = englishFiles()
        files["urgent.en.txt"] = nil
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files) }, "urgent.en.txt: missing (English is the last fallback)")
    }

    func testEveryTemplateIsRenderedWithTheSampleTicketAtLoad() {
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: {{ticket.url}}\n\nbody", origin: "/t/ack.en.txt")]) }, "built")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: {{#agent}}{{/agent}}\n\nx", origin: "/t/ack.en.txt")]) },
                       "/t/ack.en.txt:1: the subject cannot hold a block")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: [
            "ack.en.txt": .init(text: "Subject: {{agent.name}}\n\n  \n", origin: "/t/ack.en.txt")]) },
                       "/t/ack.en.txt:3: the body renders empty")
    }

    func testSampleTicketSetsEveryPlaceholderInEveryShippedLanguage() {
        for language in ["en", "ru", "uk", "de"] {
            let sample = TemplateValues.sample(language: language)
            for p in TemplatePlaceholder.allCases { XCTAssertFalse((sample[p] ?? "").isEmpty, "\(language) \(p)") }
        }
        XCTAssertEqual(TemplateValues.sample(language: "ru")[.ticketStatus], "open", "raw: the set names it")
    }

    // MARK: - status and priority names (names.<language>.txt)

    func status(_ set: TemplateSet, _ language: String) -> String {
        set.render(.acknowledgement, languages: [language], values: .init([.ticketStatus: "pending", .ticketPriority: "urgent"])).subject
    }

    func testStatusAndPriorityAreNamedByTheTemplatesLanguageFile() throws {
        var files = englishFiles(languages: ["en", "fr"])
        for e in NotificationEvent.allCases {
            for l in ["en", "fr"] { files["\(e.rawValue).\(l).txt"] = .init(text: "Subject: {{ticket.status}}, {{ticket.priority}}\n\nx", origin: "shipped") }
        }
        let french = "status.pending = en attente de votre réponse\npriority.urgent = urgente\n" + LocalisedNames.keys
            .filter { !["status.pending", "priority.urgent"].contains($0) }.map { "\($0) = \($0)-fr" }.joined(separator: "\n")
        let set = try TemplateSet.build(shipped: files, overrides: ["names.fr.txt": .init(text: french, origin: "/t/names.fr.txt")])
        XCTAssertEqual(status(set, "fr"), "en attente de votre réponse, urgente")
        XCTAssertEqual(status(set, "en"), "waiting for your answer, urgent")
        XCTAssertEqual(status(set, "de"), "waiting for your answer, urgent", "no German templates: English ones, English names")
        XCTAssertEqual(set.warnings, [])
        XCTAssertEqual(set.localised(.init([.ticketStatus: "в работе"]), language: "fr")[.ticketStatus], "в работе",
                       "a value that is not a raw status stays as given")
    }

    func testALanguageWithoutAllItsNamesFallsBackToEnglishWithAWarning() throws {
        var files = englishFiles(languages: ["en", "fr", "it"])
        files["ack.fr.txt"] = .init(text: "Subject: {{ticket.status}}\n\nx", origin: "shipped")
        let set = try TemplateSet.build(shipped: files, overrides: ["names.fr.txt": .init(text: "status.open = en cours\n", origin: "/t/names.fr.txt")])
        XCTAssertEqual(set.render(.acknowledgement, languages: ["fr"], values: .init([.ticketStatus: "open"])).subject, "en cours")
        XCTAssertEqual(set.render(.acknowledgement, languages: ["fr"], values: .init([.ticketStatus: "closed"])).subject, "closed")
        XCTAssertEqual(set.warnings, [
            "/t/names.fr.txt: no name for status.new, status.pending, status.resolved, status.closed, priority.low, priority.normal, priority.high, priority.urgent: English is used",
            "names.it.txt: missing: statuses and priorities in it mails are named in English (add the file to the notifications.templates directory)",
        ])
    }

    func testBrokenNamesFilesNameTheirFileAndLine() {
        func names(_ text: String) -> String {
            reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: ["names.en.txt": .init(text: text, origin: "/t/names.en.txt")]) }
        }
        XCTAssertEqual(names(Self.englishNames + "\nstatus.pendin = x"),
                       "/t/names.en.txt:12: unknown name status.pendin (did you mean status.pending?); the names are \(LocalisedNames.keys.joined(separator: ", "))")
        XCTAssertEqual(names("# x\nstatus.new new"), "/t/names.en.txt:2: expected \"key = name\", e.g. \"status.pending = waiting for your answer\"")
        XCTAssertEqual(names("status.new = a\nstatus.new = b"), "/t/names.en.txt:2: status.new is named twice")
        XCTAssertEqual(names("status.new =  "), "/t/names.en.txt:1: status.new has an empty name")
        XCTAssertEqual(names("status.new = new"), "/t/names.en.txt: no name for status.open (English is the last fallback)")
        XCTAssertTrue(reason { try TemplateSet.build(shipped: self.englishFiles(), overrides: ["names.txt": .init(text: "", origin: "/t/names.txt")]) }
            .hasPrefix("/t/names.txt: not a template name"))
    }

    func testLanguageTags() {
        for good in ["en", "de", "pt-br", "zh-hant"] { XCTAssertTrue(TemplateSet.isLanguage(good), good) }
        for bad in ["", "e", "EN", "english", "en_US", "en-", "../x"] { XCTAssertFalse(TemplateSet.isLanguage(bad), bad) }
    }
}
