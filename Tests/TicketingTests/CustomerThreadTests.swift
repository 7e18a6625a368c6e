import Ticketing
import XCTest

/// What a mail to a customer may name in In-Reply-To/References.
final class CustomerThreadTests: XCTestCase {
    let history: [CustomerThread.Entry] = [
        .init(inbound: true, messageID: "a1@c", from: "Ann@Customer.test", kind: nil),
        .init(inbound: false, messageID: "ack-a@s", from: nil, kind: "ack", recipients: ["ann@customer.test"]),
        .init(inbound: true, messageID: "g1@agent", from: "agent@desk.test", kind: nil),
        .init(inbound: false, messageID: "note@s", from: nil, kind: "follow-up", recipients: ["agent@desk.test"]),
        .init(inbound: true, messageID: "b1@c", from: "bob@customer.test", kind: nil),
        .init(inbound: false, messageID: "ack-b@s", from: nil, kind: "ack", recipients: ["bob@customer.test"]),
        .init(inbound: false, messageID: "reply@s", from: nil, kind: "reply", recipients: ["bob@customer.test", "ann@customer.test"]),
    ]
    let agents: Set<String> = ["agent@desk.test"]

    func testEveryCustomersPartWithoutAnAddressButNeverTheAgents() {
        XCTAssertEqual(CustomerThread.messageIDs(history, agents: agents),
                       ["<a1@c>", "<ack-a@s>", "<b1@c>", "<ack-b@s>", "<reply@s>"])
    }

    func testForOneCustomerOnlyHerMessagesAndTheMailsSentToHer() {
        XCTAssertEqual(CustomerThread.messageIDs(history, agents: agents, customer: "ANN@customer.test"),
                       ["<a1@c>", "<ack-a@s>", "<reply@s>"], "Bob's message and his acknowledgement are not in her mailbox")
        XCTAssertEqual(CustomerThread.messageIDs(history, agents: agents, customer: "bob@customer.test"),
                       ["<b1@c>", "<ack-b@s>", "<reply@s>"])
    }
}
