/// RFC 4648 base32 in lowercase without padding: short tokens that survive case-folding mail clients.
public enum Base32 {
    public static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when every character is in the (case-folded) alphabet.
    public static func isEncoded(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { c in
            let lower = (c >= 65 && c <= 90) ? c + 32 : c
            return alphabet.contains(lower)
        }
    }
}
