import Foundation

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
