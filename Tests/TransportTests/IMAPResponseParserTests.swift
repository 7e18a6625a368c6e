import TestSupport
import XCTest
@testable import Transport

final class IMAPResponseParserTests: XCTestCase {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Feeds `input` in the given chunk sizes and returns every response.
    private func parse(_ input: [UInt8], chunks: [Int]? = nil, limits: IMAPResponseParser.Limits = .init()) throws -> [IMAPResponse] {
        var parser = IMAPResponseParser(limits: limits)
        var out: [IMAPResponse] = []
        var position = 0
        var sizes = (chunks ?? [input.count]).makeIterator()
        while position < input.count {
            let size = max(1, sizes.next() ?? input.count)
            let end = min(input.count, position + size)
            parser.feed(input[position ..< end])
            position = end
            while let response = try parser.next() { out.append(response) }
        }
        XCTAssertEqual(parser.bufferedBytes, 0, "bytes left over after the last response")
        return out
    }

    private var session: [UInt8] { get throws { try Fixtures.bytes("imap/dovecot-session.txt") } }

    private func expectedSession() throws -> [IMAPResponse] {
        let tricky = try Fixtures.bytes("imap/tricky-body.eml")
        let odd = try Fixtures.bytes("imap/nul-and-bare-lf.eml")
        return [
            .untagged(.condition(.ok, code: .capability(["IMAP4rev1", "SASL-IR", "LITERAL+", "ID", "ENABLE", "IDLE", "AUTH=PLAIN"]),
                                 text: "Dovecot ready.")),
            .tagged(tag: "A001", status: .ok, code: .capability(["IMAP4rev1", "UIDPLUS", "MOVE"]), text: "Logged in"),
            .untagged(.flags(["\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"])),
            .untagged(.condition(.ok, code: .other(name: "PERMANENTFLAGS", text: "(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)"),
                                 text: "Flags permitted.")),
            .untagged(.exists(3)),
            .untagged(.recent(0)),
            .untagged(.condition(.ok, code: .uidValidity(1_795_402_447), text: "UIDs valid")),
            .untagged(.condition(.ok, code: .uidNext(12), text: "Predicted next UID")),
            .tagged(tag: "A002", status: .ok, code: .readWrite, text: "Select completed (0.001 + 0.000 secs)."),
            .untagged(.fetch(sequence: 1, .init(uid: 9, size: tricky.count, sections: ["BODY[]": tricky]))),
            .untagged(.fetch(sequence: 2, .init(uid: 10, size: odd.count, flags: ["\\Seen"], sections: ["BODY[]": odd]))),
            .untagged(.fetch(sequence: 3, .init(uid: 11, size: 0, sections: ["BODY[]": [UInt8]?.none]))),
            .tagged(tag: "A003", status: .ok, code: nil, text: "Fetch completed (0.002 + 0.000 secs)."),
            .untagged(.status(mailbox: "Support Queue", items: ["MESSAGES": 3, "UIDNEXT": 12, "UIDVALIDITY": 1_795_402_447, "UNSEEN": 2])),
            .tagged(tag: "A004", status: .ok, code: nil, text: "Status completed."),
            .untagged(.search([9, 10, 11])),
            .tagged(tag: "A005", status: .ok, code: nil, text: "Search completed."),
            .untagged(.condition(.ok, code: .copyUID(validity: 1_795_402_500, source: "9:10", destination: "1:2"), text: "Moved UIDs.")),
            .untagged(.expunge(1)),
            .untagged(.expunge(1)),
            .tagged(tag: "A006", status: .ok, code: nil, text: "Move completed."),
            .continuation("OK"),
            .tagged(tag: "A007", status: .ok, code: .appendUID(validity: 1_795_402_447, uid: 12), text: "Append completed."),
            .untagged(.condition(.bye, code: nil, text: "Logging out")),
            .tagged(tag: "A008", status: .ok, code: nil, text: "Logout completed."),
        ]
    }

    func testAWholeDovecotSessionParsesIntoEveryResponseWithLiteralsByteExact() throws {
        XCTAssertEqual(try parse(try session), try expectedSession())
    }

