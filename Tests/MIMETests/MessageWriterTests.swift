import Foundation
@testable import MIME
import TestSupport
import XCTest

/// The generator: what `MessageWriter` writes is valid on the wire (CRLF, lines ≤ 998, headers
/// folded) and `Message.parse` reads it back to the same fields, text and file bytes.
final class MessageWriterTests: XCTestCase {
    static let date = Date(timeIntervalSince1970: 1_796_000_000)

    func base(_ text: String = "Hello,\n\nthe printer is fixed.\n") -> OutgoingMessage {
        var m = OutgoingMessage(from: MailboxAddress(name: "Support", address: "support@example.com"),
                                to: [MailboxAddress(name: "Ann Customer", address: "ann@example.org")],
                                subject: "Printer on fire", date: Self.date, messageID: "pd.1.abc.def@example.com", text: text)
        m.inReplyTo = ["x1@mail.example.org"]
        m.references = ["x0@mail.example.org", "x1@mail.example.org"]
        return m
    }

    // MARK: - Shape

    func testPlainTextIsOneSevenBitPart() {
        let raw = MessageWriter().write(base())
        let text = String(decoding: raw, as: UTF8.self)
        XCTAssertTrue(text.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n"))
        XCTAssertTrue(text.contains("Date: Mon, 30 Nov 2026 00:53:20 +0000\r\n"))
        XCTAssertTrue(text.contains("From: Support <support@example.com>\r\n"))
        XCTAssertTrue(text.contains("To: Ann Customer <ann@example.org>\r\n"))
        XCTAssertTrue(text.contains("References: <x0@mail.example.org> <x1@mail.example.org>\r\n"))
        assertWellFormed(raw)
        assertRoundTrip(base(), raw)
    }

    func testHTMLMakesAlternativeWithInlineImagesRelated() {
        var m = base()
        m.html = "<p>Fixed: <img src=\"cid:logo@x\"></p>"
        m.attachments = [OutgoingAttachment(filename: "logo.png", contentType: "image/png", data: [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 255],
                                            contentID: "logo@x", isInline: true),
                         OutgoingAttachment(filename: "invoice.pdf", contentType: "application/pdf", data: Array("%PDF-1.4\n".utf8))]
        let raw = MessageWriter().write(m)
        let parsed = Message.parse(raw)
        XCTAssertEqual(parsed.treeLines().map { $0.components(separatedBy: " size=")[0] }, [
            "root multipart/mixed",
            "  1 multipart/alternative",
            "    1.1 text/plain charset=utf-8",
            "    1.2 multipart/related",
            "      1.2.1 text/html charset=utf-8",
            "      1.2.2 image/png cte=base64",
            "  2 application/pdf cte=base64",
        ])
        XCTAssertEqual(parsed.html, m.html)
        assertWellFormed(raw)
        assertRoundTrip(m, raw)
    }

    func testInlineImageWithoutHTMLIsAnInlineFileOfTheMixed() {
        var m = base()
        m.attachments = [OutgoingAttachment(filename: "shot.png", contentType: "image/png", data: [1, 2, 3], contentID: "s@x", isInline: true)]
        let parsed = Message.parse(MessageWriter().write(m))
        XCTAssertEqual(parsed.root.contentType, "multipart/mixed")
        XCTAssertEqual(parsed.attachments.first?.isInline, true)
    }

    func testNonASCIIFileNameGoesAsRFC2231() {
        var m = base()
        m.attachments = [OutgoingAttachment(filename: "Rechnung für März – 2026 (endgültig, bitte prüfen).pdf", contentType: "application/pdf", data: [1])]
        let raw = MessageWriter().write(m)
        let text = String(decoding: raw, as: UTF8.self)
        XCTAssertTrue(text.contains("filename*0*=utf-8''Rechnung%20f%C3%BCr%20M%C3%A4rz"), text)
        XCTAssertFalse(text.contains("ü"))
        assertWellFormed(raw)
        assertRoundTrip(m, raw)
    }

    func testNonASCIISubjectIsFoldedEncodedWords() {
        var m = base()
        m.subject = "Re: Заказ № 4711 не пришёл — срочно, пожалуйста проверьте доставку и счёт 😡 =?fake?= ok"
        let raw = MessageWriter().write(m)
        let head = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        let subjectLines = head.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        XCTAssertGreaterThan(subjectLines.count, 2)
        for line in subjectLines { XCTAssertLessThanOrEqual(line.utf8.count, 78, line) }
        XCTAssertTrue(head.contains("Subject: Re: =?UTF-8?B?"))
        assertRoundTrip(m, raw)
    }

    func testTextThatLooksLikeAnEncodedWordIsEncoded() {
        var m = base()
        m.subject = "=?utf-8?q?not_a_word?= and  two  spaces"
        m.from = MailboxAddress(name: "=?utf-8?q?Eve?=", address: "support@example.com")
        assertRoundTrip(m, MessageWriter().write(m))
    }

    func testQuotedDisplayNamesAndQuotedLocalParts() {
        var m = base()
        m.to = [MailboxAddress(name: "Doe, \"JD\" \\ Jane", address: "jane.doe@example.org"),
                MailboxAddress(name: "Zoë Ångström", address: "zoe@example.org"),
                MailboxAddress(name: nil, address: "x@example.org")]
        m.cc = [MailboxAddress(name: "a.b", address: "c@example.org")]
        m.replyTo = [MailboxAddress(name: nil, address: "support+12-note@example.com")]
        assertRoundTrip(m, MessageWriter().write(m))
    }

    func testLongLinesAndTrailingBlanksGoQuotedPrintable() {
        let long = String(repeating: "abcdefghij", count: 150)
        let m = base("\(long)\nFrom the start \n.dot\ntrailing tab\t\n")
        let raw = MessageWriter().write(m)
        let text = String(decoding: raw, as: UTF8.self)
        XCTAssertTrue(text.contains("Content-Transfer-Encoding: quoted-printable"))
        XCTAssertTrue(text.contains("=46rom the start=20\r\n"))
        assertWellFormed(raw)
        assertRoundTrip(m, raw)
    }

    func testMostlyNonLatinTextGoesBase64And8bitWhenAllowed() {
        let m = base("您好，打印机已经修好了。请确认一下。\n谢谢！\n")
        XCTAssertTrue(String(decoding: MessageWriter().write(m), as: UTF8.self).contains("Content-Transfer-Encoding: base64"))
        let raw8 = MessageWriter(allow8bit: true).write(m)
        XCTAssertTrue(String(decoding: raw8, as: UTF8.self).contains("Content-Transfer-Encoding: 8bit"))
        assertRoundTrip(m, raw8)
    }

    func testCharsetIsKeptWhenItHoldsTheTextElseUTF8() {
        var m = base("Grüße aus Köln\n")
        m.charset = "iso-8859-15"
        let parsed = Message.parse(MessageWriter().write(m))
        XCTAssertEqual(parsed.root.charset, "iso-8859-15")
        XCTAssertEqual(parsed.root.body, [0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20, 0x61, 0x75, 0x73, 0x20, 0x4B, 0xF6, 0x6C, 0x6E, 0x0D, 0x0A])
        m.text = "Grüße 😀\n"
        XCTAssertEqual(Message.parse(MessageWriter().write(m)).root.charset, "utf-8")
    }

    func testBoundaryLookalikeLineInTextIsEscaped() {
        var m = base("--=_pd_part_1\nnot a boundary\n--=_pd_part_1--\n")
        m.attachments = [OutgoingAttachment(filename: "a.txt", contentType: "text/plain", data: Array("--=_pd_part_1\r\n".utf8))]
        let raw = MessageWriter().write(m)
        assertRoundTrip(m, raw)
        XCTAssertEqual(Message.parse(raw).attachments.count, 1)
    }

    func testEnclosedMessageGoesSevenBitWhenItCan() {
        var m = base()
        let inner = Array("From: a@b.c\r\nSubject: hi\r\n\r\nbody\r\n".utf8)
        m.attachments = [OutgoingAttachment(filename: "original.eml", contentType: "message/rfc822", data: inner)]
        let raw = MessageWriter().write(m)
        XCTAssertTrue(String(decoding: raw, as: UTF8.self).contains("Content-Type: message/rfc822; name=original.eml\r\nContent-Transfer-Encoding: 7bit"))
        assertRoundTrip(m, raw)
        XCTAssertEqual(Message.parse(raw).root.children[1].message?.subject, "hi")
    }

    func testBadMediaTypeAndHeaderNamesAreNotWrittenAsGiven() {
        var m = base()
        m.attachments = [OutgoingAttachment(filename: "x", contentType: "text/plain\r\nBcc: victim@example.org", data: [1])]
        m.extraHeaders = [OutgoingHeader("X-Bad\r\nBcc", "v"), OutgoingHeader("X-Note", "line1\r\nBcc: victim@example.org")]
        let raw = MessageWriter().write(m)
        let parsed = Message.parse(raw)
        XCTAssertTrue(parsed.headerValues("Bcc").isEmpty)
        XCTAssertEqual(parsed.attachments.first?.contentType, "application/octet-stream")
        XCTAssertEqual(parsed.header("X-Note"), "line1\r\nBcc: victim@example.org")
        assertWellFormed(raw)
    }

    // MARK: - Round trips over generated and real-world values

    func testGeneratedMessagesRoundTrip() {
        var rng = SeededGenerator(seed: 0x5EED_0012)
        for round in 0..<150 {
            let m = Self.randomMessage(&rng)
            let raw = MessageWriter(allow8bit: round % 3 == 0).write(m)
            assertWellFormed(raw, "round \(round)")
            assertRoundTrip(m, raw, "round \(round)")
        }
    }

    /// The names, subjects and texts real mail carries (hostile file names, odd charsets), written
    /// again and read back.
    func testCorpusValuesRoundTrip() {
        let corpus = Fixtures.corpusMessages()
        XCTAssertFalse(corpus.isEmpty)
        for (name, bytes) in corpus {
            let source = Message.parse(bytes)
            var m = base(source.text ?? "")
            m.subject = source.subject ?? ""
            m.from = MailboxAddress(name: source.from.first?.name, address: "sender@example.com")
            m.html = source.html
            m.attachments = source.attachments.prefix(20).map(OutgoingAttachment.init)
            let raw = MessageWriter().write(m)
            assertWellFormed(raw, name)
            assertRoundTrip(m, raw, name)
        }
    }

    // MARK: - Checks

    /// CRLF only, no line over 998 octets, header lines within 78 where a fold was possible.
    func assertWellFormed(_ raw: [UInt8], _ context: String = "", file: StaticString = #filePath, line: UInt = #line) {
        var column = 0
        for (i, b) in raw.enumerated() {
            if b == 10 {
                XCTAssertTrue(i > 0 && raw[i - 1] == 13, "bare LF at \(i) \(context)", file: file, line: line)
                column = 0
            } else if b == 13 {
                XCTAssertTrue(i + 1 < raw.count && raw[i + 1] == 10, "bare CR at \(i) \(context)", file: file, line: line)
            } else {
                column += 1
                if column > 998 { XCTFail("line over 998 octets at \(i) \(context)", file: file, line: line); return }
            }
        }
        XCTAssertEqual(raw.suffix(2), [13, 10], context, file: file, line: line)
    }

    /// Line ends as LF; a final line break is implied by the writer (a message ends with one).
    static func normalized(_ s: String) -> String {
        // Scalar by scalar: Foundation's replacing works on characters, and "\n" + U+0301 is one.
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            if c == "\n" && previousCR { previousCR = false; continue }
            previousCR = c == "\r"
            out.append(c == "\r" ? "\n" : c)
        }
        if out.last == "\n" { out.removeLast() }
        return String(out)
    }

