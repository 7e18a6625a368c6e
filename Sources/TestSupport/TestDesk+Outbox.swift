import Foundation
import Store
import XCTest

/// What the desk queued for one address, read from its store. "Nothing more arrives" is proven
/// here, not by sleeping and looking at a mailbox: `run --once` has sent every row before it
/// returns, so a mail that is not in the outbox can never reach the inbox.
extension TestDesk {
    /// The kinds (`ack`, `reply`, `merged`, …) of the outbox rows addressed to `address`, oldest first.
    public func outboxKinds(to address: String) throws -> [String] {
        try store().query("SELECT kind, recipients FROM outbox ORDER BY id")
            .filter { $0.text("recipients").lowercased().split(separator: "\n").contains(Substring(address.lowercased())) }
            .map { $0.text("kind") }
    }

    /// The `In-Reply-To:` line of `agent` answering the latest notice the desk sent her: its reply
    /// handle (the notice's Message-ID) proves the mail is hers.
    public func replyHandle(agent: String) throws -> String {
        let row = try store().row("SELECT message_id FROM messages WHERE direction = 'out' AND decision LIKE ? ORDER BY id DESC LIMIT 1",
                                  ["% to \(agent)"])
        return "In-Reply-To: <\(try XCTUnwrap(row?.text("message_id"), "no notice to \(agent)"))>\n"
    }

    /// `run --once` in this process: polls, takes in and sends everything due; the test fails
    /// unless it exits 0.
    public func runOnce(file: StaticString = #filePath, line: UInt = #line) {
        let r = cli(["run", "--once"])
        XCTAssertEqual(r.code, 0, r.err, file: file, line: line)
    }
}
