/// The instance secret that signs our Message-IDs and subject-tag tokens.
/// Generated into the state directory on first run (or given in config); never logged.
public struct SigningKey: Sendable, Equatable, CustomStringConvertible {
    public static let minimumLength = 16
    public let bytes: [UInt8]

    /// Nil when the key is too short to be a secret.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= SigningKey.minimumLength else { return nil }
        self.bytes = bytes
    }

    /// Reads the hex form kept in the key file (surrounding whitespace ignored).
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex.trimmingWhitespace()) else { return nil }
        self.init(bytes: bytes)
    }

    /// A fresh 32-byte key from the system's cryptographic generator (or the one given, in tests).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> SigningKey {
        var bytes: [UInt8] = []
        for _ in 0..<4 { withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) } }
        return SigningKey(bytes: bytes) ?? SigningKey(unchecked: bytes)
    }

    public static func generate() -> SigningKey {
        var system = SystemRandomNumberGenerator()
        return generate(using: &system)
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// The form written to the key file.
    public var hex: String { Hex.encode(bytes) }

    /// Keeps the secret out of logs and test failure messages.
    public var description: String { "SigningKey(\(bytes.count) bytes)" }

    /// HMAC of a purpose-prefixed text, so tag tokens and Message-ID MACs can never stand in for each other.
    func mac(_ text: String) -> [UInt8] { HMAC.sha256(key: bytes, message: Array(text.utf8)) }
}
