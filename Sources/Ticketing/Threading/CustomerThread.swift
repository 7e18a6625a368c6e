/// What a customer has of a ticket in her mailbox: her own messages (and other customers'
/// on the ticket, which reach her on Cc) and the mails we sent to customers. Mails to her
/// thread on these only: never on an agent's client Message-ID or on agents' notices, which she
/// never received, so her client shows one conversation.
public enum CustomerThread {
    public struct Entry: Sendable, Equatable {
        public var inbound: Bool
        /// Without angle brackets, as stored.
        public var messageID: String?
        public var from: String?
        /// For our own mails: the outbox kind (the notification event).
        public var kind: String?
        /// For our own mails: whom we sent it to.
        public var recipients: [String]
        public init(inbound: Bool, messageID: String?, from: String?, kind: String?, recipients: [String] = []) {
            self.inbound = inbound
            self.messageID = messageID
            self.from = from
            self.kind = kind
            self.recipients = recipients
        }
    }

    /// `<id>`s in order, oldest first. With `customer`, only what that one address has: her own
    /// messages and the customer mails sent to her. A merge puts two customers' conversations on
    /// one ticket, and the mail telling one of them must not name the other's messages.
    public static func messageIDs(_ history: [Entry], agents: Set<String>, customer: String? = nil) -> [String] {
        let her = customer.map(Address.normalised)
        var out: [String] = []
        var seen: Set<String> = []
        for e in history {
            guard let id = e.messageID, !id.isEmpty else { continue }
            let visible: Bool
            if e.inbound {
                let from = Address.normalised(e.from ?? "")
                visible = her.map { from == $0 } ?? !agents.contains(from)
            } else if let her, !e.recipients.contains(where: { Address.normalised($0) == her }) {
                visible = false
            } else {
                // Kinds before templates: "ack", "status", "reply" went to customers too.
                visible = e.kind.map { NotificationEvent(rawValue: $0)?.isForCustomer ?? ["status"].contains($0) } ?? false
            }
            if visible && seen.insert(id).inserted { out.append("<\(id)>") }
        }
        return out
    }

    /// In-Reply-To and References for the next mail to the customer: the last thing she has,
    /// and the chain with her first message kept when it is cut to `limit`.
    public static func threading(_ ids: [String], limit: Int = 20) -> (inReplyTo: String?, references: [String]) {
        guard let last = ids.last else { return (nil, []) }
        let refs = ids.count <= limit ? ids : [ids[0]] + ids.suffix(limit - 1)
        return (last, refs)
    }
}