    /// Defects of the parts we wrote, not of messages enclosed as files (those are the sender's).
    static func ownDefects(_ e: Entity) -> [String] {
        e.defects.map(\.description) + e.children.flatMap(ownDefects)
    }

    func assertRoundTrip(_ m: OutgoingMessage, _ raw: [UInt8], _ context: String = "", file: StaticString = #filePath, line: UInt = #line) {
        let p = Message.parse(raw)
        XCTAssertEqual(Self.ownDefects(p.root), [], context, file: file, line: line)
        XCTAssertEqual(p.from, [m.from], context, file: file, line: line)
        XCTAssertEqual(p.to, m.to, context, file: file, line: line)
        XCTAssertEqual(p.cc, m.cc, context, file: file, line: line)
        XCTAssertEqual(p.replyTo, m.replyTo, context, file: file, line: line)
        XCTAssertEqual(p.subject ?? "", m.subject, context, file: file, line: line)
        XCTAssertEqual(p.date, Self.date, context, file: file, line: line)
        XCTAssertEqual(p.messageID, m.messageID, context, file: file, line: line)
        XCTAssertEqual(p.inReplyTo, m.inReplyTo, context, file: file, line: line)
        XCTAssertEqual(p.references, m.references, context, file: file, line: line)
        for h in m.extraHeaders { XCTAssertEqual(p.header(h.name), h.value, context, file: file, line: line) }
        func textPart(_ subtype: String) -> Entity? {
            Reports.find(p.root) { $0.contentType == "text/\(subtype)" && !$0.isAttachment }
        }
        let plain = textPart("plain")
        XCTAssertEqual(Self.normalized(plain?.decodedText ?? ""), Self.normalized(m.text), context, file: file, line: line)
        if let html = m.html {
            XCTAssertEqual(Self.normalized(textPart("html")?.decodedText ?? ""), Self.normalized(html), context, file: file, line: line)
        }
        // Files come back in tree order: the related images (inside the alternative) first.
        let related = m.html == nil ? [] : m.attachments.filter { $0.isInline && $0.contentID != nil }
        let expected = related + m.attachments.filter { !related.contains($0) }
        let got = p.attachments
        XCTAssertEqual(got.count, expected.count, context, file: file, line: line)
        for (g, e) in zip(got, expected) {
            XCTAssertEqual(g.filename, e.filename, context, file: file, line: line)
            XCTAssertTrue(g.data == e.data, "bytes differ: \(context) \(e.filename ?? "") \(g.data.count) vs \(e.data.count)", file: file, line: line)
            XCTAssertEqual(g.contentType, MessageWriter.isMediaType(e.contentType) ? e.contentType.lowercased() : "application/octet-stream", context, file: file, line: line)
            XCTAssertEqual(g.isInline, e.isInline, context, file: file, line: line)
            XCTAssertEqual(g.contentID, e.contentID.flatMap { HeaderEncoder.isWritableID($0) ? $0 : nil }, context, file: file, line: line)
        }
    }

