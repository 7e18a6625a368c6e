import Foundation

/// Writes an `OutgoingMessage` as RFC 5322/MIME bytes, CRLF line ends, every line within 998
/// octets: text/plain alone; multipart/alternative with an HTML part; multipart/related for
/// inline images the HTML shows; multipart/mixed for files. The generator beside our parser
/// (as CPython's `email` and MimeKit pair them): whatever it writes, `Message.parse` reads back
/// to the same fields, text and file bytes.
public struct MessageWriter: Sendable {
    /// Send 8-bit text as is (the SMTP server announces 8BITMIME); otherwise quoted-printable or base64.
    public var allow8bit: Bool

    public init(allow8bit: Bool = false) {
        self.allow8bit = allow8bit
    }

    public func write(_ message: OutgoingMessage) -> [UInt8] {
        var out: [UInt8] = []
        func header(_ name: String, _ atoms: [String]) { Part.header(name, atoms, into: &out) }
        header("Date", [HeaderEncoder.date(message.date)])
        header("From", HeaderEncoder.mailbox(message.from))
        if !message.to.isEmpty { header("To", HeaderEncoder.addressList(message.to)) }
        if !message.cc.isEmpty { header("Cc", HeaderEncoder.addressList(message.cc)) }
        if !message.replyTo.isEmpty { header("Reply-To", HeaderEncoder.addressList(message.replyTo)) }
        header("Subject", HeaderEncoder.unstructured(message.subject))
        if HeaderEncoder.isWritableID(message.messageID) { header("Message-ID", ["<\(message.messageID)>"]) }
        let replyTo = message.inReplyTo.filter(HeaderEncoder.isWritableID)
        if !replyTo.isEmpty { header("In-Reply-To", replyTo.map { "<\($0)>" }) }
        // The oldest and the newest references are the useful ones (RFC 5322 3.6.4 trims the middle).
        var references = message.references.filter(HeaderEncoder.isWritableID)
        if references.count > 20 { references = [references[0]] + references.suffix(19) }
        if !references.isEmpty { header("References", references.map { "<\($0)>" }) }
        for extra in message.extraHeaders where Self.isFieldName(extra.name) {
            header(extra.name, HeaderEncoder.unstructured(extra.value))
        }
        header("MIME-Version", ["1.0"])
        var counter = 0
        let body = bodyPart(message, counter: &counter)
        body.write(into: &out, inMultipart: false)
        return out
    }

