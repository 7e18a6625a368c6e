/// The header block: fields, folding, obsolete and broken forms, and the Content-* fields.
extension MessageParser {
    // MARK: Header block

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

    // MARK: Content fields

    /// Reads what the entity's headers declare: Content-Type and its parameters, charset,
    /// Content-Transfer-Encoding, Content-Disposition, file name and Content-ID.
    func readContentFields(_ entity: inout Entity, defaultType: String, defects: inout [Defect]) {
        let path = entity.path
        let headers = entity.headers
        var ctParams: HeaderParameters? = nil
        if let h = headers.first(where: { $0.name.equalsIgnoringASCIICase("Content-Type") }) {
            let p = HeaderParameters(EncodedWord.unfold(h.rawValue[...]))
            if p.value.utf8.contains(0x2F), !p.value.utf8.contains(0x20) {
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
    }
}
