/// The files of a stored inbound message, as the intake recorded them (tree order).
public struct StoredAttachment: Sendable, Equatable {
    public var filename: String?
    public var contentType: String
    public var size: Int
    public var contentID: String?
    public var isInline: Bool
    public var data: [UInt8]
}

extension TicketStore {
    /// The attachments recorded for message `row`, in the order they appear in it.
    public func attachments(messageRow row: Int64) throws -> [StoredAttachment] {
        try db.query("SELECT filename, content_type, size, content_id, inline, data FROM attachments WHERE message_row = ? ORDER BY id", [row])
            .map { StoredAttachment(filename: $0.optionalText("filename"), contentType: $0.text("content_type"), size: Int($0.int("size")),
                                    contentID: $0.optionalText("content_id"), isInline: $0.int("inline") != 0, data: $0.blob("data")) }
    }
}
