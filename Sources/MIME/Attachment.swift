/// A part the customer attached (or embedded inline), with its decoded bytes.
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
    /// The decoded content.
    public var data: [UInt8]
    /// Where the part sits in the MIME tree ("2", "1.3").
    public var path: String

    public init(filename: String?, contentType: String, size: Int, contentID: String?, isInline: Bool, data: [UInt8], path: String = "") {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.contentID = contentID
        self.isInline = isInline
        self.data = data
        self.path = path
    }
}
