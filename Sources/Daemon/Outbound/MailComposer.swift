import Foundation
import Ticketing

/// Writes the plain-text mails postdesk sends: RFC 5322 with CRLF, RFC 2047 encoded words for
/// non-ASCII headers, quoted-printable UTF-8 bodies, and our loop marker on everything.
struct MailComposer {
    struct Draft {
        var from: String
        var to: [String]
        var replyTo: String?
        var subject: String
        var messageID: String
        var inReplyTo: String?
        var references: [String]
        var body: String
        /// An HTML alternative saying the same words.
        var html: String? = nil
        var automatic: Bool
    }

    let loopMarker: LoopMarker

    func compose(_ d: Draft, date: Date) -> [UInt8] {
        var lines: [String] = []
        lines.append("From: \(Self.encodeAddress(d.from))")
        lines.append("To: \(d.to.map(Self.encodeAddress).joined(separator: ", "))")
        if let r = d.replyTo { lines.append("Reply-To: \(Self.encodeAddress(r))") }
        lines.append("Subject: \(Self.encodeWords(d.subject))")
        lines.append("Date: \(Self.rfc5322Date(date))")
        lines.append("Message-ID: \(d.messageID)")
        if let irt = d.inReplyTo { lines.append("In-Reply-To: \(irt)") }
        if !d.references.isEmpty { lines.append("References: \(d.references.suffix(20).joined(separator: " "))") }
        let headers = d.automatic ? loopMarker.automaticHeaders : [loopMarker.header]
        for h in headers { lines.append("\(h.name): \(h.value)") }
        lines.append("MIME-Version: 1.0")
        guard let html = d.html else {
            lines.append("Content-Type: text/plain; charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + Self.quotedPrintable(d.body)).utf8)
        }
        // Unique per mail (from the Message-ID), and never in QP output, where "=" is followed by hex or a line end.
        let boundary = "=_alt_" + SHA256.hex(Array(d.messageID.utf8)).prefix(24)
        lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        var out = lines.joined(separator: "\r\n") + "\r\n\r\n"
        for (type, text) in [("plain", d.body), ("html", html)] {
            out += "--\(boundary)\r\nContent-Type: text/\(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            out += Self.quotedPrintable(text)
        }
        out += "--\(boundary)--\r\n"
        return Array(out.utf8)
    }

    static func needsEncoding(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value > 0x7E || $0.value < 0x20 } }

    /// RFC 2047 B-encoding in chunks that never split a character, each word ≤ 75 chars.
    static func encodeWords(_ s: String) -> String {
        guard needsEncoding(s) else { return s }
        var chunks: [[UInt8]] = []
        var chunk: [UInt8] = []
        for ch in s {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 45 { chunks.append(chunk); chunk = [] }
            chunk += bytes
        }
        if !chunk.isEmpty { chunks.append(chunk) }
        return chunks.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// `Name <addr>` with the display name quoted or encoded as needed.
    static func encodeAddress(_ s: String) -> String {
        guard let lt = s.lastIndex(of: "<"), s.hasSuffix(">") else { return s }
        let name = s[..<lt].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let addr = s[lt...]
        if name.isEmpty { return String(addr) }
        if needsEncoding(name) { return "\(encodeWords(name)) \(addr)" }
        let special = name.contains { "()<>[]:;@\\,.\"".contains($0) }
        return special ? "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\" \(addr)" : "\(name) \(addr)"
    }

    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var col = 0
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                let last = i == bytes.count - 1
                var piece: [UInt8]
                if (b >= 33 && b <= 126 && b != 61) || (b == 32 && !last) {
                    piece = [b]
                } else {
                    piece = [61, hex[Int(b >> 4)], hex[Int(b & 15)]]
                }
                if col + piece.count > 75 { out += [61, 13, 10]; col = 0 }
                out += piece
                col += piece.count
            }
            out += [13, 10]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func rfc5322Date(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[Int(tm.tm_wday)], Int(tm.tm_mday),
                      months[Int(tm.tm_mon)], Int(tm.tm_year) + 1900, Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }
}
