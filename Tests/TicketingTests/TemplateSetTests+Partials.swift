import XCTest
@testable import Ticketing

/// Partials in a template set: shipped ones (`_layout.html`), overridden or added by the
/// template directory, a language's own before the common one, checked at load like templates.
extension TemplateSetTests {
    static let layout = "<html lang=\"{{$lang}}en{{/lang}}\">\n<body>\n{{$body}}\n{{/body}}\n</body>\n</html>\n"

    func filesWithLayout() -> [String: TemplateSet.File] {
        var files = englishFiles(languages: ["en", "de"])
        files["_layout.html"] = .init(text: Self.layout, origin: "shipped")
        files["ack.en.html"] = .init(text: "{{< layout}}\n{{$body}}\n<p>en {{ticket.number}}</p>\n{{/body}}\n{{/layout}}\n", origin: "shipped")
        return files
    }

    func testTheTemplateDirectoryMayUseAndOverrideTheShippedLayout() throws {
        let shipped = try TemplateSet.build(shipped: filesWithLayout())
        let values = TemplateValues([.ticketNumber: "7"])
        XCTAssertEqual(shipped.render(.acknowledgement, languages: ["en"], values: values).html,
                       "<html lang=\"en\">\n<body>\n<p>en 7</p>\n</body>\n</html>\n")
        XCTAssertEqual(shipped.partialOrigins, ["_layout.html": "shipped"])

        // A custom template in a new language uses the shipped layout.
        let custom = try TemplateSet.build(shipped: filesWithLayout(), overrides: [
            "ack.fr.txt": .init(text: "Subject: Merci\n\nBonjour", origin: "/t/ack.fr.txt"),
            "ack.fr.html": .init(text: "{{< layout}}\n{{$lang}}fr{{/lang}}\n{{$body}}\n<p>Bonjour</p>\n{{/body}}\n{{/layout}}\n", origin: "/t/ack.fr.html"),
        ])
        XCTAssertEqual(custom.render(.acknowledgement, languages: ["fr"], values: values).html,
                       "<html lang=\"fr\">\n<body>\n<p>Bonjour</p>\n</body>\n</html>\n")

        // Overriding the layout changes every HTML mail that uses it, the shipped ones too.
        let restyled = try TemplateSet.build(shipped: filesWithLayout(), overrides: [
            "_layout.html": .init(text: "<div class=\"brand\" lang=\"{{$lang}}{{/lang}}\">\n{{$body}}\n{{/body}}\n</div>\n", origin: "/t/_layout.html"),
        ])
        XCTAssertEqual(restyled.render(.acknowledgement, languages: ["en"], values: values).html, "<div class=\"brand\" lang=\"\">\n<p>en 7</p>\n</div>\n")
        XCTAssertEqual(restyled.partialOrigins, ["_layout.html": "/t/_layout.html"])
    }

    func testALanguagesOwnPartialComesBeforeTheCommonOne() throws {
        var files = filesWithLayout()
        files["_signature.txt"] = .init(text: "-- Support\n", origin: "shipped")
        files["_signature.de.txt"] = .init(text: "-- Ihr Support\n", origin: "shipped")
        files["reply.en.txt"] = .init(text: "Subject: Re\n\nHello\n{{> signature}}\n", origin: "shipped")
        files["reply.de.txt"] = .init(text: "Subject: Re\n\nHallo\n{{> signature}}\n", origin: "shipped")
        let set = try TemplateSet.build(shipped: files)
        XCTAssertEqual(set.render(.reply, languages: ["en"], values: .init()).text, "Hello\n-- Support\n")
        XCTAssertEqual(set.render(.reply, languages: ["de"], values: .init()).text, "Hallo\n-- Ihr Support\n")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files, overrides: [
            "reply.en.html": .init(text: "{{> signature}}", origin: "/t/reply.en.html")]) },
                       "/t/reply.en.html:1: unknown partial {{> signature}} (known: layout)", "an HTML template uses HTML partials only")
    }

    func testBrokenPartialsStopTheLoadNamingTheirFile() {
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.filesWithLayout(), overrides: [
            "_layout.html": .init(text: "<html>\n<body>\n{{$body}}\n{{/body}}\n</html>\n", origin: "/t/_layout.html")]) },
                       "/t/_layout.html:5: </html> does not match <body> opened on line 2")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.filesWithLayout(), overrides: [
            "_footer.html": .init(text: "<p>{{ticket.nummer}}</p>", origin: "/t/_footer.html")]) },
                       "/t/_footer.html:1: unknown placeholder {{ticket.nummer}} (did you mean {{ticket.number}}?)",
                       "checked even while no template uses it")
        XCTAssertTrue(reason { try TemplateSet.build(shipped: self.filesWithLayout(), overrides: [
            "_Footer.html": .init(text: "<p>x</p>", origin: "/t/_Footer.html")]) }.hasPrefix("/t/_Footer.html: not a partial name"))
        XCTAssertEqual(reason { try TemplateSet.build(shipped: self.filesWithLayout(), overrides: [
            "ack.en.html": .init(text: "{{< layout}}\n{{$body}}\n<p>{{/body}}\n{{/layout}}\n", origin: "/t/ack.en.html")]) },
                       "/t/ack.en.html:3: {{/body}} ends the block while <p> opened on line 3 is still open")
        // The relayed reply's placeholder may not reach an attribute or a <title> through a slot either.
        var files = filesWithLayout()
        files["_layout.html"] = .init(text: "<html>\n<head><title>{{$title}}{{/title}}</title></head>\n<body>\n{{$body}}\n{{/body}}\n</body>\n</html>\n", origin: "shipped")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files, overrides: [
            "ack.en.html": .init(text: "{{< layout}}\n{{$title}}Re: {{message.text}}{{/title}}\n{{$body}}\n<p>x</p>\n{{/body}}\n{{/layout}}\n", origin: "/t/ack.en.html")]) },
                       "/t/ack.en.html (with its partials):2: {{message.text}} in <title>: it may stand only in element content (a reply relayed as HTML would be spliced in)")
    }
}
