import XCTest
@testable import Ticketing

/// The rules engine, field by field, operator by operator. Rules are built in code here;
/// the config spelling is covered by DaemonTests/RulesConfigTests.
final class RuleSetTests: XCTestCase {
    func test(_ field: RuleField, _ op: RuleOperator, sensitive: Bool = false) -> RuleCondition {
        .test(.init(field: field, op: op, caseSensitive: sensitive, text: "\(field) test"))
    }

    func fold(_ s: String) -> [UInt8] { TextFold.folded(s) }

    /// Whether one condition holds for `facts`.
    func holds(_ c: RuleCondition, _ facts: RuleFacts) -> Bool {
        RuleSet([Rule(name: "r", when: c, then: [.tags(["x"])])]).evaluate(facts, trigger: .new).results[0].matched
    }

    let sample = RuleFacts(
        from: "Anna.Schmidt@BigCorp.com", fromName: "Anna Schmidt", to: ["Support@Desk.example"], cc: ["boss@bigcorp.com"],
        mailbox: "support", subject: "Rechnung für Straße 5 – invoice 2026", text: "Hello,\nplease check the ＩＮＶＯＩＣＥ.\n",
        headers: [HeaderField("X-Priority", "1 (Highest)"), HeaderField("Received", "a"), HeaderField("Received", "b")],
        attachments: [.init(contentType: "application/pdf", filename: "Invoice-42.PDF")],
        size: 48_000, messageClass: .human, language: "de",
        customer: CustomerProfile(match: "@bigcorp.com", vip: true, tags: ["enterprise"], agent: "alice@desk.example"),
        arrival: ArrivalFacts(weekday: 6, hour: 10, businessHours: false))

    // MARK: - Fields

    func testEachTextFieldReadsItsPartOfTheMessage() {
        let cases: [(RuleField, String)] = [
            (.from, "anna.schmidt@bigcorp.com"), (.fromDomain, "bigcorp.com"), (.fromName, "anna schmidt"),
            (.to, "support@desk.example"), (.cc, "boss@bigcorp.com"), (.mailbox, "support"),
            (.header("x-priority"), "1 (highest)"), (.header("Received"), "b"), (.attachmentType, "application/pdf"),
            (.attachmentName, "invoice-42.pdf"), (.messageClass, "human"), (.language, "de"), (.customerTag, "enterprise"),
        ]
        for (field, value) in cases {
            XCTAssertTrue(holds(test(field, .equals(fold(value))), sample), "\(field) equals \(value)")
            XCTAssertFalse(holds(test(field, .equals(fold(value + "x"))), sample), "\(field) differs from \(value)x")
        }
        XCTAssertTrue(holds(test(.subject, .contains(fold("invoice"))), sample))
        XCTAssertTrue(holds(test(.text, .contains(fold("check the invoice"))), sample), "full-width text folds to ASCII")
        XCTAssertFalse(holds(test(.header("X-Missing"), .contains([])), sample), "an absent header has no value to match")
    }

    func testBooleanAndNumberFields() {
        XCTAssertTrue(holds(test(.hasAttachment, .isTrue(true)), sample))
        XCTAssertFalse(holds(test(.hasAttachment, .isTrue(true)), RuleFacts(from: "a@b.c")))
        XCTAssertTrue(holds(test(.hasAttachment, .isTrue(false)), RuleFacts(from: "a@b.c")))
        XCTAssertTrue(holds(test(.customerVIP, .isTrue(true)), sample))
        XCTAssertFalse(holds(test(.customerVIP, .isTrue(true)), RuleFacts(from: "a@b.c")), "no customer entry: not a VIP")
        XCTAssertTrue(holds(test(.size, .greaterThan(40_000)), sample))
        XCTAssertFalse(holds(test(.size, .lessThan(40_000)), sample))
        XCTAssertTrue(holds(test(.size, .numberEquals(48_000)), sample))
    }

    func testArrivalByWeekdayHourAndBusinessHours() {
        XCTAssertTrue(holds(.arrival(.weekday([6, 7])), sample))
        XCTAssertFalse(holds(.arrival(.weekday([1, 2, 3, 4, 5])), sample))
        XCTAssertTrue(holds(.arrival(.hour(from: 9, to: 12)), sample))
        XCTAssertFalse(holds(.arrival(.hour(from: 18, to: 8)), sample), "10:00 is not in the night range")
        var night = sample
        night.arrival.hour = 23
        XCTAssertTrue(holds(.arrival(.hour(from: 18, to: 8)), night), "a range past midnight wraps")
        night.arrival.hour = 3
        XCTAssertTrue(holds(.arrival(.hour(from: 18, to: 8)), night))
        XCTAssertTrue(holds(.arrival(.outsideBusinessHours), sample))
        night.arrival.businessHours = true
        XCTAssertFalse(holds(.arrival(.outsideBusinessHours), night))
    }

