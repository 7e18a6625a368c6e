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

    /// The ticket number a Message-ID of ours names, or nil when it is not ours or the MAC is wrong.
    /// Brackets optional; the domain is not checked (the MAC is the proof, and the domain may change).
    public func ticketNumber(in messageID: String) -> Int? {
        guard messageID.utf8.count <= MessageIDSigner.maxLength else { return nil }
        var text = Substring(messageID.trimmingWhitespace())
        if text.hasPrefix("<") { text = text.dropFirst() }
        if text.hasSuffix(">") { text = text.dropLast() }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let parts = text[..<at].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].lowercased() == "pd",
              !parts[1].isEmpty, parts[1].count <= TicketTagFormat.maxDigits,
              parts[1].unicodeScalars.allSatisfy(\.isASCIIDigit), let number = Int(parts[1]),
              Base32.isEncoded(parts[2]), parts[2].count <= 64 else { return nil }
        let expected = mac(number: number, nonce: String(parts[2]).lowercased())
        return ConstantTime.equals(String(parts[3]).lowercased(), expected) ? number : nil
    }

    /// True when `messageID` is a valid signed Message-ID of ours (for any ticket).
    public func isOurs(_ messageID: String) -> Bool { ticketNumber(in: messageID) != nil }

    private func mac(number: Int, nonce: String) -> String {
        String(Base32.encode(key.mac("mid:\(number).\(nonce)")).prefix(MessageIDSigner.macLength))
    }
}