    func testARealDovecotTranscriptYieldsTheAppendedBytesExactly() throws {
        // Captured from Dovecot 2.3.19 (scripts/mailservers.sh) with a raw socket; see Fixtures/imap/README.md.
        let input = try Fixtures.bytes("imap/dovecot-real-session.txt")
        // Appended with a bare LF after "line one": Dovecot hands it back as CRLF (bare CR stays).
        let odd = bytes("Subject: bare LF and CR\r\n\r\nline one\r\nline two\rthree\r\n")
        var rng = SeededGenerator(seed: 99)
        for chunks in [nil, Array(repeating: 1, count: input.count), (0 ..< input.count).map { _ in Int.random(in: 1 ... 64, using: &rng) }] {
            let responses = try parse(input, chunks: chunks)
            let fetches = responses.compactMap { r -> IMAPResponse.Fetch? in
                if case .untagged(.fetch(_, let f)) = r, f.body != nil { return f }
                return nil
            }
            XCTAssertEqual(fetches.map(\.uid), [1, 2])
            XCTAssertEqual(fetches.map(\.body), [try Fixtures.bytes("imap/tricky-body.eml"), odd])
            XCTAssertEqual(fetches.map(\.size), [126, odd.count])
            let tags = responses.compactMap { r -> String? in if case .tagged(let t, .ok, _, _) = r { return t }; return nil }
            XCTAssertEqual(tags, ["a1", "a20", "a21", "a3", "a4", "a5", "a6", "a7", "a8", "a9"])
            XCTAssertTrue(responses.contains(.tagged(tag: "a20", status: .ok, code: .appendUID(validity: 1_795_404_413, uid: 1),
                                                     text: "Append completed (0.002 + 0.000 + 0.001 secs).")))
            XCTAssertTrue(responses.contains(.untagged(.search([1, 2]))))
            XCTAssertTrue(responses.contains(.untagged(.fetch(sequence: 1, .init(uid: 1, flags: ["\\Seen", "\\Recent"])))))
        }
    }

    func testFeedingOneByteAtATimeGivesTheSameResponses() throws {
        let input = try session
        XCTAssertEqual(try parse(input, chunks: Array(repeating: 1, count: input.count)), try expectedSession())
    }

    func testRandomSplitsGiveTheSameResponses() throws {
        let input = try session
        let expected = try expectedSession()
        var rng = SeededGenerator(seed: 0x5EED)
        for _ in 0 ..< 200 {
            let chunks = (0 ..< input.count).map { _ in Int.random(in: 1 ... 40, using: &rng) }
            XCTAssertEqual(try parse(input, chunks: chunks), expected)
        }
    }

    func testTagAndFetchLinesInsideALiteralDoNotEndTheResponse() throws {
        let body = bytes("A005 OK fake\r\n* 3 FETCH (BODY[] {5}\r\nhello\r\n)\r\nA005 OK done\r\n")
        let input = bytes("* 1 FETCH (UID 7 BODY[] {\(body.count)}\r\n") + body + bytes(")\r\nA005 OK real end\r\n")
        let responses = try parse(input)
        XCTAssertEqual(responses.count, 2)
        guard case .untagged(.fetch(_, let fetch)) = responses[0] else { return XCTFail("not a FETCH: \(responses[0])") }
        XCTAssertEqual(fetch.uid, 7)
        XCTAssertEqual(fetch.body, body)
        XCTAssertEqual(responses[1], .tagged(tag: "A005", status: .ok, code: nil, text: "real end"))
    }

    func testALiteralThatEndsWithoutALineBreakStillCloses() throws {
        let input = bytes("* 2 FETCH (BODY[] {3}\r\nabc UID 9)\r\n")
        XCTAssertEqual(try parse(input), [.untagged(.fetch(sequence: 2, .init(uid: 9, sections: ["BODY[]": bytes("abc")])))])
    }

    func testBareLineFeedsEndLinesAndNULsSurviveInLiterals() throws {
        let body: [UInt8] = [0x61, 0x00, 0x0A, 0x0D, 0x62]
        let input = bytes("* OK hi\n* 4 FETCH (UID 1 BODY[] {5}\n") + body + bytes(")\nT1 OK go\n")
        XCTAssertEqual(try parse(input), [
            .untagged(.condition(.ok, code: nil, text: "hi")),
            .untagged(.fetch(sequence: 4, .init(uid: 1, sections: ["BODY[]": body]))),
            .tagged(tag: "T1", status: .ok, code: nil, text: "go"),
        ])
    }

    func testAnEmptyLiteralAndLiteralPlusMarkersAreRead() throws {
        let input = bytes("* 1 FETCH (BODY[] {0}\r\n UID 3 BODY[HEADER] {2+}\r\nab)\r\n")
        XCTAssertEqual(try parse(input), [.untagged(.fetch(sequence: 1, .init(uid: 3, sections: ["BODY[]": [], "BODY[HEADER]": bytes("ab")])))])
    }

