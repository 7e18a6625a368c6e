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
        return files
    }

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
        XCTAssertEqual(TemplateValues.sample(language: "ru")[.ticketStatus], "в работе")
    }

    func testLanguageTags() {
        for good in ["en", "de", "pt-br", "zh-hant"] { XCTAssertTrue(TemplateSet.isLanguage(good), good) }
        for bad in ["", "e", "EN", "english", "en_US", "en-", "../x"] { XCTAssertFalse(TemplateSet.isLanguage(bad), bad) }
    }
}
