import Foundation
import MIME
import TestSupport
import Ticketing
import XCTest
@testable import Daemon

/// The templates postdesk ships: compiled in exactly as the files say, complete in four
/// languages, every mail as its golden, every HTML part read by a real browser.
/// POSTDESK_UPDATE_GOLDENS=1 rewrites Fixtures/notifications/.
final class ShippedTemplatesTests: XCTestCase {
    static let sourceDir = Fixtures.root.appendingPathComponent("Sources/Daemon/Outbound/Templates")
    static let languages = ["en", "ru", "uk", "de"]
    let update = ProcessInfo.processInfo.environment["POSTDESK_UPDATE_GOLDENS"] == "1"

    /// The EmbedTemplates build plugin compiles the directory in: every file, byte for byte, nothing else.
    func testTheCompiledInTemplatesAreTheFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.sourceDir.path).sorted()
        XCTAssertEqual(ShippedTemplates.files.keys.sorted(), names)
        for name in names {
            let data = try Data(contentsOf: Self.sourceDir.appendingPathComponent(name))
            XCTAssertEqual(ShippedTemplates.files[name].map { Data($0.utf8) }, data, name)
        }
    }

    func testEveryEventHasPlainTextInFourLanguagesAndCustomerMailsHaveHTML() throws {
        let set = try TemplateSet.build(shipped: TemplateLibrary.shippedFiles(), requiredLanguages: Set(Self.languages))
        XCTAssertEqual(set.languages, Self.languages.sorted())
        for language in Self.languages {
            for event in NotificationEvent.allCases {
                let t = set.template(for: event, languages: [language])
                XCTAssertEqual(t.language, language, "\(event.rawValue).\(language)")
                XCTAssertEqual(t.html != nil, event.isForCustomer, "\(event.rawValue).\(language).html")
                // A template that ignores the message it exists to carry is a defect.
                if [.newTicket, .followUp, .reopened, .reply].contains(event) {
                    XCTAssertTrue(t.text.placeholders.contains(.messageText), "\(event.rawValue).\(language)")
                }
            }
        }
        XCTAssertTrue(set.template(for: .statusResolved, languages: ["ru"]).text.placeholders.contains(.reopenDays))
        XCTAssertTrue(set.template(for: .slaBreach, languages: ["de"]).text.placeholders.contains(.slaDue))
    }

    /// The mail each template makes for the sample ticket, composed and parsed back by our parser.
    static func renderedMail(_ event: NotificationEvent, _ language: String, set: TemplateSet, withMessage: Bool) -> String {
        var values = TemplateValues.sample(language: language)
        if !withMessage { values[.messageText] = nil }
        let rendered = set.render(event, languages: [language], values: values)
        let composer = MailComposer(loopMarker: LoopMarker(instanceID: "golden"))
        let raw = composer.compose(.init(from: "Support <support@desk.example.com>", to: [values[.customerEmail]!], replyTo: nil,
                                         subject: "[#1234-k7f3q] " + rendered.subject, messageID: "<golden@desk.example.com>",
                                         inReplyTo: nil, references: [], body: rendered.text, html: rendered.html, automatic: event.isAutomatic),
                                   date: Date(timeIntervalSince1970: 1_800_000_000))
        let parsed = Message.parse(raw)
        var out = "Subject: \(parsed.subject ?? "")\nContent-Type: \(parsed.root.contentType)\n\n\(parsed.text ?? "")\n"
        if let html = parsed.html { out += "\n----- text/html -----\n\(html)" }
        return out
    }

    func testEveryShippedMailRendersAsItsGolden() throws {
        let set = try TemplateLibrary.shippedSet.get()
        let dir = Fixtures.url("notifications")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for language in Self.languages {
            for event in NotificationEvent.allCases {
                // Status notices come with and without the agent's reply in them.
                let variants = [event.rawValue: true] .merging(event.rawValue.hasPrefix("status-") ? ["\(event.rawValue)-alone": false] : [:]) { a, _ in a }
                for (name, withMessage) in variants {
                    let mail = Self.renderedMail(event, language, set: set, withMessage: withMessage)
                    let golden = dir.appendingPathComponent("\(name).\(language).mail")
                    if update { try Data(mail.utf8).write(to: golden); continue }
                    guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
                        XCTFail("no golden \(golden.lastPathComponent); run with POSTDESK_UPDATE_GOLDENS=1")
                        continue
                    }
                    XCTAssertEqual(mail, expected, "\(golden.lastPathComponent) differs; review, then POSTDESK_UPDATE_GOLDENS=1")
                }
            }
        }
    }

    func testSubjectsAndBodiesCarryNoUnrenderedPlaceholderAndValuesAreEscapedInHTML() throws {
        let set = try TemplateLibrary.shippedSet.get()
        for language in Self.languages {
            for event in NotificationEvent.allCases {
                let r = set.render(event, languages: [language], values: .sample(language: language))
                XCTAssertFalse(r.subject.contains("{{") || r.text.contains("{{") || (r.html ?? "").contains("{{"), "\(event.rawValue).\(language)")
                XCTAssertFalse(r.subject.contains("\n"))
                if let html = r.html {
                    XCTAssertFalse(html.contains("<HP-3>"), "the sample's markup must arrive escaped: \(event.rawValue).\(language)")
                }
            }
        }
    }

    /// Every HTML part, opened in headless Chromium: its visible text is the plain part's text.
    func testEveryHTMLPartReadsInChromiumAsThePlainPartSays() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("Chromium is not installed (Debian package chromium; scripts/install-deps.sh installs it)")
        }
        let set = try TemplateLibrary.shippedSet.get()
        var cases: [(name: String, text: String, html: String)] = []
        for language in Self.languages {
            for event in NotificationEvent.allCases where event.isForCustomer {
                for withMessage in [true, false] {
                    var values = TemplateValues.sample(language: language)
                    if !withMessage { values[.messageText] = nil; values[.ticketURL] = nil; values[.agentName] = nil }
                    let r = set.render(event, languages: [language], values: values)
                    cases.append(("\(event.rawValue).\(language)\(withMessage ? "" : " (bare)")", r.text, r.html!))
                }
            }
        }
        // One browser start for all: each part in a srcdoc frame, the page writes their text out.
        var page = "<!DOCTYPE html><html><body>"
        for c in cases { page += "<iframe srcdoc=\"\(Template.escape(c.html, for: .html))\"></iframe>" }
        page += """
            <pre id="out"></pre><script>window.onload = () => { document.getElementById('out').textContent =
            JSON.stringify([...document.querySelectorAll('iframe')].map(f => f.contentDocument.body.innerText)); };</script></body></html>
            """
        let dir = Fixtures.temporaryDirectory("chromium")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("parts.html")
        try Data(page.utf8).write(to: file)
        let output = dir.appendingPathComponent("out.txt").path
        let pid = try ChildProcess.spawn([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.path)/profile",
                                          "--virtual-time-budget=5000", "--dump-dom", file.absoluteString], outputFile: output)
        let status = ChildProcess.wait(pid, timeoutSeconds: 120)
        let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard let start = printed.range(of: "<pre id=\"out\">"), let end = printed.range(of: "</pre>", range: start.upperBound..<printed.endIndex) else {
            return XCTFail("Chromium printed no result (exit \(status)): \(printed.suffix(500))")
        }
        let json = String(printed[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
        let texts = try JSONDecoder().decode([String].self, from: Data(json.utf8))
        XCTAssertEqual(texts.count, cases.count)
        func words(_ s: String) -> String { s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        for (c, seen) in zip(cases, texts) {
            XCTAssertEqual(words(seen), words(c.text), c.name)
        }
    }
}
