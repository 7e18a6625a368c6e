import Foundation

/// A parsed e-mail message. Parsing never fails: whatever is wrong with the input becomes a
/// `Defect` and the message is as usable as the bytes allow.
public struct Message: Sendable {
    /// The MIME tree; `root.headers` are the message headers.
    public var root: Entity
    public var from: [MailboxAddress] = []
    /// The first From address, else Sender.
    public var sender: MailboxAddress?
    public var to: [MailboxAddress] = []
    public var cc: [MailboxAddress] = []
    public var replyTo: [MailboxAddress] = []
    /// Return-Path address; "" for the null sender "<>".
    public var returnPath: String?
    public var subject: String?
    public var date: Date?
    /// Message-ID without angle brackets.
    public var messageID: String?
    public var inReplyTo: [String] = []
    public var references: [String] = []
    /// Every defect in the tree, nested messages included, each with its part path.
    public var defects: [Defect] = []
    /// Size of the input in bytes.
    public var size: Int = 0

    /// Parses raw message bytes (CRLF, LF or, as old Mac mailers wrote, bare CR line ends). Never throws, never traps.
    public static func parse(_ bytes: [UInt8], limits: ParserLimits = .default) -> Message {
        let context = ParseContext(limits: limits)
        var input = bytes
        var sizeDefect: Defect? = nil
        if input.count > limits.maxMessageBytes {
            sizeDefect = Defect(.sizeLimit, path: "", "message of \(bytes.count) bytes cut to \(limits.maxMessageBytes)")
            input = Array(bytes[..<limits.maxMessageBytes])
        }
        let bareCR = LineEnds.endsLinesWithBareCR(input)
        if bareCR { input = LineEnds.bareCRToLF(input) }
        let parser = MessageParser(buf: input, context: context)
        var root = parser.parseEntity(0..<input.count, path: "", depth: 0, defaultType: "text/plain")
        if bareCR { root.defects.insert(Defect(.bareCRLineEnds, path: "", "lines end in CR alone (old Mac); read as line ends"), at: 0) }
        if let sizeDefect { root.defects.insert(sizeDefect, at: 0) }
        var message = Message(root: root)
        message.size = bytes.count
        return message
    }

    /// Parses `Data`.
    public static func parse(_ data: Data, limits: ParserLimits = .default) -> Message {
        parse([UInt8](data), limits: limits)
    }

    /// Builds the header-derived fields of a parsed tree (also used for enclosed messages).
    init(root: Entity) {
        self.root = root
        var fieldDefects: [Defect] = []
        var ignored: EncodedWord.Problems = []
        func addresses(_ name: String) -> [MailboxAddress] {
            var all: [MailboxAddress] = []
            for h in root.headers where h.name.equalsIgnoringASCIICase(name) {
                let text = EncodedWord.literal(EncodedWord.unfold(h.rawValue[...]), fallbackCharset: root.charset, problems: &ignored)
                let (list, ok) = AddressList.parse(text)
                if !ok { fieldDefects.append(Defect(.invalidAddress, path: root.path, name)) }
                all += list
            }
            return all
        }
        from = addresses("From")
        to = addresses("To")
        cc = addresses("Cc")
        replyTo = addresses("Reply-To")
        sender = from.first ?? addresses("Sender").first
        if let rp = root.header("Return-Path") {
            let t = String(rp.trimmedSpace())
            if t == "<>" || t.isEmpty { returnPath = "" }
            else { returnPath = AddressList.parse(t).addresses.first?.address ?? String(t.trimmed(["<", ">"])) }
        }
        subject = root.header("Subject")
        if let d = root.header("Date") {
            date = DateParser.parse(d)
            if date == nil { fieldDefects.append(Defect(.invalidDate, path: root.path, "unparseable Date")) }
        }
        if let id = root.header("Message-ID") {
            messageID = MessageIDs.parse(id).first
            if messageID == nil { fieldDefects.append(Defect(.invalidMessageID, path: root.path, "empty Message-ID")) }
        }
        inReplyTo = root.headerValues("In-Reply-To").flatMap(MessageIDs.parse)
        references = root.headerValues("References").flatMap(MessageIDs.parse)
        if !fieldDefects.isEmpty { self.root.defects += fieldDefects }
        defects = Message.collectDefects(self.root)
    }

    static func collectDefects(_ entity: Entity) -> [Defect] {
        var all = entity.defects
        for child in entity.children { all += collectDefects(child) }
        if let m = entity.message { all += m.defects }
        return all
    }

    /// The message headers in original order.
    public var headers: [Header] { root.headers }

    /// The first header with this name (case-insensitive), unfolded and decoded.
    public func header(_ name: String) -> String? { root.header(name) }

    /// Every header with this name, in order.
    public func headerValues(_ name: String) -> [String] { root.headerValues(name) }

    /// `Auto-Submitted` (RFC 3834), lowercased, e.g. "auto-replied".
    public var autoSubmitted: String? { header("Auto-Submitted").map { String($0.lowercased().trimmedSpace()) } }
    /// `Precedence`, lowercased ("bulk", "list", "junk").
    public var precedence: String? { header("Precedence").map { String($0.lowercased().trimmedSpace()) } }
    /// `List-Id` without angle-bracket decoration when bracketed.
    public var listID: String? { header("List-Id").map { MessageIDs.parse($0).first ?? $0 } }
}
