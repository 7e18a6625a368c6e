import XCTest
import TestSupport
@testable import Ticketing

/// The mail-client workflow commands: `#take`, `#assign` by name, `#cc`, `#note`, failures
/// reported, and the first reply taking the ticket.
final class AgentWorkflowCommandTests: XCTestCase {
    let directory = AgentDirectory([("alice@desk.test", "Alice Agent"), ("bob@desk.test", nil), ("bob.b@desk.test", "Bob")])
    let clock = FakeClock()

    func parse(_ text: String) -> AgentCommand.Parsed { AgentCommand.parse(text, sender: "alice@desk.test", agents: directory) }

    func testEveryCommand() {
        let rows: [(String, [AgentCommand], [String])] = [
            ("#take", [.assign("alice@desk.test")], []),
            ("#assign me", [.assign("alice@desk.test")], []),
            ("#assign Alice Agent", [.assign("alice@desk.test")], []),
            ("#assign BOB", [.assign("bob.b@desk.test")], []),
            ("#assign bob@desk.test", [.assign("bob@desk.test")], []),
            ("#assign mallory@evil.test", [], ["#assign: unknown agent mallory@evil.test"]),
            ("#assign nobody", [], ["#assign: unknown agent nobody"]),
            ("#assign", [], ["#assign needs an agent (address or name) or me"]),
            ("#cc Boss@Customer.test", [.cc("boss@customer.test")], []),
            ("#cc not-an-address", [], ["#cc needs an address, not not-an-address"]),
            ("#note", [.note], []),
            ("#resolve", [.status(.resolved)], []),
            ("#close", [.status(.closed)], []),
            ("#pending", [.status(.pending)], []),
            ("#status open", [.status(.open)], []),
            ("#status frozen", [], ["#status needs one of new|open|pending|resolved|closed"]),
            ("#priority urgent", [.priority(.urgent)], []),
            ("#priority whenever", [], ["#priority needs one of low|normal|high|urgent"]),
            ("#unassign", [.unassign], []),
            ("#frobnicate", [], ["unknown command #frobnicate"]),
        ]
        for (line, commands, errors) in rows {
            let parsed = parse(line + "\nHello")
            XCTAssertEqual(parsed.commands, commands, line)
            XCTAssertEqual(parsed.errors, errors, line)
        }
    }

    func testAnAmbiguousNameIsNoAgent() {
        let two = AgentDirectory([("sam@a.test", "Sam"), ("sam@b.test", "Sam")])
        XCTAssertNil(two.resolve("sam"))
        XCTAssertEqual(two.resolve("sam@b.test"), "sam@b.test")
    }

    // MARK: - Through the pipeline

    let agent = "alice@desk.test"
    var view: InMemoryThreadLookup {
        InMemoryThreadLookup(tickets: [7: TicketSnapshot(number: 7, status: .open, participants: ["jo@customer.test": .requester],
                                                         subject: "Printer", queue: "support", requester: "jo@customer.test")],
                             agents: [agent, "bob@desk.test"])
    }

    let macros = ["refund": try! Template.parse("Your refund for ticket {{ticket.number}} ({{ticket.subject}}) is on its way.\n-- {{agent.name}}", file: "refund.txt")]

    func plan(_ body: String, to: [String] = ["support@desk.test"], firstReply: Bool = true) -> TicketPlan {
        let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5)
        let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.test")
        let resolver = ThreadResolver(tags: tags, signer: signer)
        let own: Set<String> = ["support@desk.test"]
        let pipeline = IntakePipeline(steps: [
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, agents: directory, assignOnFirstReply: firstReply,
                          plusAddressBases: ["support@desk.test"], macros: macros, newSubject: { $0 }),
            NotificationStep(acknowledge: true, agents: [agent, "bob@desk.test"], ownAddresses: own),
        ])
        let input = PipelineInput(facts: InboundFacts(from: agent, to: to, subject: "Re: [#7] Printer", messageID: "<g1@desk.test>", bodyText: body),
                                  classification: Classification(.human, reasons: []), text: body, replyText: body, now: clock.now())
        return pipeline.plan(input, view: view)
    }

    func testANoteGoesToTheOtherAgentsAndNeverToTheCustomer() {
        for p in [plan("#note\nThe customer is on the VIP list; be gentle."),
                  plan("The customer is on the VIP list; be gentle.", to: ["support+7-note@desk.test"])] {
            XCTAssertTrue(p.internalNote)
            XCTAssertEqual(p.mails.map(\.event), [.note])
            XCTAssertEqual(p.mails.first?.to, ["bob@desk.test"])
            XCTAssertEqual(p.mails.first?.messageText, "The customer is on the VIP list; be gentle.")
            XCTAssertNil(p.state.assignee, "a note does not take the ticket")
        }
    }

    func testTheFirstReplyTakesAnUnassignedTicketUnlessSwitchedOff() {
        let p = plan("Please unplug it.")
        XCTAssertEqual(p.state.assignee, agent)
        XCTAssertEqual(p.events.last, TicketEvent(kind: .assignee, old: nil, new: agent, actor: agent, reason: "first agent reply", at: clock.now()))
        XCTAssertNil(plan("Please unplug it.", firstReply: false).state.assignee)
        XCTAssertEqual(plan("#assign bob@desk.test\nHanding over.").state.assignee, "bob@desk.test", "an explicit assignment wins")
    }

    func testCcAddsAParticipantWhoGetsTheReply() {
        let p = plan("#cc boss@customer.test\nCopying your manager.")
        XCTAssertEqual(p.ccAdded, ["boss@customer.test"])
        XCTAssertTrue(p.participants.contains(.init("boss@customer.test", .cc)))
        XCTAssertEqual(p.mails.first?.event, .reply)
        XCTAssertEqual(p.mails.first?.to, ["jo@customer.test", "boss@customer.test"])
    }

    func testAFailedCommandWithholdsTheReplyAndReportsBoth() {
        let p = plan("#priority high\n#assign mallory@evil.test\nDone, confirm your card number here.")
        XCTAssertEqual(p.state.priority, .high)
        XCTAssertEqual(p.refused, ["#assign: unknown agent mallory@evil.test"])
        XCTAssertEqual(p.mails.map(\.event), [.commandReport])
        XCTAssertEqual(p.mails[0].to, [agent])
        XCTAssertTrue(p.mails[0].messageText?.contains("applied: priority normal → high") == true)
        XCTAssertTrue(p.mails[0].messageText?.contains("failed:  #assign: unknown agent mallory@evil.test") == true)
    }

    func testAMacroInsertsTheCannedAnswerAndAnUnknownOneStopsTheReply() {
        let p = plan("#macro refund\nAnything else?")
        XCTAssertEqual(p.mails.first?.event, .reply)
        XCTAssertEqual(p.mails.first?.messageText, "Your refund for ticket 7 (Printer) is on its way.\n-- Alice Agent\nAnything else?")
        let unknown = plan("#macro refnud\nAnything else?")
        XCTAssertEqual(unknown.refused, ["#macro: unknown macro refnud"])
        XCTAssertEqual(unknown.mails.map(\.event), [.commandReport])
    }
}
