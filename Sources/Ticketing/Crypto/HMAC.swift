/// HMAC-SHA256 (RFC 2104), the only MAC postdesk uses: Message-ID signatures and subject-tag tokens.
public struct HMAC: Sendable {
    private var inner: SHA256
    private var outerKey: [UInt8]

    public init(key: [UInt8]) {
        var block = key.count > SHA256.blockLength ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockLength - block.count)
        inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        outerKey = block.map { $0 ^ 0x5c }
    }

    /// The 32-byte tag of `message` under `key`.
    public static func sha256(key: [UInt8], message: some Sequence<UInt8>) -> [UInt8] {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) { inner.update(bytes) }

    public mutating func finalize() -> [UInt8] {
        var outer = SHA256()
        outer.update(outerKey)
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
