/// Choosing body text in a MIME tree.
enum BodyText {
    static func text(of entity: Entity) -> String? {
        if entity.isMultipart {
            let kids = entity.children
            switch entity.contentType {
            case "multipart/alternative":
                // Plain text when it has content; else the richest alternative that yields text.
                if let plain = kids.first(where: { $0.contentType == "text/plain" && !$0.isAttachment }),
                   let t = text(of: plain), !t.isBlank { return t }
                for k in kids.reversed() where !k.isAttachment || k.isMultipart {
                    if let t = text(of: k), !t.isBlank { return t }
                }
                return nil
            case "multipart/related":
                // The root part is named by "start", else it is the first; MHTML sometimes puts
                // the images first, so take the first part that yields text after that.
                if let start = entity.parameters["start"], let id = MessageIDs.parse(start).first,
                   let root = kids.first(where: { $0.contentID == id }), let t = text(of: root) { return t }
                for k in kids where k.isMultipart || (!k.isAttachment && k.decodedText != nil) {
                    if let t = text(of: k) { return t }
                }
                return nil
            case "multipart/signed", "multipart/report":
                if let first = kids.first { return text(of: first) }
                return nil
            case "multipart/encrypted":
                return nil
            default:
                var pieces: [String] = []
                for k in kids where k.isMultipart || (!k.isAttachment && k.decodedText != nil) {
                    if let t = text(of: k), !t.isBlank { pieces.append(t) }
                }
                return pieces.isEmpty ? nil : pieces.joined(separator: "\n\n")
            }
        }
        guard let t = entity.decodedText, !entity.isAttachment else { return nil }
        switch entity.contentType {
        case "text/html": return HTMLText.convert(t)
        case "text/enriched", "text/richtext": return HTMLText.stripEnriched(t)
        default: return t
        }
    }

    static func collectAttachments(_ entity: Entity, into out: inout [Attachment]) {
        if entity.isMultipart {
            for child in entity.children { collectAttachments(child, into: &out) }
            return
        }
        guard entity.isAttachment else { return }
        var filename = entity.filename
        if filename == nil, entity.contentType == "message/rfc822", let s = entity.message?.subject, !s.isEmpty {
            filename = nil
        }
        let inline = entity.disposition == "inline" || (entity.disposition == nil && entity.contentID != nil)
        out.append(Attachment(filename: filename, contentType: entity.contentType, size: entity.bodySize,
                              contentID: entity.contentID, isInline: inline, data: entity.body, path: entity.path))
    }
}
