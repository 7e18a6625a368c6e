/// Address list headers (From, To, Cc, Reply-To, Sender): display names, quoted strings,
/// comments, groups, RFC 2047 names, missing angle brackets and obsolete routes.
enum AddressList {
    private enum Token {
        case word(String)           // atom or dot-atom text, or other run of characters
        case quoted(String)
        case comment(String)
        case angle(String)          // contents of <...>
        case special(Character)     // , : ; @
    }

    /// Parses the unfolded, decoded header value. `ok` is false when something had to be skipped.
    static func parse(_ text: String) -> (addresses: [MailboxAddress], ok: Bool) {
        if let simple = parseSimple(text) { return ([simple], true) }
        let tokens = tokenize(text)
        var result: [MailboxAddress] = []
        var ok = true
        var segment: [Token] = []
        var pendingName: [Token] = []      // "Smith, John <j@x>" unquoted: the part before the comma
        func flush() {
            // Comments alone ("unlisted-recipients:; (no To-header on input)") carry no mailbox.
            if pendingName.isEmpty, segment.allSatisfy({ if case .comment = $0 { return true }; return false }) { segment = [] }
            guard !segment.isEmpty else { return }
            let hasAddress = segment.contains { if case .angle = $0 { return true }; if case .word(let w) = $0 { return w.utf8.contains(0x40) }; return false }
                || segment.contains { if case .special("@") = $0 { return true }; return false }
            if !hasAddress {
                // Maybe the first half of an unquoted "Last, First" display name.
                pendingName += segment + [.word(",")]
                segment = []
                return
            }
            if !pendingName.isEmpty, segment.contains(where: { if case .angle = $0 { return true }; return false }) {
                segment = pendingName + segment
            } else if !pendingName.isEmpty {
                ok = false
            }
            pendingName = []
            if let m = mailbox(segment) { result.append(m) } else { ok = false }
            segment = []
        }
        for t in tokens {
            switch t {
            case .special(","), .special(";"):
                flush()
            case .special(":"):
                // Group name: everything so far is the group's display name; drop it.
                if segment.contains(where: { if case .angle = $0 { return true }; return false }) { segment.append(t) }
                else { segment = []; pendingName = [] }
            default:
                segment.append(t)
            }
        }
        flush()
        if !pendingName.isEmpty { ok = false }
        return (result, ok)
    }