    /// RFC 5322 field names: printable ASCII except ":".
    static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 76 && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3A }
    }

    // MARK: - Building the tree

    func bodyPart(_ m: OutgoingMessage, counter: inout Int) -> Part {
        let related = m.html == nil ? [] : m.attachments.filter { $0.isInline && $0.contentID != nil }
        let files = m.attachments.filter { a in !related.contains(a) }
        var text = textPart(m.text, subtype: "plain", charset: m.charset)
        if let html = m.html {
            var htmlPart = textPart(html, subtype: "html", charset: m.charset)
            if !related.isEmpty {
                htmlPart = .multipart("related", [htmlPart] + related.map(filePart), boundary: boundary(&counter),
                                      parameters: [("type", "text/html")])
            }
            text = .multipart("alternative", [text, htmlPart], boundary: boundary(&counter))
        }
        if files.isEmpty { return text }
        return .multipart("mixed", [text] + files.map(filePart), boundary: boundary(&counter))
    }

    /// "=_" cannot occur in base64 or quoted-printable output, and 7bit/8bit text with a line
    /// starting "--=_" is sent quoted-printable: no content can contain a delimiter.
    func boundary(_ counter: inout Int) -> String {
        counter += 1
        return "=_pd_part_\(counter)"
    }

    func textPart(_ text: String, subtype: String, charset: String) -> Part {
        var label = charset.lowercased()
        var bytes: [UInt8]
        if let encoded = Charset.encode(text, to: label) { bytes = encoded } else { bytes = Array(text.utf8); label = "utf-8" }
        let encoding = TransferEncoder.choose(forText: bytes, allow8bit: allow8bit)
        let body: [UInt8]
        switch encoding {
        case .sevenBit, .eightBit: body = TransferEncoder.crlf(bytes)
        case .quotedPrintable: body = TransferEncoder.quotedPrintable(bytes)
        case .base64: body = TransferEncoder.base64(TransferEncoder.crlf(bytes))
        }
        let headers: [(String, [String])] = [
            ("Content-Type", HeaderEncoder.valueWithParameters("text/\(subtype)", [("charset", label)])),
            ("Content-Transfer-Encoding", [encoding.rawValue]),
        ]
        return .leaf(headers, body)
    }

    func filePart(_ a: OutgoingAttachment) -> Part {
        let type = Self.isMediaType(a.contentType) ? a.contentType.lowercased() : "application/octet-stream"
        var typeParameters: [(String, String)] = []
        var dispositionParameters: [(String, String)] = []
        if let name = a.filename {
            // Both: RFC 2183 readers look at the disposition, old ones at the type's name.
            typeParameters.append(("name", name))
            dispositionParameters.append(("filename", name))
        }
        var headers: [(String, [String])] = [("Content-Type", HeaderEncoder.valueWithParameters(type, typeParameters))]
        // RFC 2046 5.2.1: message/rfc822 is never base64 when it can go as 7bit; parsers cope either way.
        let encoding: TransferEncoder.Encoding
        if type == "message/rfc822" || type == "message/global",
           TransferEncoder.choose(forText: a.data, allow8bit: false) == .sevenBit, TransferEncoder.crlf(a.data) == a.data {
            encoding = .sevenBit
        } else {
            encoding = .base64
        }
        headers.append(("Content-Transfer-Encoding", [encoding.rawValue]))
        headers.append(("Content-Disposition", HeaderEncoder.valueWithParameters(a.isInline ? "inline" : "attachment", dispositionParameters)))
        if let cid = a.contentID, HeaderEncoder.isWritableID(cid) { headers.append(("Content-ID", ["<\(cid)>"])) }
        return .leaf(headers, encoding == .base64 ? TransferEncoder.base64(a.data) : TransferEncoder.crlf(a.data))
    }

    static func isMediaType(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        func token(_ t: Substring) -> Bool {
            !t.isEmpty && t.utf8.count <= 127 && t.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !HeaderEncoder.tspecials.contains($0) }
        }
        return parts.count == 2 && token(parts[0]) && token(parts[1]) && !parts[0].lowercased().hasPrefix("multipart")
    }

    /// One node of the body: a leaf with its encoded content, or a multipart of nodes.
    indirect enum Part {
        case leaf([(String, [String])], [UInt8])
        case multipart(String, [Part], boundary: String, parameters: [(String, String)] = [])

        static func header(_ name: String, _ atoms: [String], into out: inout [UInt8]) {
            out += Array(HeaderEncoder.fold(name, atoms).utf8)
            out += [13, 10]
        }

        func write(into out: inout [UInt8], inMultipart: Bool) {
            switch self {
            case let .leaf(headers, body):
                for (name, atoms) in headers { Self.header(name, atoms, into: &out) }
                out += [13, 10]
                out += body
                // In a multipart the CRLF before a delimiter belongs to the delimiter, so it is
                // always added; a whole message just ends with a line break.
                if inMultipart || body.last != 10 { out += [13, 10] }
            case let .multipart(subtype, parts, boundary, parameters):
                Self.header("Content-Type", HeaderEncoder.valueWithParameters("multipart/\(subtype)", parameters + [("boundary", boundary)]), into: &out)
                out += [13, 10]
                for part in parts {
                    out += Array("--\(boundary)\r\n".utf8)
                    part.write(into: &out, inMultipart: true)
                }
                out += Array("--\(boundary)--\r\n".utf8)
            }
        }
    }
}
