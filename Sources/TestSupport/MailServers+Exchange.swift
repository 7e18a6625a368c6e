import Foundation
import MIME
import Transport

/// Mail in and out of the test users' mailboxes, as the end-to-end tests exchange it. What a user
/// received is read over IMAP, in arrival order (by UID): the Maildir's file order is not arrival
/// order, and a test that took "the first" message from it was flaky.
extension MailServers {
    /// Sends `text` (a whole message, LF line ends) from test user `user` to `recipient` through Postfix.
    public func send(from user: String, to recipient: String = "support", _ text: String) throws {
        let smtp = CurlSMTPClient(endpoint: smtpEndpoint())
        defer { smtp.close() }
        _ = try smtp.send(from: address(user), to: [address(recipient)], message: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    /// A plain UTF-8 text mail as a mail client writes it (CRLF line ends), to the support address
    /// unless `to` names another; `headers` are extra lines, each ending in LF.
    public func mail(from: String, to: String? = nil, subject: String, id: String, headers: String = "", body: String) -> [UInt8] {
        Array("From: \(from)\nTo: \(to ?? address("support"))\nSubject: \(subject)\nMessage-ID: <\(id)>\nDate: Mon, 07 Dec 2026 10:00:00 +0000\n\(headers)MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\(body)\n"
            .replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    /// The exact bytes of every message in `user`'s `folder`, read over IMAP (read-only, so no
    /// flag changes), in arrival order.
    public func rawMessages(of user: String, folder: String = "INBOX") throws -> [[UInt8]] {
        let imap = try connectedIMAP(user: user)
        defer { imap.logout() }
        let box = try imap.examine(folder)
        guard box.exists > 0 else { return [] }
        var byUID: [(uid: UInt32, bytes: [UInt8])] = []
        try imap.fetchMessages(try imap.allUIDs(exists: box.exists)) { byUID.append(($0.uid, $0.bytes)) }
        return byUID.sorted { $0.uid < $1.uid }.map(\.bytes)
    }

    /// Every message in `user`'s `folder`, parsed, in arrival order.
    public func inbox(_ user: String, folder: String = "INBOX") throws -> [Message] {
        try rawMessages(of: user, folder: folder).map { Message.parse($0) }
    }

    /// Waits (up to `seconds`) until `user`'s `folder` holds at least `count` messages; returns
    /// what it holds then, in arrival order (fewer if they did not come).
    @discardableResult
    public func awaitInbox(_ user: String, count: Int, folder: String = "INBOX", seconds: Int = 20) throws -> [Message] {
        try awaitRaw(user, folder: folder, seconds: seconds) { $0.count >= count }.map { Message.parse($0) }
    }

    /// Waits (up to `seconds`) until a message in `user`'s INBOX satisfies `match`; returns the first
    /// (in arrival order) that does, nil if none came.
    public func awaitDelivery(to user: String, seconds: Int = 20, where match: ([UInt8]) -> Bool) throws -> [UInt8]? {
        try awaitRaw(user, folder: "INBOX", seconds: seconds) { $0.contains(where: match) }.first(where: match)
    }

    private func awaitRaw(_ user: String, folder: String, seconds: Int, until done: ([[UInt8]]) -> Bool) throws -> [[UInt8]] {
        for _ in 0 ..< seconds * 10 {
            let messages = try rawMessages(of: user, folder: folder)
            if done(messages) { return messages }
            usleep(100_000)
        }
        return try rawMessages(of: user, folder: folder)
    }
}