    func testSectionNamesWithSpacesAndPartialsAreOneItem() throws {
        let input = bytes("* 1 FETCH (UID 4 BODY[HEADER.FIELDS (MESSAGE-ID)] {4}\r\nab\r\n INTERNALDATE \"01-Jan-2026 00:00:00 +0000\")\r\n")
        let expected = IMAPResponse.Fetch(uid: 4, internalDate: "01-Jan-2026 00:00:00 +0000",
                                          sections: ["BODY[HEADER.FIELDS (MESSAGE-ID)]": bytes("ab\r\n")])
        XCTAssertEqual(try parse(input), [.untagged(.fetch(sequence: 1, expected))])
    }

    func testUnknownFetchItemsWithNestedListsAreSkipped() throws {
        let input = bytes("* 1 FETCH (UID 4 ENVELOPE (\"d\" {3}\r\nsub ((NIL NIL \"a\" \"b\")) NIL) MODSEQ (12) RFC822.SIZE 10)\r\n")
        XCTAssertEqual(try parse(input), [.untagged(.fetch(sequence: 1, .init(uid: 4, size: 10)))])
    }

    func testQuotedStringsUnescapeBackslashes() throws {
        let input = bytes("* STATUS \"a \\\"b\\\" \\\\c\" (MESSAGES 1)\r\n")
        XCTAssertEqual(try parse(input), [.untagged(.status(mailbox: "a \"b\" \\c", items: ["MESSAGES": 1]))])
    }

    func testStatusWithALiteralMailboxName() throws {
        let input = bytes("* STATUS {5}\r\nIN)BX (UIDNEXT 9)\r\n")
        XCTAssertEqual(try parse(input), [.untagged(.status(mailbox: "IN)BX", items: ["UIDNEXT": 9]))])
    }

    func testCapabilityAndTaggedFailures() throws {
        let input = bytes("* CAPABILITY IMAP4rev1 MOVE UIDPLUS\r\nx1 NO [TRYCREATE] no such mailbox\r\nx2 BAD\r\n")
        XCTAssertEqual(try parse(input), [
            .untagged(.capability(["IMAP4rev1", "MOVE", "UIDPLUS"])),
            .tagged(tag: "x1", status: .no, code: .tryCreate, text: "no such mailbox"),
            .tagged(tag: "x2", status: .bad, code: nil, text: ""),
        ])
    }

    func testASearchLineFarBeyondSixteenKilobytesIsReadWhole() throws {
        // libcurl 7.88 corrupts lines over 16 KB; ours are bounded only by Limits.
        let uids = (1 ... 30_000).map { UInt32($0) }
        let line = bytes("* SEARCH " + uids.map(String.init).joined(separator: " ") + "\r\n")
        XCTAssertGreaterThan(line.count, 150_000)
        XCTAssertEqual(try parse(line, chunks: Array(repeating: 4096, count: 100)), [.untagged(.search(uids))])
    }

    func testStatusTextEndingInBracesIsNotALiteral() throws {
        let input = bytes("A1 NO Mailbox doesn't exist: x{5}\r\n* BYE closing {9}\r\n+ send {3}\r\n")
        XCTAssertEqual(try parse(input), [
            .tagged(tag: "A1", status: .no, code: nil, text: "Mailbox doesn't exist: x{5}"),
            .untagged(.condition(.bye, code: nil, text: "closing {9}")),
            .continuation("send {3}"),
        ])
    }

    func testAnEmptySearchIsAnEmptyList() throws {
        XCTAssertEqual(try parse(bytes("* SEARCH\r\n")), [.untagged(.search([]))])
    }

    func testAnIncompleteResponseWaitsForMoreBytes() throws {
        var parser = IMAPResponseParser()
        parser.feed(bytes("* 1 FETCH (BODY[] {10}\r\n12345"))
        XCTAssertNil(try parser.next())
        parser.feed(bytes("67890)\r"))
        XCTAssertNil(try parser.next())
        parser.feed(bytes("\n"))
        XCTAssertEqual(try parser.next(), .untagged(.fetch(sequence: 1, .init(sections: ["BODY[]": bytes("1234567890")]))))
    }