    // MARK: - Operators

    func testTextOperators() {
        XCTAssertTrue(holds(test(.subject, .startsWith(fold("RECHNUNG"))), sample))
        XCTAssertTrue(holds(test(.subject, .endsWith(fold("2026"))), sample))
        XCTAssertFalse(holds(test(.subject, .endsWith(fold("2025"))), sample))
        XCTAssertTrue(holds(test(.fromDomain, .oneOf([fold("example.com"), fold("BIGCORP.com")])), sample))
        XCTAssertFalse(holds(test(.fromDomain, .oneOf([fold("example.com")])), sample))
        XCTAssertTrue(holds(test(.subject, .matches(try! RulePattern(#"invoice\s+\d{4}"#, caseSensitive: false))), sample))
        XCTAssertFalse(holds(test(.subject, .matches(try! RulePattern(#"^invoice"#, caseSensitive: false))), sample))
    }

    func testComparisonIsCaseInsensitiveAndUnicodeAware() {
        // German ß folds to ss, Cyrillic upper and lower case meet, full-width letters are letters.
        XCTAssertTrue(holds(test(.subject, .contains(fold("STRASSE"))), sample))
        let russian = RuleFacts(from: "a@b.c", subject: "СЧЁТ на оплату")
        XCTAssertTrue(holds(test(.subject, .contains(fold("счёт"))), russian))
        XCTAssertTrue(holds(test(.subject, .startsWith(fold("Счёт На"))), russian))
        let decomposed = RuleFacts(from: "a@b.c", subject: "Сче\u{0308}т")
        XCTAssertTrue(holds(test(.subject, .equals(fold("счёт"))), decomposed), "composed and decomposed ё are one letter")
        XCTAssertTrue(holds(test(.subject, .contains(fold("ｉｎｖｏｉｃｅ"))), sample), "full-width needle, ASCII subject")
    }

    func testCaseSensitiveComparison() {
        XCTAssertFalse(holds(test(.subject, .contains(TextFold.exact("RECHNUNG")), sensitive: true), sample))
        XCTAssertTrue(holds(test(.subject, .contains(TextFold.exact("Rechnung")), sensitive: true), sample))
        let pattern = try! RulePattern("INVOICE", caseSensitive: true)
        XCTAssertFalse(holds(test(.subject, .matches(pattern), sensitive: true), sample))
    }

    func testPatternsAreBoundedInLengthAndInput() throws {
        XCTAssertThrowsError(try RulePattern(String(repeating: "a", count: RulePattern.maxPatternLength + 1), caseSensitive: false))
        XCTAssertThrowsError(try RulePattern("(unclosed", caseSensitive: false))
        XCTAssertThrowsError(try RulePattern("", caseSensitive: false))
        // Only the first 64 KiB are searched: a needle past them is not seen.
        let long = String(repeating: "é", count: RulePattern.maxInputBytes) + "NEEDLE"
        let facts = RuleFacts(from: "a@b.c", text: long)
        XCTAssertFalse(holds(test(.text, .matches(try RulePattern("needle", caseSensitive: false))), facts))
        XCTAssertFalse(holds(test(.text, .contains(fold("needle"))), facts))
        XCTAssertTrue(holds(test(.text, .matches(try RulePattern("^é+$", caseSensitive: false))), facts),
                      "the cut falls on a character boundary")
        // A catastrophic pattern on the capped input still finishes.
        let hostile = RuleFacts(from: "a@b.c", text: String(repeating: "a", count: 30))
        XCTAssertFalse(holds(test(.text, .matches(try RulePattern("^(a|aa)+$b", caseSensitive: false))), hostile))
    }

    // MARK: - Combinators

    func testAllAnyNotNestAndSayWhichConditionDecided() {
        let vip = test(.customerVIP, .isTrue(true))
        let invoice = test(.subject, .contains(fold("invoice")))
        let refund = test(.subject, .contains(fold("refund")))
        XCTAssertTrue(holds(.all([vip, invoice]), sample))
        XCTAssertFalse(holds(.all([vip, refund]), sample))
        XCTAssertTrue(holds(.any([refund, invoice]), sample))
        XCTAssertFalse(holds(.any([refund, .not(vip)]), sample))
        XCTAssertTrue(holds(.not(refund), sample))
        XCTAssertTrue(holds(.all([.any([refund, .not(.not(invoice))]), .not(.all([vip, refund]))]), sample))

        let refundRule = RuleCondition.test(.init(field: .subject, op: .contains(fold("refund")), caseSensitive: false,
                                                  text: #"subject contains "refund""#))
        let set = RuleSet([Rule(name: "both", when: .all([vip, refundRule]), then: [.tags(["a"])]),
                           Rule(name: "either", when: .any([refundRule, .arrival(.weekday([6]))]), then: [.tags(["b"])])])
        let results = set.evaluate(sample, trigger: .new).results
        XCTAssertEqual(results[0], RuleResult(name: "both", matched: false, because: #"subject contains "refund""#),
                       "the failing part of an all decides")
        XCTAssertEqual(results[1], RuleResult(name: "either", matched: true, because: "arrival weekday in [sat]"),
                       "the matching part of an any decides")
    }

    /// A test several rules share runs once per message, and every rule still gets its verdict.
    func testRulesSharingATestEachGetTheirVerdict() {
        let invoice = RuleCondition.test(.init(field: .subject, op: .contains(fold("invoice")), caseSensitive: false,
                                               text: #"subject contains "invoice""#))
        let sameAgain = RuleCondition.test(.init(field: .subject, op: .contains(fold("invoice")), caseSensitive: false,
                                                 text: #"subject contains "INVOICE""#))
        let exact = RuleCondition.test(.init(field: .subject, op: .contains(TextFold.exact("invoice")), caseSensitive: true,
                                             text: "exact"))
        let set = RuleSet([Rule(name: "a", when: invoice, then: [.tags(["a"])]),
                           Rule(name: "b", when: .not(sameAgain), then: [.tags(["b"])]),
                           Rule(name: "c", when: .all([sameAgain, exact]), then: [.tags(["c"])]),
                           Rule(name: "d", when: .any([.not(invoice), sameAgain]), then: [.tags(["d"])])])
        let results = set.evaluate(sample, trigger: .new).results
        XCTAssertEqual(results.map(\.matched), [true, false, true, true])
        XCTAssertEqual(results[0].because, #"subject contains "invoice""#)
        XCTAssertEqual(results[3].because, #"subject contains "INVOICE""#, "each node keeps its own words")
        var other = sample
        other.subject = "Refund"
        XCTAssertEqual(set.evaluate(other, trigger: .new).results.map(\.matched), [false, true, false, true],
                       "nothing carries over from the last message")
    }

    // MARK: - Actions, order, stop, triggers

    func testActionsAccumulateLaterRulesOverrideAndTagsAddUp() {
        let always = test(.from, .contains([]))
        let set = RuleSet([
            Rule(name: "one", when: always, then: [.queue("sales"), .priority(.high), .tags(["a", "b"]), .category("orders"),
                                                   .cc(["x@y.z"]), .sla("gold")]),
            Rule(name: "two", when: always, then: [.queue("billing"), .tags(["b", "c"]), .assign(.agent("alice@desk.example")),
                                                   .acknowledge(false), .status(.open), .cc(["w@y.z", "x@y.z"])]),
        ])
        let out = set.evaluate(sample, trigger: .new)
        XCTAssertEqual(out.queue, "billing")
        XCTAssertEqual(out.priority, .high)
        XCTAssertEqual(out.status, .open)
        XCTAssertEqual(out.tags, ["a", "b", "c"])
        XCTAssertEqual(out.category, "orders")
        XCTAssertEqual(out.assign, .agent("alice@desk.example"))
        XCTAssertEqual(out.cc, ["x@y.z", "w@y.z"])
        XCTAssertEqual(out.acknowledge, false)
        XCTAssertEqual(out.sla, "gold")
        XCTAssertFalse(out.spam)
        XCTAssertEqual(out.hits.map(\.rule), ["one", "two"])
    }

    func testSpamClosesTagsAndSilences() {
        let set = RuleSet([Rule(name: "junk", when: test(.subject, .contains(fold("invoice"))), then: [.spam])])
        let out = set.evaluate(sample, trigger: .new)
        XCTAssertTrue(out.spam)
        XCTAssertEqual(out.status, .closed)
        XCTAssertEqual(out.tags, ["spam"])
        XCTAssertEqual(out.acknowledge, false)
    }

    func testStopEndsEvaluation() {
        let always = test(.from, .contains([]))
        let set = RuleSet([Rule(name: "first", when: always, then: [.queue("a")], stop: true),
                           Rule(name: "second", when: always, then: [.queue("b")])])
        let out = set.evaluate(sample, trigger: .new)
        XCTAssertEqual(out.queue, "a")
        XCTAssertEqual(out.results[1], RuleResult(name: "second", matched: false, because: #"not evaluated: rule "first" stopped"#))
        let unmatchedStop = RuleSet([Rule(name: "first", when: .not(always), then: [.queue("a")], stop: true),
                                     Rule(name: "second", when: always, then: [.queue("b")])])
        XCTAssertEqual(unmatchedStop.evaluate(sample, trigger: .new).queue, "b", "stop only acts when its rule matched")
    }

    func testRulesRunOnNewTicketsUnlessTheyAskForFollowUps() {
        let always = test(.from, .contains([]))
        let set = RuleSet([Rule(name: "new-only", when: always, then: [.tags(["n"])]),
                           Rule(name: "both", when: always, then: [.tags(["f"])], on: [.new, .followUp]),
                           Rule(name: "follow-only", when: always, then: [.tags(["o"])], on: [.followUp])])
        XCTAssertEqual(set.evaluate(sample, trigger: .new).tags, ["n", "f"])
        let follow = set.evaluate(sample, trigger: .followUp)
        XCTAssertEqual(follow.tags, ["f", "o"])
        XCTAssertEqual(follow.results[0].because, "only for new tickets")
    }

    func testNoRulesDecideNothing() {
        XCTAssertEqual(RuleSet.empty.evaluate(sample, trigger: .new), RuleOutcome())
    }

    // MARK: - Customers

    func testCustomerLookupPrefersTheAddressThenTheLongestDomain() {
        let directory = CustomerDirectory([CustomerProfile(match: "@bigcorp.com", tags: ["corp"]),
                                           CustomerProfile(match: "CEO@bigcorp.com", vip: true),
                                           CustomerProfile(match: "@eu.bigcorp.com", language: "de")])
        XCTAssertEqual(directory.profile(for: "<ceo@BigCorp.com>")?.vip, true)
        XCTAssertEqual(directory.profile(for: "jo@bigcorp.com")?.tags, ["corp"])
        XCTAssertEqual(directory.profile(for: "jo@eu.bigcorp.com")?.language, "de")
        XCTAssertEqual(directory.profile(for: "jo@sales.bigcorp.com")?.tags, ["corp"], "a subdomain belongs to its domain")
        XCTAssertNil(directory.profile(for: "jo@notbigcorp.com"))
    }
}

/// The literal prefilter of `matches`: it may only ever skip a regex that could not match.
final class RulePatternLiteralTests: XCTestCase {
    func testRequiredLiteralsAreTakenOnlyWhereSure() {
        XCTAssertEqual(RulePattern.requiredLiteral(of: #"\binvoice\b.*\d+"#), "invoic")
        XCTAssertEqual(RulePattern.requiredLiteral(of: "invoices? due"), "invoic", "the optional s is dropped, and one more")
        XCTAssertEqual(RulePattern.requiredLiteral(of: "order (number|no) [0-9]+ shipped"), nil, "alternation: unsure")
        XCTAssertEqual(RulePattern.requiredLiteral(of: "(?i)refund"), nil, "inline options: unsure")
        XCTAssertEqual(RulePattern.requiredLiteral(of: "(maybe)?payment"), "paymen")
        XCTAssertEqual(RulePattern.requiredLiteral(of: "[invoice]+x"), nil, "a class is not a literal")
        XCTAssertEqual(RulePattern.requiredLiteral(of: #"a\.b"#), nil)
    }

    func testThePrefilterNeverRejectsAMatch() throws {
        let texts = ["INVOICE 2026 due", "Rechnung: invoice\u{0301} 12", "ｉｎｖｏｉｃｅ 7", "in voice 3", "invoices 9", "INVOİCE 4"]
        for source in [#"\binvoice\b.*\d+"#, "invoices? ", "invoice", "voice 3"] {
            for sensitive in [false, true] {
                let pattern = try RulePattern(source, caseSensitive: sensitive)
                let set = RuleSet([Rule(name: "r", when: .test(.init(field: .subject, op: .matches(pattern), caseSensitive: sensitive, text: "t")),
                                        then: [.tags(["x"])])])
                for text in texts {
                    let direct = pattern.matches(text)
                    let viaRules = set.evaluate(RuleFacts(from: "a@b.c", subject: text), trigger: .new).results[0].matched
                    XCTAssertEqual(viaRules, direct, "\(source) on \(text) (sensitive: \(sensitive))")
                }
            }
        }
    }
}
