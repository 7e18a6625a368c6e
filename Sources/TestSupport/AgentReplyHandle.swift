import Ticketing

/// The `In-Reply-To:` line of an agent answering her own notice of a ticket: the reply handle
/// the desk with this key would have sent her, which proves the mail is hers.
public enum AgentReplyHandle {
    public static func header(keyHex: String, ticket: Int, agent: String) -> String {
        let signer = MessageIDSigner(key: SigningKey(hex: keyHex)!, domain: "example.test")
        return "In-Reply-To: \(signer.agentMessageID(ticket: ticket, agent: agent))\n"
    }

    /// The ticket number of the first `[#N` tag in a subject.
    public static func ticket(inSubject subject: String) -> Int? {
        guard let hash = subject.range(of: "[#") else { return nil }
        return Int(subject[hash.upperBound...].prefix { $0.isNumber })
    }
}