    // MARK: - Generated values

    static let alphabets: [[Character]] = [
        Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_!?()'\"<>@=?/\\%*"),
        Array("äöüßÄÖÜéèêçñøåÆœ€£ "),
        Array("абвгдежзийклмнопрстуфхцчшщъыьэюяЁё "),
        Array("日本語の件名テスト漢字かなカナ中文简体繁體한국어 "),
        Array("😀🎉👍🏽🇩🇪\u{202E}\u{200B}\u{0301}\t\u{7}ﬁ "),
    ]

    static func randomText<G: RandomNumberGenerator>(_ rng: inout G, max: Int, alphabets: [Int]) -> String {
        let count = Int.random(in: 0...max, using: &rng)
        var s = ""
        for _ in 0..<count {
            let a = alphabets.randomElement(using: &rng)!
            s.append(Self.alphabets[a].randomElement(using: &rng)!)
        }
        return s
    }

    static func randomMessage<G: RandomNumberGenerator>(_ rng: inout G) -> OutgoingMessage {
        let charsets = ["utf-8", "iso-8859-1", "iso-8859-15", "windows-1252", "koi8-r", "iso-8859-5", "shift_jis", "euc-jp", "gb18030", "iso-2022-jp", "big5"]
        let scripts: [[Int]] = [[0], [0, 1], [0, 2], [0, 3], [0, 1, 2, 3, 4]]
        let script = scripts.randomElement(using: &rng)!
        func name() -> String? {
            // The parser trims blanks and trailing commas off display names ("Smith, John" repair).
            Bool.random(using: &rng) ? nil : randomText(&rng, max: 40, alphabets: script).trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",")))
        }
        func address() -> MailboxAddress {
            let local = ["ann", "bob.smith", "support+12-note", "o'neil", "x_y"].randomElement(using: &rng)!
            let n = name()
            return MailboxAddress(name: n?.isEmpty == true ? nil : n, address: "\(local)@example.org")
        }
        var m = OutgoingMessage(from: address(), to: (0..<Int.random(in: 1...4, using: &rng)).map { _ in address() },
                                subject: randomText(&rng, max: 200, alphabets: script), date: MessageWriterTests.date,
                                messageID: "pd.\(rng.next() % 100_000).n\(rng.next() % 1000)@example.com", text: "")
        m.cc = (0..<Int.random(in: 0...2, using: &rng)).map { _ in address() }
        var lines: [String] = []
        for _ in 0..<Int.random(in: 0...30, using: &rng) {
            lines.append(Int.random(in: 0..<10, using: &rng) == 0 ? String(repeating: "x", count: 1200) : randomText(&rng, max: 120, alphabets: script))
        }
        m.text = lines.joined(separator: ["\n", "\r\n"].randomElement(using: &rng)!)
        m.charset = charsets.randomElement(using: &rng)!
        if Bool.random(using: &rng) { m.html = "<p>" + randomText(&rng, max: 300, alphabets: script) + "</p>" }
        m.inReplyTo = Bool.random(using: &rng) ? ["r\(rng.next() % 1000)@example.net"] : []
        m.references = (0..<Int.random(in: 0...25, using: &rng)).map { "ref\($0).\(rng.next() % 1000)@example.net" }
        if m.references.count > 20 { m.references = [m.references[0]] + m.references.suffix(19) }
        let types = ["application/pdf", "image/png", "text/csv", "application/octet-stream", "message/rfc822", "Application/X-Weird", "not a type"]
        for i in 0..<Int.random(in: 0...4, using: &rng) {
            let size = [0, 1, 2, 3, 57, 1000, 20_000].randomElement(using: &rng)!
            var data: [UInt8] = []
            data.reserveCapacity(size + 8)
            while data.count < size { withUnsafeBytes(of: rng.next()) { data += $0 } }
            data.removeLast(data.count - size)
            var filename = name()
            if Int.random(in: 0..<5, using: &rng) == 0 { filename = ["../../etc/passwd", "a\r\nb.txt", "CON", "x\"y\\z.txt", "=?utf-8?q?x?=.pdf", String(repeating: "é", count: 300)].randomElement(using: &rng)! }
            m.attachments.append(OutgoingAttachment(filename: filename?.isEmpty == true ? nil : filename, contentType: types.randomElement(using: &rng)!,
                                                    data: data, contentID: Bool.random(using: &rng) ? "c\(i)@x" : nil, isInline: Bool.random(using: &rng)))
        }
        return m
    }
}
