import Foundation
import MIME
import Transport

/// Mail in and out of the test users' mailboxes, as the end-to-end tests exchange it.
extension MailServers {
    /// Sends `text` (a whole message, LF line ends) from test user `user` to `recipient` through Postfix.
    public func send(from user: String, to recipient: String = "support", _ text: String) throws {
        let smtp = CurlSMTPClient(endpoint: smtpEndpoint())
        defer { smtp.close() }
        _ = try smtp.send(from: address(user), to: [address(recipient)], message: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    /// Waits (up to 10 s) until `user` holds at least `count` messages.
    public func waitForMessages(to user: String, count: Int) {
        for _ in 0..<200 where deliveredMessages(to: user).count < count { usleep(50_000) }
    }

    /// What `user` holds, parsed (maildir order, which is not always arrival order).
    public func received(_ user: String) -> [Message] { deliveredMessages(to: user).map { Message.parse($0) } }
}
