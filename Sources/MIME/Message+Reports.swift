/// Machine-readable reports carried in a multipart/report: bounces (RFC 3464) and read receipts (RFC 8098).
extension Message {
    /// The delivery status notification, when this message is one.
    public var deliveryStatus: DeliveryStatus? {
        guard let part = Reports.find(root, where: { $0.contentType == "message/delivery-status" || $0.contentType == "message/global-delivery-status" }) else { return nil }
        let blocks = Reports.fieldBlocks(part.content)
        guard let first = blocks.first else { return DeliveryStatus() }
        var status = DeliveryStatus(messageFields: first)
        for block in blocks.dropFirst() {
            func address(_ v: String?) -> String? {
                guard let v else { return nil }
                let s = v.split(separator: ";", maxSplits: 1).last.map { String($0.trimmedSpace()) } ?? v
                return String(s.trimmed(["<", ">", " "]))
            }
            status.recipients.append(DeliveryStatus.Recipient(
                finalRecipient: address(block["final-recipient"]), originalRecipient: address(block["original-recipient"]),
                action: block["action"].map { String($0.lowercased().trimmedSpace()) },
                status: block["status"].map { String($0.trimmedSpace().prefix { !$0.isWhitespace }) },
                diagnosticCode: block["diagnostic-code"], fields: block))
        }
        // The returned message, whole or headers only.
        if let returned = Reports.find(root, where: { $0.contentType == "message/rfc822" || $0.contentType == "message/global" }),
           let id = returned.message?.messageID {
            status.originalMessageID = id
        } else if let headersPart = Reports.find(root, where: { $0.contentType == "text/rfc822-headers" || $0.contentType == "message/global-headers" }),
                  let block = Reports.fieldBlocks(headersPart.content).first, let id = block["message-id"] {
            status.originalMessageID = MessageIDs.parse(id).first
        }
        return status
    }

    /// The fields of a message/disposition-notification part (read receipt), names lowercased.
    public var dispositionNotification: [String: String]? {
        guard let part = Reports.find(root, where: { $0.contentType == "message/disposition-notification" }) else { return nil }
        return Reports.fieldBlocks(part.content).reduce(into: [:]) { acc, block in acc.merge(block) { a, _ in a } }
    }
}

import Foundation

enum Reports {
    /// Depth-first search of the tree (not into enclosed messages).
    static func find(_ entity: Entity, where match: (Entity) -> Bool) -> Entity? {
        if match(entity) { return entity }
        for child in entity.children { if let hit = find(child, where: match) { return hit } }
        return nil
    }

    /// Header-style field blocks separated by blank lines, names lowercased.
    static func fieldBlocks(_ content: ArraySlice<UInt8>) -> [[String: String]] {
        let bytes = Array(content)
        let parser = MessageParser(buf: bytes, context: ParseContext(limits: .default))
        var blocks: [[String: String]] = []
        var i = 0
        while i < bytes.count, blocks.count < 1000 {
            // Skip blank lines between blocks.
            while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            guard i < bytes.count else { break }
            var defects: [Defect] = []
            let (headers, next) = parser.parseHeaders(i..<bytes.count, path: "", defects: &defects)
            if !headers.isEmpty {
                var block: [String: String] = [:]
                for h in headers where block[h.name.lowercased()] == nil { block[h.name.lowercased()] = h.value }
                blocks.append(block)
            }
            // A line that is not a field: skip it.
            if next <= i { i = (bytes[i...].firstIndex(of: 0x0A) ?? bytes.count - 1) + 1 } else { i = next }
            if headers.isEmpty, next > i { continue }
        }
        return blocks
    }
}
