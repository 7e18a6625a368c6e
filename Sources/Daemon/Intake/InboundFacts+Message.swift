import MIME
import Ticketing

extension InboundFacts {
    /// Ticketing's plain view of a parsed message. Computed MIME views (text, reports) are read once.
    init(message: Message, text: String?) {
        let headers = message.headers.map { HeaderField($0.name, $0.value) }
        let sender = message.sender ?? message.from.first
        var reportType: String?
        if message.root.contentType == "multipart/report" {
            reportType = message.root.parameters["report-type"]?.lowercased()
        }
        var bounce: BounceFacts?
        let failed = message.headerValues("X-Failed-Recipients").flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if reportType == "delivery-status" || !failed.isEmpty || InboundFacts.looksLikeBounce(sender?.normalized, message.returnPath) {
            bounce = BounceFacts(deliveryStatus: InboundFacts.part(of: message.root, types: ["message/delivery-status", "message/global-delivery-status"]),
                                 returnedHeaders: InboundFacts.returnedHeaders(message.root),
                                 text: InboundFacts.clipped(text ?? "", 64 * 1024), failedRecipients: failed)
        }
        self.init(from: sender?.address ?? "", fromName: sender?.name ?? "",
                  to: message.to.map(\.address), cc: message.cc.map(\.address),
                  deliveredTo: message.headerValues("Delivered-To") + message.headerValues("X-Original-To"),
                  subject: message.subject ?? "",
                  messageID: message.messageID.map { "<\($0)>" },
                  inReplyTo: message.inReplyTo.map { "<\($0)>" }, references: message.references.map { "<\($0)>" },
                  headers: headers, returnPath: message.returnPath, bodyText: InboundFacts.clipped(text ?? "", 256 * 1024),
                  reportType: reportType, bounce: bounce)
    }

    /// At most `limit` characters; counting Characters is slow, so short texts skip it.
    static func clipped(_ s: String, _ limit: Int) -> String {
        s.utf8.count <= limit ? s : String(s.prefix(limit))
    }

    static func looksLikeBounce(_ sender: String?, _ returnPath: String?) -> Bool {
        if returnPath == "" { return true }
        guard let local = sender?.split(separator: "@").first?.lowercased() else { return false }
        return local == "mailer-daemon" || local == "postmaster"
    }

    /// The decoded body of the first part of one of `types`, depth-first.
    static func part(of entity: Entity, types: Set<String>) -> String? {
        if types.contains(entity.contentType) { return String(decoding: entity.body, as: UTF8.self) }
        for child in entity.children {
            if let found = part(of: child, types: types) { return found }
        }
        return nil
    }

    /// The headers of the returned original: a text/rfc822-headers part, or a message/rfc822's header block.
    static func returnedHeaders(_ entity: Entity) -> String? {
        if entity.contentType == "text/rfc822-headers" { return String(decoding: entity.body, as: UTF8.self) }
        if entity.contentType == "message/rfc822" || entity.contentType == "message/global", let nested = entity.message {
            return nested.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        }
        for child in entity.children {
            if let found = returnedHeaders(child) { return found }
        }
        return nil
    }
}
