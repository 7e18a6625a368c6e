/// One header field as it appeared, in order.
public struct Header: Sendable, Equatable {
    /// The field name as written ("Subject", "X-Mailer").
    public var name: String
    /// The bytes after the colon, folding included, exactly as received.
    public var rawValue: [UInt8]
    /// Unfolded and RFC 2047-decoded text.
    public var value: String

    public init(name: String, rawValue: [UInt8], value: String) {
        self.name = name
        self.rawValue = rawValue
        self.value = value
    }
}
