#if canImport(Glibc)
import Glibc
#endif

/// Parses one buffer into an entity tree, by index ranges over the original bytes (no copies until
/// a leaf's content is decoded). Recursion depth is bounded by `ParserLimits.maxDepth`.
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

    // MARK: Headers

    /// Reads the header block at the start of `range`. Returns the headers and where the body starts.
    func parseHeaders(_ range: Range<Int>, path: String, defects: inout [Defect]) -> (headers: [Header], bodyStart: Int) {
        var headers: [Header] = []
        var i = range.lowerBound
        let end = range.upperBound
        var current: (name: Range<Int>, value: Range<Int>)? = nil
        var tooMany = false
        var tooLong = false
        let limits = context.limits

        func finish(_ field: (name: Range<Int>, value: Range<Int>)?) {
            guard let field else { return }
            if headers.count >= limits.maxHeaders {
                if !tooMany { defects.append(Defect(.tooManyHeaders, path: path, "more than \(limits.maxHeaders) header fields; the rest ignored")); tooMany = true }
                return
            }
            var valueRange = field.value
            if valueRange.count > limits.maxHeaderLength {
                if !tooLong { defects.append(Defect(.headerLineTooLong, path: path, "\(String(decoding: buf[field.name], as: UTF8.self)) field of \(valueRange.count) bytes cut to \(limits.maxHeaderLength)")); tooLong = true }
                valueRange = valueRange.lowerBound..<(valueRange.lowerBound + limits.maxHeaderLength)
            }
            let raw = buf[valueRange]
            let (value, problems) = EncodedWord.decode(EncodedWord.unfold(raw))
            let name = String(decoding: buf[field.name], as: UTF8.self)
            Self.record(problems, on: name, path: path, into: &defects)
            headers.append(Header(name: name, rawValue: Array(raw), value: value))
        }

        var firstLine = true
        // A UTF-8 byte order mark before the first header (some Windows tools write one).
        if end - i >= 3, buf[i] == 0xEF, buf[i + 1] == 0xBB, buf[i + 2] == 0xBF { i += 3 }
        while i < end {
            let nl = newline(from: i, end: end)
            let lineEnd = nl ?? end             // exclusive of "\n"
            let next = nl.map { $0 + 1 } ?? end
            var contentEnd = lineEnd
            if contentEnd > i, buf[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == i {
                // Blank line: end of headers.
                finish(current)
                return (headers, next)
            }
            let first = buf[i]
            if first == 0x20 || first == 0x09 {
                if let c = current {
                    current = (c.name, c.value.lowerBound..<contentEnd)
                } else if !firstLine {
                    defects.append(Defect(.headerWithoutColon, path: path, "continuation line with no field before it"))
                }
                // A leading continuation line with no field: ignore it.
                i = next
                firstLine = false
                continue
            }
            // Field name up to ":"; obsolete syntax allows whitespace before the colon.
            var j = i
            var validName = true
            while j < contentEnd, buf[j] != 0x3A {
                let c = buf[j]
                if c <= 0x20 || c >= 0x7F { validName = false }
                j += 1
            }
            var nameEnd = j
            if !validName, j < contentEnd {
                // "Subject : x" is obsolete but fine; a name with inner spaces is not a header.
                while nameEnd > i, buf[nameEnd - 1] == 0x20 || buf[nameEnd - 1] == 0x09 { nameEnd -= 1 }
                validName = !buf[i..<nameEnd].contains { $0 <= 0x20 || $0 >= 0x7F }
            }
            if j < contentEnd, validName, nameEnd > i {
                finish(current)
                current = (i..<nameEnd, (j + 1)..<contentEnd)
            } else if firstLine, contentEnd - i >= 5, buf[i] == 0x46, buf[i + 1] == 0x72, buf[i + 2] == 0x6F, buf[i + 3] == 0x6D, buf[i + 4] == 0x20 {
                // mbox "From " separator line: not a header, not a defect of the message.
            } else if let c = current, !firstLine, unindentedContinuation(c.value, nextLine: next, end: end) {
                // A folded line that lost its indentation; keep it with the field above.
                defects.append(Defect(.headerWithoutColon, path: path, "unindented continuation line joined to \(String(decoding: buf[c.name], as: UTF8.self))"))
                current = (c.name, c.value.lowerBound..<contentEnd)
            } else if headers.isEmpty && current == nil && firstLine {
                // Not a header at all: no header block, all body.
                defects.append(Defect(.missingHeaderBodySeparator, path: path, "content starts without headers"))
                return (headers, i)
            } else {
                finish(current)
                defects.append(Defect(.missingHeaderBodySeparator, path: path, "a line that is not a header ends the header block"))
                return (headers, i)
            }
            firstLine = false
            i = next
        }
        finish(current)
        return (headers, end)
    }

    /// Whether a colon-less line inside the header block is really a continuation: the field
    /// above ends with ";" (a parameter list goes on), or the next line is a header field again.
    func unindentedContinuation(_ value: Range<Int>, nextLine: Int, end: Int) -> Bool {
        var v = value.upperBound
        while v > value.lowerBound, EncodedWord.isSpace(buf[v - 1]) { v -= 1 }
        if v > value.lowerBound, buf[v - 1] == 0x3B { return true }
        // An unclosed "<" (a Message-ID broken across lines).
        var open = 0
        for k in max(value.lowerBound, value.upperBound - 200)..<value.upperBound { if buf[k] == 0x3C { open += 1 } else if buf[k] == 0x3E { open -= 1 } }
        if open > 0 { return true }
        guard nextLine < end else { return false }
        var k = nextLine
        let limit = min(end, nextLine + 78)
        while k < limit {
            let c = buf[k]
            if c == 0x3A { return k > nextLine }
            if c <= 0x20 || c >= 0x7F { return false }
            k += 1
        }
        return false
    }

    static func record(_ problems: EncodedWord.Problems, on name: String, path: String, into defects: inout [Defect]) {
        if problems.isEmpty { return }
        if problems.contains(.invalidWord) { defects.append(Defect(.invalidEncodedWord, path: path, name)) }
        if problems.contains(.unknownCharset) { defects.append(Defect(.unknownCharset, path: path, "\(name): encoded word kept as written")) }
        if problems.contains(.lossy) { defects.append(Defect(.lossyCharsetDecoding, path: path, name)) }
        if problems.contains(.rawNonASCII) {
            defects.append(Defect(problems.contains(.guessed) ? .guessedCharset : .rawNonASCIIHeader, path: path, "\(name): raw 8-bit bytes that are not UTF-8"))
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

        // Content-Type.
        var ctParams: HeaderParameters? = nil
        if let h = headers.first(where: { $0.name.equalsIgnoringASCIICase("Content-Type") }) {
            let p = HeaderParameters(EncodedWord.unfold(h.rawValue[...]))
            if p.value.contains("/"), !p.value.contains(" ") {
                entity.contentType = p.value
            } else {
                entity.contentType = defaultType
                defects.append(Defect(.missingContentType, path: path, "unusable Content-Type; \(defaultType) assumed"))
            }
            if p.malformed { defects.append(Defect(.invalidParameter, path: path, "Content-Type")) }
            Self.record(p.problems, on: "Content-Type parameter", path: path, into: &defects)
            ctParams = p
        } else {
            entity.contentType = defaultType
        }
        if let p = ctParams {
            for (n, v) in p.parameters where entity.parameters[n] == nil { entity.parameters[n] = v }
        }
        if let cs = entity.parameters["charset"], !cs.isEmpty { entity.charset = cs.lowercased() }
        if let cs = entity.charset { redecodeRawHeaders(&entity, charset: cs, defects: &defects) }
        if let cte = entity.header("Content-Transfer-Encoding") {
            entity.transferEncoding = cte.trimmingCharactersSpaceAndQuotes().lowercased()
        }
        if let h = headers.first(where: { $0.name.equalsIgnoringASCIICase("Content-Disposition") }) {
            let p = HeaderParameters(EncodedWord.unfold(h.rawValue[...]))
            if !p.value.isEmpty { entity.disposition = p.value }
            if p.malformed { defects.append(Defect(.invalidParameter, path: path, "Content-Disposition")) }
            Self.record(p.problems, on: "Content-Disposition parameter", path: path, into: &defects)
            if let f = p["filename"], !f.isEmpty { entity.filename = f }
        }
        if entity.filename == nil, let n = entity.parameters["name"], !n.isEmpty { entity.filename = n }
        if let cid = entity.header("Content-ID") { entity.contentID = MessageIDs.parse(cid).first ?? cid }

        if depth >= context.limits.maxDepth, entity.isMultipart || entity.contentType.hasPrefix("message/") {
            defects.append(Defect(.depthLimit, path: path, "nesting deeper than \(context.limits.maxDepth); kept as opaque content"))
            entity.contentType = "application/octet-stream"
            entity.content = buf[body]
            entity.defects = defects
            return entity
        }

        if entity.isMultipart {
            if let boundary = entity.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 {
                var found = splitMultipart(body, boundary: Array(boundary.utf8), path: path, defects: &defects)
                if !found.boundarySeen {
                    // Delimiter lines indented by a broken relay, or a boundary parameter with stray white space.
                    found = splitMultipart(body, boundary: Array(boundary.utf8), path: path, defects: &defects, indented: true)
                    let trimmed = Array(boundary.trimmedSpace().utf8)
                    if !found.boundarySeen, !trimmed.isEmpty, trimmed.count != boundary.utf8.count {
                        found = splitMultipart(body, boundary: trimmed, path: path, defects: &defects, indented: true)
                    }
                    if found.boundarySeen { defects.append(Defect(.indentedBoundary, path: path, "delimiter lines with leading white space")) }
                }
                if !found.boundarySeen, let guessed = guessBoundary(body) {
                    // The declared boundary is wrong but the content has delimiter lines of its own.
                    defects.append(Defect(.boundaryNotFound, path: path, "declared boundary never appears; used one found in the content"))
                    found = splitMultipart(body, boundary: guessed, path: path, defects: &defects)
                }
                if found.boundarySeen {
                    let childDefault = entity.contentType == "multipart/digest" ? "message/rfc822" : "text/plain"
                    for (n, part) in found.parts.enumerated() {
                        if context.partCount >= context.limits.maxParts {
                            if !context.partLimitReported {
                                context.partLimitReported = true
                                defects.append(Defect(.partLimit, path: path, "more than \(context.limits.maxParts) parts; \(found.parts.count - n) parts here and any later ones dropped"))
                            }
                            break
                        }
                        let childPath = path.isEmpty ? "\(n + 1)" : "\(path).\(n + 1)"
                        entity.children.append(parseEntity(part, path: childPath, depth: depth + 1, defaultType: childDefault))
                    }
                    if found.parts.isEmpty { defects.append(Defect(.multipartWithoutParts, path: path, "")) }
                    entity.defects = defects
                    return entity
                }
                defects.append(Defect(.boundaryNotFound, path: path, "declared boundary never appears; content read as text/plain"))
            } else {
                defects.append(Defect(.missingBoundaryParameter, path: path, "\(entity.contentType) without a usable boundary; content read as text/plain"))
            }
            // No structure to be found: the content is the text.
            entity.contentType = "text/plain"
        }

        let isEnclosedMessage = entity.contentType == "message/rfc822" || entity.contentType == "message/global" || entity.contentType == "message/news"
        let isText = entity.isBodyTextType && entity.disposition != "attachment"
        guard isEnclosedMessage || isText || !keepEncoded(body, entity: &entity, defects: &defects) else {
            entity.defects = defects
            return entity
        }
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
            let childPath = path.isEmpty ? "1" : "\(path).1"
            let root = inner.parseEntity(innerRange, path: childPath, depth: depth + 1, defaultType: "text/plain")
            entity.nested = [Message(root: root)]
        } else if isText {
            entity.decodedText = decodeText(&entity, defects: &defects)
        }
        entity.defects = defects
        return entity
    }

    /// Raw 8-bit header text that is not UTF-8 is most likely in the body's declared charset
    /// (a koi8-r Subject over a koi8-r body): decode it with that instead of a blind guess.
    func redecodeRawHeaders(_ entity: inout Entity, charset: String, defects: inout [Defect]) {
        let name = Charset.canonicalName(charset)
        guard name != "UTF-8", name != "US-ASCII", Charset.isKnown(charset) else { return }
        for i in entity.headers.indices {
            let raw = entity.headers[i].rawValue
            guard !Charset.isASCII(raw), Charset.validUTF8(raw) == nil else { continue }
            let (value, problems) = EncodedWord.decode(EncodedWord.unfold(raw[...]), fallbackCharset: charset)
            let field = entity.headers[i].name
            entity.headers[i].value = value
            defects.removeAll { $0.kind == .guessedCharset && $0.detail.hasPrefix(field + ":") }
            if problems.contains(.rawNonASCII) {
                defects.append(Defect(.rawNonASCIIHeader, path: entity.path, "\(field): raw 8-bit bytes read as \(charset)"))
            }
        }
    }

    /// Leaves a base64 or quoted-printable leaf encoded (an attachment: nobody may ask for its
    /// bytes, and a big one decoded here would be held beside the raw message until it is
    /// stored); measures it instead, with the defects a decode would find. False when the
    /// content must be decoded now (another encoding).
    func keepEncoded(_ body: Range<Int>, entity: inout Entity, defects: inout [Defect]) -> Bool {
        let encoding = entity.transferEncoding
        guard encoding == "base64" || encoding == "quoted-printable" else { return false }
        var size = 0
        let clean = TransferDecoding.decode(buf[body], encoding: encoding) { size += $0.count }
        if !clean {
            defects.append(encoding == "base64" ? Defect(.invalidBase64, path: entity.path, "noise or bad padding skipped")
                                                : Defect(.invalidQuotedPrintable, path: entity.path, "stray '=' kept as is"))
        }
        entity.keepEncoded(buf[body], encoding: encoding, decodedSize: size)
        return true
    }

    /// Removes the Content-Transfer-Encoding of a leaf.
    func decodeTransfer(_ body: Range<Int>, entity: inout Entity, defects: inout [Defect]) -> ArraySlice<UInt8> {
        switch entity.transferEncoding {
        case "base64":
            let (bytes, clean) = TransferDecoding.base64(buf[body])
            if !clean { defects.append(Defect(.invalidBase64, path: entity.path, "noise or bad padding skipped")) }
            return bytes[...]
        case "quoted-printable":
            let (bytes, clean) = TransferDecoding.quotedPrintable(buf[body])
            if !clean { defects.append(Defect(.invalidQuotedPrintable, path: entity.path, "stray '=' kept as is")) }
            return bytes[...]
        case "x-uuencode", "uuencode", "x-uue", "x-uu":
            let (bytes, name, clean) = TransferDecoding.uuencode(buf[body])
            if !clean { defects.append(Defect(.invalidUuencode, path: entity.path, "no begin line or short lines")) }
            if entity.filename == nil, let name, !name.isEmpty { entity.filename = name }
            return bytes[...]
        case "7bit", "8bit", "binary", "", "7-bit", "8-bit":
            return buf[body]
        default:
            defects.append(Defect(.unknownTransferEncoding, path: entity.path, "'\(entity.transferEncoding)' left undecoded"))
            return buf[body]
        }
    }

    /// Decodes a text part's bytes, recording lossy or guessed charsets.
    func decodeText(_ entity: inout Entity, defects: inout [Defect]) -> String {
        let bytes = Self.withoutCR(entity.content, wide: entity.charset.map { Charset.canonicalName($0).hasPrefix("UTF-16") || Charset.canonicalName($0).hasPrefix("UTF-32") } ?? false)
        guard let label = entity.charset else {
            if Charset.isASCII(bytes) {
                // Unlabelled 7-bit Japanese: ISO-2022-JP escape sequences.
                if bytes.contains(0x1B), let d = Charset.iconvDecode(Array(bytes), from: "ISO-2022-JP-2"), !d.lossy {
                    entity.guessedCharset = "iso-2022-jp"
                    defects.append(Defect(.guessedCharset, path: entity.path, "escape sequences without a charset; read as iso-2022-jp"))
                    return d.text
                }
                return Charset.asciiString(bytes)
            }
            if let s = Charset.validUTF8(bytes) { entity.guessedCharset = "utf-8"; return s }
            let cyr = Charset.cyrillicGuess(bytes)
            entity.guessedCharset = cyr?.lowercased() ?? "windows-1252"
            defects.append(Defect(.guessedCharset, path: entity.path, "8-bit text without a charset; read as \(entity.guessedCharset ?? "")"))
            return Charset.guess(bytes).text
        }
        let d = Charset.decode(bytes, label: label)
        if d.unknown { defects.append(Defect(.unknownCharset, path: entity.path, "'\(label)'; text guessed")) }
        if d.mislabelledUTF8 {
            entity.guessedCharset = "utf-8"
            defects.append(Defect(.guessedCharset, path: entity.path, "labelled \(label) but only valid as UTF-8; read as UTF-8"))
        }
        if d.lossy { defects.append(Defect(.lossyCharsetDecoding, path: entity.path, "bytes invalid in \(label) replaced with U+FFFD")) }
        if Charset.canonicalName(label) == "US-ASCII", !Charset.isASCII(bytes) {
            defects.append(Defect(.eightBitIn7BitPart, path: entity.path, "8-bit bytes labelled \(label)"))
        }
        return d.text
    }

    /// Text with CRLF line ends turned into LF (Swift treats "\r\n" as one Character, and every
    /// consumer of the text splits lines on "\n"). Wide charsets are left alone.
    static func withoutCR(_ bytes: ArraySlice<UInt8>, wide: Bool) -> ArraySlice<UInt8> {
        guard !wide, bytes.contains(0x0D) else { return bytes }
        // Written in place into one buffer: an `append` per byte cost more than the rest.
        let out = [UInt8](unsafeUninitializedCapacity: bytes.count) { o, written in
            var w = 0
            bytes.withUnsafeBufferPointer { p in
                var i = 0
                let n = p.count
                while i < n {
                    let b = p[i]
                    i += 1
                    if b == 0x0D, i < n, p[i] == 0x0A { continue }
                    o[w] = b
                    w += 1
                }
            }
            written = w
        }
        return out[...]
    }

    // MARK: Multipart

    /// Finds the body parts between "--boundary" lines. A delimiter line is the boundary followed
    /// only by whitespace (or "--" for the last), so boundaries that are prefixes of each other do
    /// not confuse it. The line break before a delimiter belongs to the delimiter.
    func splitMultipart(_ body: Range<Int>, boundary: [UInt8], path: String, defects: inout [Defect],
                        indented: Bool = false) -> (parts: [Range<Int>], boundarySeen: Bool) {
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var closed = false
        var seen = false
        var i = body.lowerBound
        let end = body.upperBound
        let bLen = boundary.count
        let maxParts = context.limits.maxParts + 1
        while i < end {
            let nl = newline(from: i, end: end)
            let lineEnd = nl ?? end
            let next = nl.map { $0 + 1 } ?? end
            var d = i
            if indented { while d < lineEnd, buf[d] == 0x20 || buf[d] == 0x09 { d += 1 } }
            if lineEnd - d >= bLen + 2, buf[d] == 0x2D, buf[d + 1] == 0x2D, matches(boundary, at: d + 2) {
                var k = d + 2 + bLen
                var isClose = false
                if k + 2 <= lineEnd, buf[k] == 0x2D, buf[k + 1] == 0x2D {
                    isClose = true
                    k += 2
                }
                var onlySpace = true
                while k < lineEnd {
                    let c = buf[k]
                    if c != 0x20 && c != 0x09 && c != 0x0D { onlySpace = false; break }
                    k += 1
                }
                if onlySpace {
                    seen = true
                    if let s = partStart {
                        // Exclude the line break that precedes this delimiter.
                        var e = i
                        if e > s, buf[e - 1] == 0x0A { e -= 1; if e > s, buf[e - 1] == 0x0D { e -= 1 } }
                        parts.append(s..<max(s, e))
                        if parts.count >= maxParts { closed = true; break }
                    }
                    if isClose { closed = true; break }
                    partStart = next
                }
            }
            i = next
        }
        if seen, !closed {
            defects.append(Defect(.missingClosingBoundary, path: path, "last part runs to the end"))
            if let s = partStart, s < end { parts.append(s..<end) }
        }
        return (parts, seen)
    }

    /// A delimiter line near the start of a multipart body whose declared boundary is missing:
    /// "--" and a token of plausible length, within the first lines (after a short preamble).
    func guessBoundary(_ body: Range<Int>) -> [UInt8]? {
        var i = body.lowerBound
        var lines = 0
        while i < body.upperBound, lines < 40 {
            let nl = newline(from: i, end: body.upperBound)
            var e = nl ?? body.upperBound
            while e > i, buf[e - 1] == 0x0D || buf[e - 1] == 0x20 || buf[e - 1] == 0x09 { e -= 1 }
            if e - i >= 5, e - i <= 202, buf[i] == 0x2D, buf[i + 1] == 0x2D,
               !buf[(i + 2)..<e].contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
                var token = Array(buf[(i + 2)..<e])
                if token.count > 2, token.suffix(2) == [0x2D, 0x2D] { token.removeLast(2) }
                return token
            }
            guard let nl else { break }
            i = nl + 1
            lines += 1
        }
        return nil
    }

    @inline(__always) func matches(_ pattern: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= buf.count else { return false }
        return buf.withUnsafeBufferPointer { b in
            pattern.withUnsafeBufferPointer { p in memcmp(b.baseAddress! + index, p.baseAddress!, p.count) == 0 }
        }
    }
}
