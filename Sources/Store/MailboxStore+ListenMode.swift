/// How the daemon learns of new mail per mailbox: `idle` (the server pushes it, RFC 2177) or
/// `polling` (every `poll_interval`: the server has no IDLE, `idle: false`, or the IDLE
/// connection is down), and why, for `postdesk mailboxes`.
extension MailboxStore {
    public struct ListenMode: Sendable, Equatable {
        public var mode: String
        public var detail: String?
        public var since: Int64
    }

    public func setListenMode(_ mailbox: String, mode: String, detail: String?, now: Int64) throws {
        try db.execute("""
            INSERT INTO mailbox_cursors (mailbox, uidvalidity, last_uid, updated_at, listen_mode, listen_detail, listen_since)
            VALUES (?1, 0, 0, ?4, ?2, ?3, ?4)
            ON CONFLICT(mailbox) DO UPDATE SET
                listen_since = CASE WHEN listen_mode IS ?2 THEN listen_since ELSE ?4 END,
                listen_mode = ?2, listen_detail = ?3
            """, [mailbox, mode, detail, now])
    }

    public func listenMode(_ mailbox: String) throws -> ListenMode? {
        try db.row("SELECT listen_mode, listen_detail, listen_since FROM mailbox_cursors WHERE mailbox = ? AND listen_mode IS NOT NULL",
                   [mailbox]).map {
            ListenMode(mode: $0.text("listen_mode"), detail: $0.optionalText("listen_detail"), since: $0.int("listen_since"))
        }
    }
}
