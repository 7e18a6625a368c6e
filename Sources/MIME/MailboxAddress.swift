/// One mailbox from an address header: `"Jane Doe" <Jane@Example.com>`.
public struct MailboxAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The display name, decoded (RFC 2047, quotes removed), or nil when there is none.
    public var name: String?
    /// The address as written (local part case kept).
    public var address: String
    /// The address lowercased, for comparing and looking up.
    public var normalized: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
        self.normalized = address.lowercased()
    }

    public var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}

extension MailboxAddress {
    /// The first mailbox in `text` ("Jane Doe <jane@example.com>", "jane@example.com"), or nil.
    public static func parse(_ text: String) -> MailboxAddress? {
        AddressList.parse(text).addresses.first
    }
}
