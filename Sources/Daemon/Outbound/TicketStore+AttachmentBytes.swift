import MIME
import Store

extension TicketStore {
    /// `stored` (the attachment rows of message `row`) with their decoded bytes. Rows from
    /// migration v16 (attachment part path) on name a part of the stored raw message, which is parsed once and the
    /// part decoded now; older rows carry their bytes already. A part the parse no longer finds
    /// (a parser change moved it) is left out rather than sent empty.
    func withDecodedBytes(_ stored: [StoredAttachment], messageRow row: Int64) throws -> [StoredAttachment] {
        guard stored.contains(where: { $0.partPath != nil }), let raw = try raw(row: row) else { return stored }
        var limits = ParserLimits.default
        limits.maxMessageBytes = max(limits.maxMessageBytes, raw.count)
        var parts: [String: Attachment] = [:]
        for part in Message.parse(raw, limits: limits).attachments where parts[part.path] == nil { parts[part.path] = part }
        return stored.compactMap { file in
            guard let path = file.partPath else { return file }
            guard let part = parts[path], part.size == file.size else { return nil }
            var decoded = file
            decoded.data = part.data
            return decoded
        }
    }
}