    /// The common single-mailbox forms ("a@b", "Name <a@b>") without quotes, comments, lists or
    /// encoded words, read directly from the bytes; nil sends the text to the full parser.
    static func parseSimple(_ text: String) -> MailboxAddress? {
        let u = text.utf8
        var lt: String.Index? = nil, gt: String.Index? = nil
        var prev: UInt8 = 0
        for i in u.indices {
            let c = u[i]
            switch c {
            case 0x22, 0x28, 0x29, 0x2C, 0x3B, 0x3A, 0x5C: return nil
            case 0x3F where prev == 0x3D: return nil
            case 0x3C: if lt != nil { return nil }; lt = i
            case 0x3E: if gt != nil { return nil }; gt = i
            default: break
            }
            prev = c
        }
        if let lt, let gt {
            guard lt < gt, text[text.index(after: gt)...].isBlank else { return nil }
            let addr = text[text.index(after: lt)..<gt].trimmedSpace()
            guard addr.utf8.contains(0x40), !addr.utf8.contains(0x20), addr.utf8.filter({ $0 == 0x40 }).count == 1 else { return nil }
            let name = text[..<lt].trimmedSpace()
            return MailboxAddress(name: name.isEmpty ? nil : String(name), address: String(addr))
        }
        guard lt == nil, gt == nil else { return nil }
        let addr = text.trimmedSpace()
        guard addr.utf8.filter({ $0 == 0x40 }).count == 1, !addr.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return nil }
        return MailboxAddress(name: nil, address: String(addr))
    }

    private static func mailbox(_ tokens: [Token]) -> MailboxAddress? {
        var nameParts: [String] = []
        var comments: [String] = []
        var address: String? = nil
        var addrParts: [String] = []
        for t in tokens {
            switch t {
            case .angle(let a):
                // Obsolete route "@a,@b:user@host".
                var a = Substring(a)
                if a.hasPrefix("@"), let colon = a.firstIndex(of: ":") { a = a[a.index(after: colon)...] }
                address = String(a.trimmedSpace())
            case .quoted(let q): if address == nil { nameParts.append(q) }
            case .comment(let c): comments.append(c)
            case .word(let w): if address == nil { nameParts.append(w) }
            case .special(let c): if address == nil { nameParts.append(String(c)) }
            }
        }
        var name: String?
        if let address {
            name = joinName(nameParts)
            if name == nil, let c = comments.first, !c.isEmpty { name = joinName([c]) }
            return MailboxAddress(name: name, address: address)
        }
        // No angle brackets: the addr-spec is the run of words around "@"; other words are a name.
        let joined = nameParts
        if let at = joined.lastIndex(where: { $0.utf8.contains(0x40) }) {
            if joined[at] == "@" {
                // local @ domain split into tokens
                let lo = max(0, at - 1), hi = min(joined.count - 1, at + 1)
                addrParts = Array(joined[lo...hi])
                let rest = Array(joined[..<lo]) + Array(joined[(hi + 1)...])
                name = joinName(rest)
            } else {
                addrParts = [joined[at]]
                name = joinName(Array(joined[..<at]) + Array(joined[(at + 1)...]))
            }
        } else {
            return nil
        }
        if name == nil, let c = comments.first, !c.isEmpty { name = joinName([c]) }
        var addr = addrParts.joined()
        if addr.hasPrefix("<") { addr.removeFirst() }
        if addr.hasSuffix(">") { addr.removeLast() }
        guard !addr.isEmpty else { return nil }
        // "a!b@host@relay" (old UUCP routing): the mailbox is what precedes the second "@".
        if let first = addr.firstIndex(of: "@"), let second = addr[addr.index(after: first)...].firstIndex(of: "@") {
            addr = String(addr[..<second])
        }
        return MailboxAddress(name: name, address: addr)
    }

    private static func joinName(_ parts: [String]) -> String? {
        var s = parts.filter { $0 != "," || parts.count > 1 }.joined(separator: " ")
        // Byte checks first: Foundation's string search is slow on Linux and most names need neither.
        if s.utf8.contains(0x2C) { s = s.replacingOccurrences(of: " , ", with: ", ") }
        s = String(s.trimmedSpace())
        if s.utf8.contains(0x3F), s.contains("=?") { s = EncodedWord.decode(Array(s.utf8)[...]).0 }
        while s.hasSuffix(",") { s.removeLast(); s = String(s.trimmedSpace()) }
        return s.isEmpty ? nil : s
    }

    private static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty { tokens.append(.word(String(word))); word = String.UnicodeScalarView() }
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\"":
                endWord()
                i += 1
                var q = String.UnicodeScalarView()
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    q.append(chars[i]); i += 1
                }
                i += 1
                tokens.append(.quoted(String(q)))
            case "(":
                endWord()
                var depth = 1
                i += 1
                var q = String.UnicodeScalarView()
                while i < chars.count, depth > 0 {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1; q.append(chars[i]); i += 1; continue }
                    if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1; if depth == 0 { break } }
                    q.append(chars[i]); i += 1
                }
                i += 1
                tokens.append(.comment(String(String(q).trimmedSpace())))
            case "<":
                endWord()
                i += 1
                var q = String.UnicodeScalarView()
                while i < chars.count, chars[i] != ">" {
                    if chars[i] == "(" {
                        // Comment inside the brackets: not part of the address.
                        var depth = 0
                        while i < chars.count {
                            if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1; if depth == 0 { i += 1; break } }
                            i += 1
                        }
                        continue
                    }
                    if chars[i] == "\"" {
                        // Quoted local part inside brackets.
                        q.append(chars[i]); i += 1
                        while i < chars.count, chars[i] != "\"" { q.append(chars[i]); i += 1 }
                        if i < chars.count { q.append(chars[i]); i += 1 }
                        continue
                    }
                    if chars[i] != " " && chars[i] != "\t" { q.append(chars[i]) }
                    i += 1
                }
                i += 1
                tokens.append(.angle(String(q)))
            case ",", ";", ":":
                endWord()
                tokens.append(.special(Character(c)))
                i += 1
            case " ", "\t", "\r", "\n":
                endWord()
                i += 1
            case ">":
                i += 1
            default:
                word.append(c)
                i += 1
            }
        }
        endWord()
        return tokens
    }
}
