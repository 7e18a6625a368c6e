#if canImport(Glibc)
import Glibc
#endif

/// Parses one buffer into an entity tree, by index ranges over the original bytes (no copies until
/// a leaf's content is decoded). Recursion depth is bounded by `ParserLimits.maxDepth`.
/// The walk is here; the header block, the multipart split and the leaves' transfer decoding are in
/// `MessageParser+Headers`, `+Multipart` and `+Bodies`.
struct MessageParser {
    let buf: [UInt8]
    let context: ParseContext

    // MARK: Lines

    /// Index of the next "\n" in `from..<end`, or nil.
    @inline(__always) func newline(from: Int, end: Int) -> Int? {
        guard from < end else { return nil }
        return buf.withUnsafeBufferPointer { p -> Int? in
            guard let base = p.baseAddress, let hit = memchr(base + from, 0x0A, end - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    @inline(__always) func matches(_ pattern: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= buf.count else { return false }
        return buf.withUnsafeBufferPointer { b in
            pattern.withUnsafeBufferPointer { p in memcmp(b.baseAddress! + index, p.baseAddress!, p.count) == 0 }
        }
    }

    // MARK: Entities

    func parseEntity(_ range: Range<Int>, path: String, depth: Int, defaultType: String) -> Entity {
        context.partCount += 1
        var entity = Entity()
        entity.path = path
        var defects: [Defect] = []
        let (headers, bodyStart) = parseHeaders(range, path: path, defects: &defects)
        entity.headers = headers
        let body = bodyStart..<range.upperBound
        entity.encodedSize = body.count
        readContentFields(&entity, defaultType: defaultType, defects: &defects)

        if depth >= context.limits.maxDepth, entity.isMultipart || entity.contentType.hasPrefix("message/") {
            defects.append(Defect(.depthLimit, path: path, "nesting deeper than \(context.limits.maxDepth); kept as opaque content"))
            entity.contentType = "application/octet-stream"
            entity.content = buf[body]
            entity.defects = defects
            return entity
        }

        if entity.isMultipart {
            if parseMultipart(body, entity: &entity, depth: depth, defects: &defects) {
                entity.defects = defects
                return entity
            }
            // No structure to be found: the content is the text.
            entity.contentType = "text/plain"
        }
        parseLeaf(body, entity: &entity, depth: depth, defects: &defects)
        entity.defects = defects
        return entity
    }

    /// A leaf: an enclosed message is parsed in turn, body text is decoded, and any other part
    /// is measured and left encoded when it can be (`keepEncoded`).
    func parseLeaf(_ body: Range<Int>, entity: inout Entity, depth: Int, defects: inout [Defect]) {
        let isEnclosedMessage = entity.contentType == "message/rfc822" || entity.contentType == "message/global" || entity.contentType == "message/news"
        let isText = entity.isBodyTextType && entity.disposition != "attachment"
        guard isEnclosedMessage || isText || !keepEncoded(body, entity: &entity, defects: &defects) else { return }
        entity.content = decodeTransfer(body, entity: &entity, defects: &defects)

        if isEnclosedMessage {
            let inner: MessageParser
            let innerRange: Range<Int>
            if entity.transferEncoding == "base64" || entity.transferEncoding == "quoted-printable" {
                inner = MessageParser(buf: entity.body, context: context)
                innerRange = 0..<entity.bodySize
            } else {
                inner = self
                innerRange = body
            }
            let childPath = entity.path.isEmpty ? "1" : "\(entity.path).1"
            let root = inner.parseEntity(innerRange, path: childPath, depth: depth + 1, defaultType: "text/plain")
            entity.nested = [Message(root: root)]
        } else if isText {
            entity.decodedText = decodeText(&entity, defects: &defects)
        }
    }
}
