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
        default:
            if entity.parameters["format"]?.lowercased() == "flowed" {
                // DelSp=yes is ignored on purpose: mailers that send it still break at spaces
                // (MimeKit issue 1130), and a stray space beats two words glued together.
                return unflow(t, deleteSpace: false)
            }
            return t
        }
    }

    static func collectAttachments(_ entity: Entity, into out: inout [Attachment]) {
        if entity.isMultipart {
            for child in entity.children { collectAttachments(child, into: &out) }
            return
        }
        guard entity.isAttachment else { return }
        let inline = entity.disposition == "inline" || (entity.disposition == nil && entity.contentID != nil)
        out.append(Attachment(entity: entity, isInline: inline))
    }

    /// RFC 3676 format=flowed: a line ending in a space continues on the next line (with the same
    /// quote depth); space-stuffing is removed. The signature separator "-- " is never joined.
    static func unflow(_ text: String, deleteSpace: Bool) -> String {
        var out: [String] = []
        var current: String? = nil
        var currentDepth = 0
        for raw in ReplyText.splitLines(text) {
            var line = Substring(raw)
            var depth = 0
            while line.first == ">" { depth += 1; line = line.dropFirst() }
            if line.first == " " { line = line.dropFirst() }
            let prefix = depth > 0 ? String(repeating: ">", count: depth) + " " : ""
            let isSignature = line == "-- "
            let flowed = !isSignature && line.hasSuffix(" ")
            var piece = String(line)
            if flowed && deleteSpace { piece.removeLast() }
            if let c = current, depth == currentDepth {
                current = c + piece
            } else {
                if let c = current { out.append(c) }
                current = prefix + piece
                currentDepth = depth
            }
            if !flowed, let c = current { out.append(c); current = nil }
        }
        if let c = current { out.append(c) }
        return out.joined(separator: "\n")
    }
}
