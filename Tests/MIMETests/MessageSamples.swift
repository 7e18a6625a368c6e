import MIME

/// Builds test messages from readable literals.
enum Sample {
    /// Parses `text` with its line ends turned into CRLF (or left as LF).
    static func message(_ text: String, crlf: Bool = true, limits: ParserLimits = .default) -> Message {
        Message.parse(bytes(text, crlf: crlf), limits: limits)
    }

    static func bytes(_ text: String, crlf: Bool = true) -> [UInt8] {
        let lf = Array(text.utf8)
        guard crlf else { return lf }
        var out: [UInt8] = []
        out.reserveCapacity(lf.count + lf.count / 20)
        for b in lf {
            if b == 0x0A { out.append(0x0D) }
            out.append(b)
        }
        return out
    }

    /// A message whose Subject is these raw header bytes.
    static func subject(_ raw: [UInt8]) -> Message {
        Message.parse(Array("From: a@example.com\r\nSubject: ".utf8) + raw + Array("\r\n\r\nbody\r\n".utf8))
    }

    static func kinds(_ m: Message) -> [Defect.Kind] { m.defects.map(\.kind) }
}
