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
        // Every message carries its bounce parts: whether it is a bounce is the classifier's call, and
        // each sender it recognises (post_master, a no-reply gateway, a list manager, an empty From with
        // a delivery-status part) must reach the bounce interpreter. Nothing here copies the text.
        let failed = message.headerValues("X-Failed-Recipients").flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let bounce = BounceFacts(deliveryStatus: InboundFacts.parts(of: message.root, types: ["message/delivery-status", "message/global-delivery-status"]),
                                 returnedHeaders: InboundFacts.returnedHeaders(message.root),
                                 text: InboundFacts.clipped(text ?? "", 64 * 1024), failedRecipients: failed,
                                 bounceAddresses: (message.from + message.to).map(\.address))
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

    /// The decoded bodies of every part of one of `types`, depth-first, joined by blank lines
    /// (a mislabelled prose part may come before the real delivery-status one).
    static func parts(of entity: Entity, types: Set<String>) -> String? {
        var found: [String] = []
        collect(entity, types: types, into: &found)
        return found.isEmpty ? nil : found.joined(separator: "\n\n")
    }

    private static func collect(_ entity: Entity, types: Set<String>, into found: inout [String]) {
        if types.contains(entity.contentType) { found.append(String(decoding: entity.content, as: UTF8.self)) }
        for child in entity.children where found.count < 8 { collect(child, types: types, into: &found) }
    }

    /// The headers of the returned original: a text/rfc822-headers part, or a message/rfc822's header block.
    static func returnedHeaders(_ entity: Entity) -> String? {
        if entity.contentType == "text/rfc822-headers" { return String(decoding: entity.content, as: UTF8.self) }
        if entity.contentType == "message/rfc822" || entity.contentType == "message/global", let nested = entity.message {
            return nested.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        }
        for child in entity.children {
            if let found = returnedHeaders(child) { return found }
        }
        return nil
    }
}
