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
        public init(inbound: Bool, messageID: String?, from: String?, kind: String?) {
            self.inbound = inbound
            self.messageID = messageID
            self.from = from
            self.kind = kind
        }
    }

    /// `<id>`s in order, oldest first.
    public static func messageIDs(_ history: [Entry], agents: Set<String>) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for e in history {
            guard let id = e.messageID, !id.isEmpty else { continue }
            let visible: Bool
            if e.inbound {
                visible = !agents.contains(Address.normalised(e.from ?? ""))
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
