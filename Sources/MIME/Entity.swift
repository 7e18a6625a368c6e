/// One node of the MIME tree: its headers, what it declares itself to be, and its decoded content.
public struct Entity: Sendable {
    /// This entity's own header fields, in order (for the root: the message headers).
    public var headers: [Header] = []
    /// "type/subtype", lowercased. Defaults per RFC 2045 (text/plain; message/rfc822 in a digest).
    public var contentType: String = "text/plain"
    /// Content-Type parameters, names lowercased, values decoded (RFC 2231/2047).
    public var parameters: [String: String] = [:]
    /// The declared charset label, lowercased, when there is one.
    public var charset: String?
    /// The charset the parser assumed for undeclared 8-bit text ("utf-8", "koi8-r", "windows-1252").
    public var guessedCharset: String?
    /// Content-Transfer-Encoding, lowercased ("7bit" when absent).
    public var transferEncoding: String = "7bit"
    /// "inline", "attachment" or another disposition type, lowercased; nil when absent.
    public var disposition: String?
    /// File name from Content-Disposition `filename`, else Content-Type `name`, decoded.
    public var filename: String?
    /// Content-ID without angle brackets.
    public var contentID: String?
    /// Parts of a multipart, in order.
    public var children: [Entity] = []
    /// Storage for `message`: an array gives the indirection a recursive value type needs.
    var nested: [Message] = []
    /// The decoded content of a leaf (transfer encoding removed); for message/rfc822 the bytes of
    /// the enclosed message. Empty for multiparts.
    public var body: [UInt8] {
        get { Array(content) }
        set { content = newValue[...] }
    }
    /// The same bytes, decoded on each call for a part left encoded (`pendingEncoding`), else
    /// without a copy: 7bit/8bit content is a slice of the original message, so nested
    /// message/rfc822 parts do not multiply memory.
    public var content: ArraySlice<UInt8> {
        get { pendingEncoding.map { TransferDecoding.decoded(storedContent, encoding: $0) } ?? storedContent }
        set {
            storedContent = newValue
            pendingEncoding = nil
            bodySize = newValue.count
        }
    }
    /// The content as held: decoded, or while `pendingEncoding` is set, the part's encoded bytes
    /// (a slice of the message). Attachments stay encoded: the parse only measures them, and
    /// whoever wants the file decodes it then (`Attachment.content`, `Attachment.decode`).
    public private(set) var storedContent: ArraySlice<UInt8> = []
    /// "base64" or "quoted-printable" while `storedContent` is still so encoded; nil once decoded.
    public private(set) var pendingEncoding: String?
    /// Size of the decoded content in bytes.
    public internal(set) var bodySize: Int = 0
    /// Size of the content as it appeared in the message, before transfer decoding.
    public var encodedSize: Int = 0
    /// Defects noticed on this entity itself (not its children).
    public var defects: [Defect] = []
    /// Position in the tree: "" for the root, then "1", "1.2", … (1-based).
    public var path: String = ""
    /// The decoded text of a body text part (text/plain, text/html that is not an attachment).
    public var decodedText: String?

    public init() {}

    /// Keeps `encoded` as this part's content, to be decoded on demand, with its decoded size.
    mutating func keepEncoded(_ encoded: ArraySlice<UInt8>, encoding: String, decodedSize: Int) {
        storedContent = encoded
        pendingEncoding = encoding
        bodySize = decodedSize
    }

    /// The enclosed message of a message/rfc822 part, parsed.
    public var message: Message? { nested.first }

    /// Text types that can carry what the customer wrote (as opposed to text/calendar, text/csv…).
    public var isBodyTextType: Bool {
        switch contentType {
        case "text/plain", "text/html", "text/enriched", "text/richtext", "text/markdown", "text/x-markdown", "text/flowed": return true
        default: return false
        }
    }

    public var isMultipart: Bool { contentType.hasPrefix("multipart/") }
    public var mediaType: String { contentType.split(separator: "/", maxSplits: 1).first.map(String.init) ?? contentType }

    /// First header with this name (case-insensitive), decoded.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Whether this leaf is something the customer attached rather than body text: an explicit
    /// `attachment` disposition (even for text/plain), a file name, or content that is not text.
    public var isAttachment: Bool {
        if isMultipart { return false }
        if disposition == "attachment" { return true }
        if isBodyTextType { return filename != nil }
        return true
    }

    /// Every header with this name (case-insensitive), decoded, in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }
}
