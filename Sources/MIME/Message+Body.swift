/// The parts of a message a help desk shows: the text the customer wrote and what they attached.
extension Message {
    /// The best text body: text/plain preferred, HTML converted to readable text when that is all
    /// there is. Inline text parts of a multipart/mixed are joined. Nil when there is no text at all.
    public var text: String? {
        guard var t = BodyText.text(of: root) else { return nil }
        while let last = t.last, last.isWhitespace { t.removeLast() }
        return t.isEmpty ? nil : t
    }

    /// The HTML source of the message body when it has one (the first text/html part that is not
    /// an attachment, enclosed messages excluded), for showing it as sent.
    public var html: String? {
        Reports.find(root) { $0.contentType == "text/html" && !$0.isAttachment && $0.decodedText != nil }?.decodedText
    }

    /// The new text of a reply, without quoted history and signature. A view: `text` keeps all.
    public var replyText: String? {
        guard let t = text else { return nil }
        return ReplyText.extract(t)
    }

    /// Attached and inline files, in tree order. A message/rfc822 part is one attachment (its
    /// bytes are the enclosed message); text parts with a file name or an `attachment`
    /// disposition are attachments, never body text.
    public var attachments: [Attachment] {
        var out: [Attachment] = []
        BodyText.collectAttachments(root, into: &out)
        return out
    }
}
