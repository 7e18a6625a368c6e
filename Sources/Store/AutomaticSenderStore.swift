import Foundation
import Ticketing

/// The loop defence's memory of addresses that sent automatic mail (`automatic_senders`),
/// written in the message's transaction and read before automatic mail is queued.
public struct AutomaticSenderStore {
    public let db: Database

    public init(db: Database) { self.db = db }

    /// Records what message `row` from `address` says about it (see `AutomaticSender.effect`).
    public func note(_ address: String, effect: AutomaticSender.Effect, messageRow row: Int64?, now: Int64) throws {
        let address = address.lowercased()
        guard !address.isEmpty else { return }
        switch effect {
        case .automatic(let reason):
            try db.execute("""
                INSERT INTO automatic_senders (address, first_at, last_at, messages, reason, message_row)
                VALUES (?, ?, ?, 1, ?, ?)
                ON CONFLICT (address) DO UPDATE SET last_at = excluded.last_at, messages = messages + 1,
                    reason = excluded.reason, message_row = excluded.message_row
                """, [address, now, now, String(reason.prefix(500)), row])
        case .human:
            // Only an address already recorded: a person's mail never makes a row.
            try db.execute("UPDATE automatic_senders SET human_at = ? WHERE address = ?", [now, address])
        case .none:
            return
        }
    }

    public func sender(_ address: String) throws -> AutomaticSender? {
        try db.row("SELECT * FROM automatic_senders WHERE address = ?", [address.lowercased()]).map(Self.sender)
    }

    /// Every recorded address, the latest automatic message first.
    public func all() throws -> [AutomaticSender] {
        try db.query("SELECT * FROM automatic_senders ORDER BY last_at DESC, address").map(Self.sender)
    }

    /// Drops the record of `address` (an operator says it is a person); false when there was none.
    @discardableResult
    public func forget(_ address: String) throws -> Bool {
        try db.execute("DELETE FROM automatic_senders WHERE address = ?", [address.lowercased()])
        return db.changes > 0
    }

    static func sender(_ row: Row) -> AutomaticSender {
        func date(_ key: String) -> Date { Date(timeIntervalSince1970: TimeInterval(row.int(key))) }
        return AutomaticSender(address: row.text("address"), firstAt: date("first_at"), lastAt: date("last_at"),
                               messages: Int(row.int("messages")), reason: row.text("reason"),
                               messageRow: row.optionalInt("message_row"),
                               humanAt: row.optionalInt("human_at").map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}
