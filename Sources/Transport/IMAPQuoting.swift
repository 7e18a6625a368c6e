/// Puts caller-supplied names into IMAP commands without letting them change the command.
enum IMAPQuoting {
    /// A mailbox name as an IMAP quoted string, non-ASCII in modified UTF-7 (RFC 3501 §5.1.3).
    /// CR, LF and NUL cannot be quoted and would end the command: they are refused.
    static func mailbox(_ name: String, host: String) throws -> String {
        guard !name.isEmpty, name.utf8.count <= 1000,
              !name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw TransportError(kind: .config, host: host, message: "invalid mailbox name (empty, too long, or holds CR, LF or NUL)",
                                 disposition: .permanent)
        }
        var out = "\""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out += "&" + modifiedBase64(pending) + "-"
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20, scalar.value <= 0x7E {
                flush()
                switch scalar {
                case "&": out += "&-"
                case "\"", "\\": out += "\\" + String(scalar)
                default: out.unicodeScalars.append(scalar)
                }
            } else {
                pending.append(contentsOf: String(scalar).utf16)
            }
        }
        flush()
        return out + "\""
    }

    /// IMAP's base64 variant: `,` for `/`, no padding, over big-endian UTF-16.
    static func modifiedBase64(_ units: [UInt16]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")
        let bytes = units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i ..< min(i + 3, bytes.count)])
            let n = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8) | UInt32(chunk.count > 2 ? chunk[2] : 0)
            let symbols = chunk.count + 1
            for k in 0 ..< symbols { out.append(alphabet[Int((n >> (18 - 6 * UInt32(k))) & 0x3F)]) }
            i += 3
        }
        return out
    }

    /// A flag as an atom (`\Seen`, `$Label`); anything that could break the list is refused.
    static func flag(_ flag: String, host: String) throws -> String {
        // Scalars, not Characters: "\r\n" is one Character and would slip past a Character check.
        let forbidden = Set("(){ %*\"]\\".unicodeScalars)
        let body = flag.hasPrefix("\\") ? String(flag.dropFirst()) : flag
        guard !body.isEmpty, body.unicodeScalars.count <= 100,
              body.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !forbidden.contains($0) }) else {
            throw TransportError(kind: .config, host: host, message: "invalid IMAP flag", disposition: .permanent)
        }
        return flag
    }
}
