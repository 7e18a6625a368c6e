import XCTest
import TestSupport
@testable import Ticketing

final class LifecycleTests: XCTestCase {
    let clock = FakeClock()
    let lifecycle = Lifecycle.standard
    let day: TimeInterval = 86_400

    func testTransitionTableAllowsOnlyListedMoves() {
        XCTAssertTrue(lifecycle.allows(from: .new, to: .open))
        XCTAssertTrue(lifecycle.allows(from: .resolved, to: .open))
        XCTAssertFalse(lifecycle.allows(from: .closed, to: .open))
        XCTAssertFalse(lifecycle.allows(from: .resolved, to: .pending))
        XCTAssertTrue(lifecycle.allows(from: .closed, to: .closed))
    }

    struct Row {
        var name: String
        var state: TicketState
        var messageClass: MessageClass = .human
        var actor: ActorKind = .customer
        var status: TicketStatus
        var startsNew = false
    }

    func testCustomerAndAutomaticMessagesMoveStatusPerTheTable() {
        let now = clock.now()
        let rows = [
            Row(name: "customer reply to pending reopens", state: TicketState(status: .pending), status: .open),
            Row(name: "customer reply to resolved within window reopens",
                state: TicketState(status: .resolved, resolvedAt: now - 13 * day), status: .open),
            Row(name: "customer reply to resolved after window starts over",
                state: TicketState(status: .resolved, resolvedAt: now - 15 * day), status: .resolved, startsNew: true),
            Row(name: "customer reply to closed starts over", state: TicketState(status: .closed), status: .closed, startsNew: true),
            Row(name: "customer reply to open stays open", state: TicketState(status: .open), status: .open),
            Row(name: "customer reply to new stays new", state: TicketState(status: .new), status: .new),
            Row(name: "out-of-office never reopens", state: TicketState(status: .pending), messageClass: .autoReply, status: .pending),
            Row(name: "out-of-office never closes or touches resolved",
                state: TicketState(status: .resolved, resolvedAt: now - day), messageClass: .autoReply, status: .resolved),
            Row(name: "bounce never changes status", state: TicketState(status: .pending), messageClass: .bounce, status: .pending),
            Row(name: "agent reply opens a new ticket", state: TicketState(status: .new), actor: .agent, status: .open),
            Row(name: "agent reply leaves pending alone", state: TicketState(status: .pending), actor: .agent, status: .pending),
        ]
        for row in rows {
            let reaction = lifecycle.react(row.state, messageClass: row.messageClass, actor: row.actor,
                                           actorAddress: "x@example.com", at: now)
            XCTAssertEqual(reaction.state.status, row.status, row.name)
            XCTAssertEqual(reaction.startsNewTicket, row.startsNew, row.name)
            XCTAssertEqual(reaction.changed, row.status != row.state.status, row.name)
        }
    }

    func testReopeningIsRecordedAsAnEvent() {
        let reaction = lifecycle.react(TicketState(status: .pending), messageClass: .human, actor: .customer,
                                       actorAddress: "Jo@Customer.example", at: clock.now())
        XCTAssertEqual(reaction.events, [TicketEvent(kind: .status, old: "pending", new: "open", actor: "jo@customer.example",
                                                     reason: "customer replied", at: clock.now())])
    }

    func testReopenWindowIsConfigurable() {
        let state = TicketState(status: .resolved, resolvedAt: clock.now() - 3 * day)
        let short = lifecycle.react(state, messageClass: .human, actor: .customer, actorAddress: "a@b",
                                    reopenWindow: 2 * day, at: clock.now())
        XCTAssertTrue(short.startsNewTicket)
    }

    func testAgentCommandsApplyInOrderWithEvents() {
        let commands: [AgentCommand] = [.status(.pending), .priority(.urgent), .assign("agent2@desk.example.com")]
        let reaction = lifecycle.react(TicketState(status: .open), messageClass: .human, actor: .agent,
                                       actorAddress: "agent1@desk.example.com", commands: commands, at: clock.now())
        XCTAssertEqual(reaction.state, TicketState(status: .pending, priority: .urgent, assignee: "agent2@desk.example.com"))
        XCTAssertEqual(reaction.events.map(\.kind), [.status, .priority, .assignee])
        XCTAssertEqual(reaction.events.map(\.new), ["pending", "urgent", "agent2@desk.example.com"])
        XCTAssertEqual(reaction.refused, [])
    }

    func testResolvingRecordsWhenAndDisallowedCommandsAreRefused() {
        clock.advance(by: 60)
        let resolved = lifecycle.react(TicketState(status: .open), messageClass: .human, actor: .agent,
                                       actorAddress: "a@desk", commands: [.status(.resolved)], at: clock.now())
        XCTAssertEqual(resolved.state.resolvedAt, clock.now())
        let refused = lifecycle.react(TicketState(status: .resolved), messageClass: .human, actor: .agent,
                                      actorAddress: "a@desk", commands: [.status(.pending)], at: clock.now())
        XCTAssertEqual(refused.state.status, .resolved)
        XCTAssertEqual(refused.refused, ["status resolved → pending not allowed"])
    }

    func testAutomaticMailIgnoresCommands() {
        let reaction = lifecycle.react(TicketState(status: .open), messageClass: .autoReply, actor: .agent,
                                       actorAddress: "a@desk", commands: [.status(.closed)], at: clock.now())
        XCTAssertEqual(reaction.state.status, .open)
        XCTAssertFalse(reaction.changed)
    }

    func testOpeningATicketRecordsCreationAndAgentCommands() {
        let customer = lifecycle.opening(actor: .customer, actorAddress: "jo@x", commands: [.priority(.high)], at: clock.now())
        XCTAssertEqual(customer.state, TicketState(status: .new))
        XCTAssertEqual(customer.events.count, 1, "customers cannot set priority")
        let agent = lifecycle.opening(actor: .agent, actorAddress: "a@desk", commands: [.priority(.high)], at: clock.now())
        XCTAssertEqual(agent.state.priority, .high)
    }
}