    func testALineOverTheLimitIsAClearErrorEvenBeforeItEnds() throws {
        var parser = IMAPResponseParser(limits: .init(maxLineBytes: 64))
        parser.feed(Array(repeating: UInt8(ascii: "x"), count: 100))
        XCTAssertThrowsError(try parser.next()) { error in
            XCTAssertEqual((error as? IMAPResponseParser.Failure)?.reason, .lineTooLong)
        }
        XCTAssertThrowsError(try parser.next(), "a failed stream stays failed")
    }

    func testALiteralOverTheLimitIsRefusedBeforeItsBytesArrive() throws {
        var parser = IMAPResponseParser(limits: .init(maxLiteralBytes: 1000))
        parser.feed(bytes("* 1 FETCH (BODY[] {1001}\r\n"))
        XCTAssertThrowsError(try parser.next()) { error in
            XCTAssertEqual((error as? IMAPResponseParser.Failure)?.reason, .literalTooLarge)
        }
    }

    func testAnAbsurdLiteralSizeIsRefused() throws {
        var parser = IMAPResponseParser()
        parser.feed(bytes("* 1 FETCH (BODY[] {99999999999999999999}\r\n"))
        XCTAssertThrowsError(try parser.next())
    }

    func testGarbageIsAMalformedErrorNotACrash() throws {
        let cases = ["\r\n", "* 1 FETCH (UID\r\n", "* 1 FETCH (UID 1\r\n", "* 1 FETCH UID 1\r\n", "A1\r\n",
                     "A1 MAYBE\r\n", "* OK [UIDNEXT 5\r\n", "* STATUS \"x (MESSAGES 1)\r\n", "* 1 FETCH (BODY[ {3}\r\nabc)\r\n",
                     "* 1 FETCH (UID x)\r\n", "* 1 FETCH (" + String(repeating: "(", count: 100) + "\r\n"]
        for text in cases {
            var parser = IMAPResponseParser()
            parser.feed(bytes(text))
            XCTAssertThrowsError(try parser.next(), "accepted \(text.debugDescription)") { error in
                XCTAssertEqual((error as? IMAPResponseParser.Failure)?.reason, .malformed, text.debugDescription)
            }
        }
    }

    func testRandomBytesNeverCrashTheParser() {
        var rng = SeededGenerator(seed: 42)
        let alphabet = Array("* 0123456789 FETCH UID BODY[] ( ) { } \" \\ \r\n OK A1 NIL ".utf8)
        for _ in 0 ..< 2000 {
            var parser = IMAPResponseParser(limits: .init(maxLineBytes: 200, maxLiteralBytes: 200, maxResponseBytes: 1000))
            parser.feed((0 ..< Int.random(in: 1 ... 120, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0 })
            for _ in 0 ..< 50 { guard (try? parser.next()) != nil else { break } }
        }
    }

    func testManyMessagesInOneStreamKeepTheBufferSmall() throws {
        var parser = IMAPResponseParser()
        let body = [UInt8](repeating: UInt8(ascii: "m"), count: 100_000)
        var maxBuffered = 0
        for uid in 1 ... 200 {
            parser.feed(bytes("* \(uid) FETCH (UID \(uid) BODY[] {\(body.count)}\r\n") + body + bytes(")\r\n"))
            maxBuffered = max(maxBuffered, parser.bufferedBytes)
            guard case .untagged(.fetch(_, let f))? = try parser.next() else { return XCTFail("no fetch for \(uid)") }
            XCTAssertEqual(f.uid, UInt32(uid))
            XCTAssertEqual(f.body?.count, body.count)
        }
        XCTAssertLessThan(maxBuffered, 2 * body.count)
        XCTAssertEqual(parser.bufferedBytes, 0)
    }

    func testABigLiteralIsHeldOnceOutsideTheLineBuffer() throws {
        var parser = IMAPResponseParser()
        let body = (0 ..< 5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let stream = bytes("* 1 FETCH (UID 9 BODY[] {\(body.count)}\r\n") + body + bytes(" FLAGS (\\Seen))\r\n")
        var position = 0
        var response: IMAPResponse?
        while position < stream.count {
            let end = min(stream.count, position + 65_536)
            parser.feed(stream[position ..< end])
            position = end
            if let r = try parser.next() { response = r }
        }
        guard case .untagged(.fetch(_, let f))? = response else { return XCTFail("no fetch") }
        XCTAssertTrue(f.body == body, "the literal byte for byte")
        XCTAssertEqual(f.flags, ["\\Seen"], "the line after the literal is read as before")
        XCTAssertLessThan(parser.lineBufferCapacity, 512 << 10, "the line buffer never held the message")
        XCTAssertEqual(parser.bufferedBytes, 0)
    }
}
