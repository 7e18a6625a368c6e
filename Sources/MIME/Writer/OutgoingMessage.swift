import Foundation

/// A message to be written by `MessageWriter`: addresses, subject and threading as values, a
/// text body, an optional HTML alternative and files. Everything is plain Swift text and bytes;
/// the writer chooses encodings, so a caller never thinks about RFC 2047, 2231 or line lengths.
public struct OutgoingMessage: Sendable, Equatable {
    public var from: MailboxAddress
    public var to: [MailboxAddress]
    public var cc: [MailboxAddress] = []
    public var replyTo: [MailboxAddress] = []
    public var subject: String
    public var date: Date
    /// Without angle brackets.
    public var messageID: String
    /// Message-IDs without angle brackets.
    public var inReplyTo: [String] = []
    public var references: [String] = []
    /// Further header fields, written after the standard ones in this order (unstructured text,
    /// encoded and folded as needed).
    public var extraHeaders: [OutgoingHeader] = []
    /// The plain-text body. Line ends may be LF or CRLF; they are written as CRLF.
    public var text: String
    /// An HTML rendering of the same content: makes the body multipart/alternative.
    public var html: String?
    /// The charset for the text parts; falls back to UTF-8 when it cannot hold the text.
    public var charset: String = "utf-8"
    public var attachments: [OutgoingAttachment] = []

    public init(from: MailboxAddress, to: [MailboxAddress], subject: String, date: Date, messageID: String, text: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
    }
}

/// One extra header field, e.g. `Auto-Submitted: auto-replied`.
public struct OutgoingHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A file sent with a message. With `isInline` and a `contentID` next to an HTML body it goes in
/// a multipart/related part (an image the HTML shows with `cid:`); otherwise it is attached.
public struct OutgoingAttachment: Sendable, Equatable {
    /// Shown to the recipient as the file name; any characters (RFC 2231 carries them).
    public var filename: String?
    /// "type/subtype"; anything else is sent as application/octet-stream.
    public var contentType: String
    public var data: [UInt8]
    /// Without angle brackets.
    public var contentID: String?
    public var isInline: Bool

    public init(filename: String?, contentType: String, data: [UInt8], contentID: String? = nil, isInline: Bool = false) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
        self.contentID = contentID
        self.isInline = isInline
    }

    /// The same file as the parser found it in a received message (for relaying it on).
    public init(_ attachment: Attachment) {
        self.init(filename: attachment.filename, contentType: attachment.contentType, data: attachment.data,
                  contentID: attachment.contentID, isInline: attachment.isInline)
    }
}
