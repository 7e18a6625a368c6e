/// Signs the Message-IDs we send so a reply's In-Reply-To/References proves which ticket it answers:
/// `<pd.1234.<nonce>.<mac>@domain>`, mac = base32(HMAC(key, "mid:1234.<nonce>")) cut to 20 characters.
/// Only the holder of the key can mint one for another ticket number.
public struct MessageIDSigner: Sendable {
    static let macLength = 20
    static let nonceBytes = 10
    static let maxLength = 300

    let key: SigningKey
    public let domain: String

    public init(key: SigningKey, domain: String) {
        self.key = key
        self.domain = domain
    }

    /// A signed Message-ID, angle brackets included, for ticket `number` with the given random bytes.
    public func messageID(ticket number: Int, nonce: [UInt8]) -> String {
        let nonceText = Base32.encode(nonce)
        return "<pd.\(number).\(nonceText).\(mac(number: number, nonce: nonceText))@\(domain)>"
    }

    /// A signed Message-ID with a nonce drawn from `generator`.
    public func messageID<G: RandomNumberGenerator>(ticket number: Int, using generator: inout G) -> String {
        let nonce = (0..<MessageIDSigner.nonceBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return messageID(ticket: number, nonce: nonce)
    }

    /// A signed Message-ID with a nonce from the system's generator.
    public func messageID(ticket number: Int) -> String {
        var system = SystemRandomNumberGenerator()
        return messageID(ticket: number, using: &system)
    }

    /// The ticket number a Message-ID of ours names (a plain one or an agent's reply handle), or
    /// nil when it is not ours or the MAC is wrong.
    /// Brackets optional; the domain is not checked (the MAC is the proof, and the domain may change).
    public func ticketNumber(in messageID: String) -> Int? {
        guard let parts = Self.parts(messageID), let number = Self.number(parts[1]) else { return nil }
        switch parts.count {
        case 4:
            guard Base32.isEncoded(parts[2]), parts[2].count <= 64 else { return nil }
            let expected = mac(number: number, nonce: String(parts[2]).lowercased())
            return ConstantTime.equals(String(parts[3]).lowercased(), expected) ? number : nil
        case 6:
            return agentHandle(parts, number: number) != nil ? number : nil
        default:
            return nil
        }
    }

    // MARK: - Agents' reply handles

    /// The Message-ID of one agent's copy of a notice: `<pd.N.a.<agent-hash>.<nonce>.<mac>@domain>`,
    /// mac over the ticket, the agent's hash (itself an HMAC of the address) and the nonce. A reply
    /// naming it proves it answers that agent's copy of ticket N (see `isHandle`).
    public func agentMessageID(ticket number: Int, agent: String, nonce: [UInt8]) -> String {
        let hash = agentHash(agent)
        let nonceText = Base32.encode(nonce)
        return "<pd.\(number).a.\(hash).\(nonceText).\(agentMAC(number: number, hash: hash, nonce: nonceText))@\(domain)>"
    }

    public func agentMessageID(ticket number: Int, agent: String) -> String {
        var system = SystemRandomNumberGenerator()
        let nonce = (0..<MessageIDSigner.nonceBytes).map { _ in UInt8.random(in: .min ... .max, using: &system) }
        return agentMessageID(ticket: number, agent: agent, nonce: nonce)
    }

    /// True when `messageID` is a valid reply handle for this ticket and this agent.
    public func isHandle(_ messageID: String, ticket number: Int, agent: String) -> Bool {
        guard let parts = Self.parts(messageID), parts.count == 6, Self.number(parts[1]) == number,
              let hash = agentHandle(parts, number: number) else { return false }
        return ConstantTime.equals(hash, agentHash(agent))
    }

    /// Whether the Message-ID is an agent's reply handle (of any ticket or agent): such IDs are
    /// never passed on to customers.
    public func isAgentHandle(_ messageID: String) -> Bool {
        guard let parts = Self.parts(messageID), parts.count == 6, let number = Self.number(parts[1]) else { return false }
        return agentHandle(parts, number: number) != nil
    }

    /// The plus-address local-part detail of one agent's handle for ticket N: `a` + 16 base32
    /// characters of HMAC(key, "arp:N:agent"), used as `support+N-a…@domain` in Reply-To.
    public func agentAddressToken(ticket number: Int, agent: String) -> String {
        "a" + String(Base32.encode(key.mac("arp:\(number):\(Address.normalised(agent))")).prefix(16))
    }

    /// The token of a satisfaction link: 16 base32 characters of HMAC(key, "rate:N:verdict"), used
    /// as `support+rate-N-verdict-<token>@domain`. It proves the link came from us for that very
    /// ticket and verdict: another ticket's or the other verdict's token does not match.
    public func ratingToken(ticket number: Int, verdict: String) -> String {
        String(Base32.encode(key.mac("rate:\(number):\(verdict.lowercased())")).prefix(16))
    }

    /// Whether `token` is the rating token for this ticket and verdict (constant time).
    public func isRatingToken(_ token: String, ticket number: Int, verdict: String) -> Bool {
        ConstantTime.equals(token.lowercased(), ratingToken(ticket: number, verdict: verdict))
    }

    /// The agent's hash when the handle's MAC is right.
    private func agentHandle(_ parts: [Substring], number: Int) -> String? {
        guard parts[2].lowercased() == "a", parts[3].count == 10, Base32.isEncoded(parts[3]),
              Base32.isEncoded(parts[4]), parts[4].count <= 64 else { return nil }
        let hash = String(parts[3]).lowercased()
        let expected = agentMAC(number: number, hash: hash, nonce: String(parts[4]).lowercased())
        return ConstantTime.equals(String(parts[5]).lowercased(), expected) ? hash : nil
    }

    func agentHash(_ agent: String) -> String {
        String(Base32.encode(key.mac("agent:\(Address.normalised(agent))")).prefix(10))
    }

    private func agentMAC(number: Int, hash: String, nonce: String) -> String {
        String(Base32.encode(key.mac("aid:\(number).\(hash).\(nonce)")).prefix(MessageIDSigner.macLength))
    }

    /// The dot-separated parts before the "@", brackets removed; nil when it cannot be ours.
    private static func parts(_ messageID: String) -> [Substring]? {
        guard messageID.utf8.count <= MessageIDSigner.maxLength else { return nil }
        var text = Substring(messageID.trimmingWhitespace())
        if text.hasPrefix("<") { text = text.dropFirst() }
        if text.hasSuffix(">") { text = text.dropLast() }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let parts = text[..<at].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 || parts.count == 6, parts[0].lowercased() == "pd" else { return nil }
        return parts
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= TicketTagFormat.maxDigits, text.unicodeScalars.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(text)
    }

    /// True when `messageID` is a valid signed Message-ID of ours (for any ticket).
    public func isOurs(_ messageID: String) -> Bool { ticketNumber(in: messageID) != nil }

    private func mac(number: Int, nonce: String) -> String {
        String(Base32.encode(key.mac("mid:\(number).\(nonce)")).prefix(MessageIDSigner.macLength))
    }
}
