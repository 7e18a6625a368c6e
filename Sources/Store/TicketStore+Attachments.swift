/// The files of a stored inbound message, as the intake recorded them (tree order).
public struct StoredAttachment: Sendable, Equatable {
    public var filename: String?
    public var contentType: String
    public var size: Int
    public var contentID: String?
    public var isInline: Bool
    /// The decoded bytes, for rows stored before migration v16 (attachment part path); empty when `partPath` is set.
    public var data: [UInt8]
    /// The part of the stored raw message that holds the file (decoded on demand); nil for
    /// older rows, which carry `data`.
    public var partPath: String?

    public init(filename: String?, contentType: String, size: Int, contentID: String?, isInline: Bool,
                data: [UInt8], partPath: String?) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.contentID = contentID
        self.isInline = isInline
        self.data = data
        self.partPath = partPath
    }
}

extension TicketStore {
    /// The attachments recorded for message `row`, in the order they appear in it.
    public func attachments(messageRow row: Int64) throws -> [StoredAttachment] {
        try db.query("SELECT filename, content_type, size, content_id, inline, data, part_path FROM attachments WHERE message_row = ? ORDER BY id", [row])
            .map { StoredAttachment(filename: $0.optionalText("filename"), contentType: $0.text("content_type"), size: Int($0.int("size")),
                                    contentID: $0.optionalText("content_id"), isInline: $0.int("inline") != 0, data: $0.blob("data"),
                                    partPath: $0.optionalText("part_path")) }
    }

    /// Records one file of inbound message `row`: what it is and where it sits in the raw
    /// message (`partPath`), not its bytes (decoded from the raw message when needed).
    public func addAttachment(messageRow row: Int64, filename: String?, contentType: String, size: Int, contentID: String?,
                              isInline: Bool, sha256: String, partPath: String) throws {
        try db.execute("""
            INSERT INTO attachments (message_row, filename, content_type, size, content_id, inline, sha256, data, part_path)
            VALUES (?, ?, ?, ?, ?, ?, ?, X'', ?)
            """, [row, filename, contentType, size, contentID, isInline, sha256, partPath])
    }
}
