/// A part the customer attached (or embedded inline). Its bytes stay as the message carries
/// them (a slice of the parsed message, usually base64) and are decoded only when asked for:
/// `data`, `content`, or `decode` in pieces, so a 20 MB file is never held twice.
public struct Attachment: Sendable, Equatable {
    /// Decoded file name (RFC 2231, RFC 2047 or raw UTF-8). Never use it as a path as is.
    public var filename: String?
    /// "type/subtype", lowercased.
    public var contentType: String
    /// Decoded size in bytes.
    public var size: Int
    /// Content-ID without angle brackets.
    public var contentID: String?
    /// Shown inline (Content-Disposition: inline, or an image referenced from HTML) rather than attached.
    public var isInline: Bool
    /// Where the part sits in the MIME tree ("2", "1.3").
    public var path: String
    /// The bytes as held: decoded, or still in `encoding`.
    public private(set) var storedContent: ArraySlice<UInt8>
    /// "base64" or "quoted-printable" while `storedContent` is still so encoded; nil when decoded.
    public private(set) var encoding: String?

    public init(filename: String?, contentType: String, size: Int, contentID: String?, isInline: Bool, data: [UInt8], path: String = "") {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.contentID = contentID
        self.isInline = isInline
        self.path = path
        self.storedContent = data[...]
        self.encoding = nil
    }

    /// The attachment of leaf `entity`, sharing its bytes (still encoded when the entity's are).
    init(entity: Entity, isInline: Bool) {
        self.init(filename: entity.filename, contentType: entity.contentType, size: entity.bodySize, contentID: entity.contentID,
                  isInline: isInline, data: [], path: entity.path)
        storedContent = entity.storedContent
        encoding = entity.pendingEncoding
    }

    /// The decoded content, as a new array (decoded now when the part is still encoded).
    public var data: [UInt8] {
        get { Array(content) }
        set {
            storedContent = newValue[...]
            encoding = nil
        }
    }

    /// The decoded content; without a copy when it is held decoded.
    public var content: ArraySlice<UInt8> {
        encoding.map { TransferDecoding.decoded(storedContent, encoding: $0) } ?? storedContent
    }

    /// Hands the decoded content to `body` in pieces of at most 64 KB (each valid only during
    /// its call): for hashing or writing a big file without holding it decoded.
    public func decode(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        TransferDecoding.decode(storedContent, encoding: encoding ?? "binary", emit: body)
    }
}
