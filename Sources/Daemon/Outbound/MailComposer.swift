import Foundation
import MIME
import Ticketing

/// Turns what the notifier wants to say into the bytes of a mail: the values go to the MIME
/// module's `MessageWriter` (encodings, folding, multiparts), plus our loop marker on everything.
struct MailComposer {
    struct Draft {
        var from: String
        var to: [String]
        var cc: [String] = []
        var replyTo: String?
        var subject: String
        /// Angle brackets optional, as for the references.
        var messageID: String
        var inReplyTo: String?
        var references: [String]
        var body: String
        var html: String? = nil
        var attachments: [OutgoingAttachment] = []
        var automatic: Bool

        init(from: String, to: [String], cc: [String] = [], replyTo: String?, subject: String, messageID: String, inReplyTo: String?,
             references: [String], body: String, html: String? = nil, attachments: [OutgoingAttachment] = [], automatic: Bool) {
            self.from = from
            self.to = to
            self.cc = cc
            self.replyTo = replyTo
            self.subject = subject
            self.messageID = messageID
            self.inReplyTo = inReplyTo
            self.references = references
            self.body = body
            self.html = html
            self.attachments = attachments
            self.automatic = automatic
        }
    }

    let loopMarker: LoopMarker
    var writer = MessageWriter()

    func compose(_ d: Draft, date: Date) -> [UInt8] {
        var m = OutgoingMessage(from: Self.mailbox(d.from), to: d.to.map(Self.mailbox), subject: d.subject, date: date,
                                messageID: Self.bare(d.messageID), text: d.body)
        m.cc = d.cc.map(Self.mailbox)
        m.replyTo = d.replyTo.map { [Self.mailbox($0)] } ?? []
        m.inReplyTo = d.inReplyTo.map { [Self.bare($0)] } ?? []
        m.references = d.references.map(Self.bare)
        m.html = d.html
        m.attachments = d.attachments
        let headers = d.automatic ? loopMarker.automaticHeaders : [loopMarker.header]
        m.extraHeaders = headers.map { OutgoingHeader($0.name, $0.value) }
        return writer.write(m)
    }

    /// "Name <a@b>" or "a@b" as a mailbox; text that is no address at all stays the address as given.
    static func mailbox(_ text: String) -> MailboxAddress {
        MailboxAddress.parse(text) ?? MailboxAddress(name: nil, address: text.trimmingCharacters(in: .whitespaces))
    }

    static func bare(_ id: String) -> String {
        var s = Substring(id.trimmingCharacters(in: .whitespaces))
        if s.hasPrefix("<") { s = s.dropFirst() }
        if s.hasSuffix(">") { s = s.dropLast() }
        return String(s)
    }
}
