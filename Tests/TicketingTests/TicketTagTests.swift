import XCTest
@testable import Ticketing

final class TicketTagTests: XCTestCase {
    let plain = TicketTagFormat(key: TestKeys.key, tokenLength: 0)
    let acme = TicketTagFormat(key: TestKeys.key, prefix: "ACME", tokenLength: 5, plusAddressBases: ["support@example.com"])

    func testWritesTagsWithPrefixAndToken() {
        XCTAssertEqual(plain.text(for: 1234), "[#1234]")
        let token = acme.token(for: 1234)
        XCTAssertEqual(token.count, 5)
        XCTAssertTrue(Base32.isEncoded(token))
        XCTAssertEqual(token, token.lowercased())
        XCTAssertEqual(acme.text(for: 1234), "[ACME #1234-\(token)]")
        XCTAssertEqual(TicketTagFormat(key: TestKeys.key).text(for: 7), "[#7-\(TicketTagFormat(key: TestKeys.key).token(for: 7))]")
    }

    func testTokenIsTheBase32HMACOfTheTicketNumber() {
        let expected = Base32.encode(HMAC.sha256(key: TestKeys.key.bytes, message: Array("tag:1234".utf8))).prefix(5)
        XCTAssertEqual(acme.token(for: 1234), String(expected))
        XCTAssertNotEqual(acme.token(for: 1234), acme.token(for: 1235))
        XCTAssertNotEqual(acme.token(for: 1234), TicketTagFormat(key: TestKeys.otherKey).token(for: 1234))
    }

    /// Every way clients mangle a subject that still names ticket 1234.
    func testFindsTagsWhereverAndHoweverClientsWriteThem() {
        let format = TicketTagFormat(key: TestKeys.key, prefix: "ACME", tokenLength: 0)
        let subjects = [
            "[#1234] Printer on fire",
            "Re: [#1234] Printer on fire",
            "RE: RE: Fwd: [#1234] Printer on fire",
            "AW: WG: SV: VS: Antw: Printer on fire [#1234]",
            "Ответ: Отв: [#1234] Принтер",
            "RE : [#1234]",
            "re:[#1234]",
            "Printer [  #  1234  ] on fire",
            "Printer ［＃１２３４］ on fire",
            "Printer [＃1234] on fire",
            "[ACME #1234] Printer",
            "[acme#1234] Printer",
            "[ACME#1234] Printer",
            "[  Acme   #1234 ] Printer",
        ]
        for subject in subjects {
            XCTAssertEqual(format.firstTag(in: subject)?.number, 1234, subject)
        }
    }

    func testReadsTokensCaseInsensitively() {
        let token = acme.token(for: 1234)
        let tag = acme.firstTag(in: "Re: [ACME #1234-\(token.uppercased())] Printer")
        XCTAssertEqual(tag, TicketTag(number: 1234, token: token, prefix: "acme"))
        XCTAssertTrue(acme.isValid(token: token.uppercased(), for: 1234))
        XCTAssertEqual(acme.firstTag(in: "[#1234 - \(token)]")?.token, token)
    }

    func testIgnoresWhatIsNotOurTag() {
        let subjects = [
            "Printer #1234 on fire",            // no brackets
            "[OTHER #1234] someone else's desk", // foreign prefix
            "[#] empty", "[#abc] letters", "[#0] zero", "[#1234567890] too long",
            "[#1234-xyz!] bad token characters", "[1234] no hash", "[#12 34] split",
        ]
        for subject in subjects { XCTAssertNil(acme.firstTag(in: subject), subject) }
    }

    func testAcceptsEarlierPrefixesWhenConfigured() {
        let renamed = TicketTagFormat(key: TestKeys.key, prefix: "NEWCO", acceptedPrefixes: ["ACME"])
        XCTAssertEqual(renamed.firstTag(in: "[ACME #5]")?.number, 5)
        XCTAssertEqual(renamed.firstTag(in: "[NEWCO #5]")?.number, 5)
        XCTAssertEqual(renamed.firstTag(in: "[#5]")?.number, 5)
        XCTAssertNil(renamed.firstTag(in: "[OTHER #5]"))
    }

    func testFindsEveryTagInOrder() {
        XCTAssertEqual(plain.tags(in: "Re: [#12] Fwd: [#34] [x] [#56]").map(\.number), [12, 34, 56])
    }

    func testTokenValidationRefusesGuessesShortTokensAndOtherTickets() {
        let token = acme.token(for: 1234)
        XCTAssertTrue(acme.isValid(token: token, for: 1234))
        XCTAssertFalse(acme.isValid(token: token, for: 1235), "a token is bound to its number")
        XCTAssertFalse(acme.isValid(token: "aaaaa", for: 1234))
        XCTAssertFalse(acme.isValid(token: String(token.prefix(4)), for: 1234), "shorter than configured")
        XCTAssertFalse(acme.isValid(token: String(token.prefix(1)), for: 1234))
        let longer = String(acme.fullToken(for: 1234).prefix(8))
        XCTAssertTrue(acme.isValid(token: longer, for: 1234), "a tag written when tokens were longer still works")
    }

    func testPlusAddressesNameTickets() {
        let token = acme.token(for: 1234)
        XCTAssertEqual(acme.plusAddress(for: 1234), "support+1234-\(token)@example.com")
        XCTAssertEqual(acme.tag(inAddress: "support+1234@example.com"), TicketTag(number: 1234, source: .plusAddress))
        XCTAssertEqual(acme.tag(inAddress: "Support+1234-\(token)@Example.com")?.token, token)
        XCTAssertNil(acme.tag(inAddress: "support+1234@other.example"))
        XCTAssertNil(acme.tag(inAddress: "sales+1234@example.com"))
        XCTAssertNil(acme.tag(inAddress: "support+abc@example.com"))
        XCTAssertNil(acme.tag(inAddress: "support@example.com"))
    }

    func testStrippingRemovesOnlyOurTags() {
        XCTAssertEqual(acme.strippingTags(from: "Re: [ACME #1234] Printer  on fire"), "Re: Printer on fire")
        XCTAssertEqual(acme.strippingTags(from: "[OTHER #1] x [#2]"), "[OTHER #1] x")
        XCTAssertEqual(acme.strippingTags(from: "Printer ［＃１２３４］ fire"), "Printer fire")
    }

    func testOutgoingSubjectCarriesExactlyOneCanonicalTag() {
        XCTAssertEqual(plain.subject("Re: [#1234] Printer", taggedWith: 1234), "[#1234] Re: Printer")
        XCTAssertEqual(plain.subject("[#99] Old", taggedWith: 1300), "[#1300] Old")
        XCTAssertEqual(plain.subject("", taggedWith: 5), "[#5]")
    }

    func testHostileSubjectsAreBounded() {
        let long = String(repeating: "[#1] ", count: 10_000)
        XCTAssertEqual(plain.tags(in: long).count, TicketTagFormat.tagLimit)
        XCTAssertTrue(plain.tags(in: String(repeating: "[", count: 50_000)).isEmpty)
    }
}
