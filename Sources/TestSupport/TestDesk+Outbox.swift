import Foundation
import Store

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
}
