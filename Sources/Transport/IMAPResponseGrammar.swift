/// Turns one framed response into an `IMAPResponse` (RFC 3501 §7, §9 `response`).
enum IMAPResponseGrammar {
    static func parse(_ frame: IMAPResponseParser.Frame) throws -> IMAPResponse {
        var r = IMAPTokenReader(frame)
        if r.skip(UInt8(ascii: "+")) {
            r.skipSpaces()
            return .continuation(r.restOfLine())
        }
        if r.skip(UInt8(ascii: "*")) {
            try r.expect(0x20, "a space after *")
            return .untagged(try untagged(&r))
        }
        let tag = r.word()
        guard !tag.isEmpty else { throw IMAPTokenReader.malformed("response without a tag") }
        try r.expect(0x20, "a space after the tag")
        guard let status = IMAPResponse.Status(rawValue: r.word().uppercased()) else {
            throw IMAPTokenReader.malformed("tagged response without OK/NO/BAD")
        }
        let (code, text) = try responseText(&r)
        return .tagged(tag: tag, status: status, code: code, text: text)
    }

    private static func untagged(_ r: inout IMAPTokenReader) throws -> IMAPResponse.Untagged {
        if let first = r.peek(), first >= 0x30, first <= 0x39 {
            let n = Int(try r.number())
            try r.expect(0x20, "a space after the message number")
            switch r.word().uppercased() {
            case "EXISTS": return .exists(n)
            case "RECENT": return .recent(n)
            case "EXPUNGE": return .expunge(n)
            case "FETCH":
                r.skipSpaces()
                return .fetch(sequence: n, try fetch(&r))
            case let other:
                r.skipSpaces()
                return .other(name: other, text: "\(n) " + r.restOfLine())
            }
        }
        let name = r.word().uppercased()
        r.skipSpaces()
        switch name {
        case "OK", "NO", "BAD", "BYE", "PREAUTH":
            let (code, text) = try responseText(&r)
            return .condition(IMAPResponse.Status(rawValue: name) ?? .bad, code: code, text: text)
        case "CAPABILITY":
            return .capability(words(r.restOfLine()))
        case "FLAGS":
            return .flags(flagList(try r.value()))
        case "SEARCH":
            // Numbers only; a trailing `(MODSEQ n)` (CONDSTORE) is not a UID.
            return .search(words(r.restOfLine()).compactMap { UInt32($0) })
        case "STATUS":
            let mailbox = String(decoding: try r.astring(), as: UTF8.self)
            r.skipSpaces()
            guard case .list(let values) = try r.value() else { throw IMAPTokenReader.malformed("STATUS without a list") }
            var items: [String: UInt64] = [:]
            var i = 0
            while i + 1 < values.count {
                if let key = values[i].text?.uppercased(), let v = values[i + 1].text, let n = UInt64(v) { items[key] = n }
                i += 2
            }
            return .status(mailbox: mailbox, items: items)
        default:
            return .other(name: name, text: r.restOfLine())
        }
    }

    /// `* n FETCH (NAME value NAME value …)`.
    private static func fetch(_ r: inout IMAPTokenReader) throws -> IMAPResponse.Fetch {
        try r.expect(0x28, "( after FETCH")
        var fetch = IMAPResponse.Fetch()
        while true {
            r.skipSpaces()
            if r.skip(0x29) { return fetch }
            guard r.peek() != nil else { throw IMAPTokenReader.malformed("FETCH list not closed") }
            let name = try r.fetchItemName()
            r.skipSpaces()
            let value = try r.value()
            switch name {
            case "UID":
                guard let text = value.text, let uid = UInt32(text) else { throw IMAPTokenReader.malformed("UID not a number") }
                fetch.uid = uid
            case "RFC822.SIZE":
                guard let text = value.text, let size = Int(text) else { throw IMAPTokenReader.malformed("RFC822.SIZE not a number") }
                fetch.size = size
            case "FLAGS":
                fetch.flags = flagList(value)
            case "INTERNALDATE":
                fetch.internalDate = value.text
            default:
                if name.hasPrefix("BODY[") || name.hasPrefix("BINARY[") || name.hasPrefix("RFC822") {
                    switch value {
                    case .string(let bytes): fetch.sections[name] = .some(bytes)
                    case .null: fetch.sections[name] = .some(nil)
                    default: fetch.sections[name] = .some(Array((value.text ?? "").utf8))
                    }
                }
                // ENVELOPE, BODYSTRUCTURE, MODSEQ, …: parsed for framing, not kept.
            }
        }
    }

    /// `[CODE args] text` or just `text`.
    private static func responseText(_ r: inout IMAPTokenReader) throws -> (IMAPResponse.Code?, String) {
        r.skipSpaces()
        var code: IMAPResponse.Code?
        if r.skip(0x5B) {
            let name = r.word().uppercased()
            r.skipSpaces()
            let args = try r.upToBracket()
            try r.expect(0x5D, "]")
            code = responseCode(name, args)
            r.skipSpaces()
        }
        return (code, r.restOfLine())
    }

    static func responseCode(_ name: String, _ args: String) -> IMAPResponse.Code {
        let parts = words(args)
        func uint(_ i: Int) -> UInt32? { i < parts.count ? UInt32(parts[i]) : nil }
        switch name {
        case "UIDVALIDITY": if let v = uint(0) { return .uidValidity(v) }
        case "UIDNEXT": if let v = uint(0) { return .uidNext(v) }
        case "UNSEEN": if let v = uint(0) { return .unseen(v) }
        case "APPENDUID": if let v = uint(0), let u = uint(1) { return .appendUID(validity: v, uid: u) }
        case "COPYUID":
            if let v = uint(0), parts.count >= 3 { return .copyUID(validity: v, source: parts[1], destination: parts[2]) }
        case "READ-ONLY": return .readOnly
        case "READ-WRITE": return .readWrite
        case "TRYCREATE": return .tryCreate
        case "CAPABILITY": return .capability(parts)
        default: break
        }
        return .other(name: name, text: args)
    }

    static func words(_ text: String) -> [String] {
        text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    private static func flagList(_ value: IMAPTokenReader.Value) -> [String] {
        guard case .list(let items) = value else { return [] }
        return items.compactMap(\.text)
    }
}
