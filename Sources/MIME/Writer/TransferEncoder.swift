/// Content-Transfer-Encodings for what the writer sends: base64 for files, quoted-printable (or
/// 7bit/8bit when the text allows) for text. Output lines end in CRLF and stay within 76 columns
/// (7bit and 8bit text: within 998 octets, else quoted-printable is chosen).
enum TransferEncoder {
    enum Encoding: String {
        case sevenBit = "7bit", eightBit = "8bit", quotedPrintable = "quoted-printable", base64
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let hex = Array("0123456789ABCDEF".utf8)

    /// Base64 without line breaks (for encoded words).
    static func base64Line(_ bytes: [UInt8]) -> String {
        String(decoding: base64(bytes, lineLength: Int.max), as: UTF8.self)
    }

    /// Base64 in lines of `lineLength` characters joined by CRLF (no CRLF after the last).
    static func base64(_ bytes: [UInt8], lineLength: Int = 76) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4 / 3 + bytes.count / 38 + 8)
        var column = 0
        var i = 0
        while i < bytes.count {
            if column >= lineLength { out += [13, 10]; column = 0 }
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 15) << 2 | b2 >> 6)] : 0x3D)
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 63)] : 0x3D)
            column += 4
            i += 3
        }
        return out
    }

    /// Splits text bytes at CRLF, lone LF or lone CR (all line ends in a text part are CRLF on
    /// the wire).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                result.append(bytes[start..<i])
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        result.append(bytes[start..<bytes.count])
        return result
    }

    /// Quoted-printable of text: CRLF line ends kept as hard breaks, soft breaks at 76 columns,
    /// trailing blanks and a leading "From " or "." encoded (mbox and SMTP are unkind to them).
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        let all = lines(bytes)
        for (n, line) in all.enumerated() {
            var column = 0
            let startsBad = line.starts(with: Array("From ".utf8)) || line.first == 0x2E
            for i in line.indices {
                let b = line[i]
                let last = i == line.endIndex - 1
                let literal = ((b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && !last))
                    && !(i == line.startIndex && startsBad)
                let width = literal ? 1 : 3
                // Room for this piece plus a soft-break "=" unless it is the line's last piece.
                if column + width > (last ? 76 : 75) {
                    out += [0x3D, 13, 10]
                    column = 0
                }
                if literal { out.append(b) } else { out += [0x3D, hex[Int(b >> 4)], hex[Int(b & 15)]] }
                column += width
            }
            if n < all.count - 1 { out += [13, 10] }
        }
        return out
    }

    /// Text with every line end made CRLF.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        let all = lines(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + all.count)
        for (n, line) in all.enumerated() {
            out += line
            if n < all.count - 1 { out += [13, 10] }
        }
        return out
    }

    /// The encoding for a text part: 7bit when it is short-lined ASCII, 8bit when allowed and the
    /// lines fit, else quoted-printable, or base64 when most bytes would need escaping (CJK text).
    static func choose(forText bytes: [UInt8], allow8bit: Bool) -> Encoding {
        var escapes = 0
        var high = false
        var column = 0
        var longLine = false
        var control = false
        var lineStart = true
        for (i, b) in bytes.enumerated() {
            if b == 0x0A || b == 0x0D { column = 0; lineStart = true; continue }
            column += 1
            if column > 998 { longLine = true }
            if b >= 0x80 { high = true; escapes += 1 }
            else if b < 0x20 && b != 0x09 || b == 0x7F || b == 0x3D { escapes += 1; if b != 0x3D { control = true } }
            // A line that could be taken for a boundary of ours stays out of plain encodings.
            if lineStart, b == 0x2D, i + 3 < bytes.count, bytes[i + 1] == 0x2D, bytes[i + 2] == 0x3D, bytes[i + 3] == 0x5F { control = true }
            lineStart = false
        }
        if !high && !longLine && !control { return .sevenBit }
        if high && allow8bit && !longLine && !control { return .eightBit }
        return escapes * 3 > bytes.count ? .base64 : .quotedPrintable
    }
}
