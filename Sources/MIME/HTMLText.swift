/// Readable text from an HTML body: paragraphs and line breaks kept, lists as "- " items, links
/// as "text (url)", blockquotes as "> " lines, entities decoded, style/script/head dropped.
/// A small tag scanner, not a browser: it never fails, whatever the markup.
enum HTMLText {
    static func convert(_ html: String) -> String {
        var w = Writer()
        let u = Array(html.utf8)
        let n = u.count
        var i = 0
        var skipUntil: [UInt8]? = nil      // closing tag name whose content is dropped
        var pre = 0
        var links: [String?] = []
        var linkTextStart: [Int] = []
        while i < n {
            let c = u[i]
            if c == 0x3C, i + 1 < n, Self.startsTag(u[i + 1]) { // "<" followed by a tag name, "/" or "!"
                // Comments, doctype, CDATA.
                if i + 3 < n, u[i + 1] == 0x21, u[i + 2] == 0x2D, u[i + 3] == 0x2D {
                    i = find(u, [0x2D, 0x2D, 0x3E], from: i + 4).map { $0 + 3 } ?? n
                    continue
                }
                guard let close = u[i...].firstIndex(of: 0x3E) else { w.text(u[i..<n], pre: pre > 0); break }
                let tag = parseTag(u[(i + 1)..<close])
                i = close + 1
                if let skip = skipUntil {
                    if tag.closing && tag.name == skip { skipUntil = nil }
                    continue
                }
                switch tag.name {
                case [0x73, 0x74, 0x79, 0x6C, 0x65], [0x73, 0x63, 0x72, 0x69, 0x70, 0x74], [0x68, 0x65, 0x61, 0x64], [0x74, 0x69, 0x74, 0x6C, 0x65]:
                    if !tag.closing && !tag.selfClosing { skipUntil = tag.name }   // style, script, head, title
                case [0x62, 0x72]: w.lineBreak()                                    // br
                case [0x70], [0x68, 0x31], [0x68, 0x32], [0x68, 0x33], [0x68, 0x34], [0x68, 0x35], [0x68, 0x36]:
                    w.paragraph()
                case [0x64, 0x69, 0x76], [0x74, 0x72], [0x74, 0x61, 0x62, 0x6C, 0x65], [0x75, 0x6C], [0x6F, 0x6C],
                     [0x73, 0x65, 0x63, 0x74, 0x69, 0x6F, 0x6E], [0x61, 0x72, 0x74, 0x69, 0x63, 0x6C, 0x65],
                     [0x68, 0x65, 0x61, 0x64, 0x65, 0x72], [0x66, 0x6F, 0x6F, 0x74, 0x65, 0x72], [0x64, 0x6C], [0x64, 0x74], [0x64, 0x64]:
                    w.block()
                case [0x68, 0x72]: w.block(); w.raw("----"); w.block()             // hr
                case [0x6C, 0x69]:                                                 // li
                    if !tag.closing { w.block(); w.raw("- ") }
                case [0x74, 0x64], [0x74, 0x68]:                                   // td, th
                    if !tag.closing { w.space() }
                case [0x70, 0x72, 0x65]:                                           // pre
                    w.block()
                    pre = tag.closing ? max(0, pre - 1) : pre + 1
                case [0x62, 0x6C, 0x6F, 0x63, 0x6B, 0x71, 0x75, 0x6F, 0x74, 0x65]:  // blockquote
                    w.block()
                    w.quoteDepth = tag.closing ? max(0, w.quoteDepth - 1) : min(w.quoteDepth + 1, 20)
                case [0x61]:                                                       // a
                    if tag.closing {
                        if let href = links.popLast() ?? nil, let start = linkTextStart.popLast() {
                            let shown = String(decoding: w.out[min(start, w.out.count)...], as: UTF8.self)
                            if !href.isEmpty, !href.hasPrefix("#"), !shown.isBlank, String(shown.trimmedSpace()) != href,
                               !(href.hasPrefix("mailto:") && shown.contains(href.dropFirst(7))) {
                                w.raw(" (\(href))")
                            }
                        } else { _ = linkTextStart.popLast() }
                    } else if !tag.selfClosing, links.count < 100 {
                        links.append(tag.href.map { decodeEntities($0) })
                        linkTextStart.append(w.out.count)
                    }
                case [0x69, 0x6D, 0x67]:                                           // img
                    if let alt = tag.alt, !alt.isEmpty { w.text(Array(("[" + alt + "]").utf8)[...], pre: false) }
                default: break
                }
                continue
            }
            // Text run up to the next tag.
            var j = i + 1
            while j < n, !(u[j] == 0x3C && j + 1 < n && Self.startsTag(u[j + 1])) { j += 1 }
            if skipUntil == nil { w.text(u[i..<j], pre: pre > 0) }
            i = j
        }
        // Links never closed still show their target.
        while let href = links.popLast() {
            if let href, !href.isEmpty, !href.hasPrefix("#") { w.raw(" (\(href))") }
        }
        return w.finish()
    }

    @inline(__always) static func startsTag(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == 0x2F || b == 0x21 || b == 0x3F
    }

    /// text/enriched (RFC 1896) and the older text/richtext: drop the formatting commands, keep
    /// "<<" as "<", and turn richtext's <nl> into a line break.
    static func stripEnriched(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if after.first == "<" { out += "<"; rest = after.dropFirst(); continue }
            guard let close = after.firstIndex(of: ">") else { out += rest[open...]; rest = ""; break }
            let tag = after[..<close].lowercased()
            if tag == "nl" || tag == "/paragraph" || tag == "np" { out += "\n" }
            rest = after[after.index(after: close)...]
        }
        out += rest
        return String(out.trimmedSpace())
    }

    struct Tag {
        var name: [UInt8] = []
        var closing = false
        var selfClosing = false
        var href: String?
        var alt: String?
    }

    static func parseTag(_ s: ArraySlice<UInt8>) -> Tag {
        var t = Tag()
        var i = s.startIndex
        if i < s.endIndex, s[i] == 0x2F { t.closing = true; i += 1 }
        let start = i
        while i < s.endIndex, s[i] != 0x20, s[i] != 0x09, s[i] != 0x0A, s[i] != 0x0D, s[i] != 0x2F, s[i] != 0x3E { i += 1 }
        t.name = s[start..<i].map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        if let last = s.last, last == 0x2F { t.selfClosing = true }
        if t.name == [0x61] || t.name == [0x69, 0x6D, 0x67] {
            let attrs = String(decoding: s[i...], as: UTF8.self)
            t.href = attribute("href", in: attrs)
            t.alt = attribute("alt", in: attrs)
        }
        return t
    }

    static func attribute(_ name: String, in attrs: String) -> String? {
        let lower = attrs.lowercased()
        var search = lower.startIndex
        while let r = lower.range(of: name, range: search..<lower.endIndex) {
            search = r.upperBound
            if r.lowerBound > lower.startIndex, let p = lower[..<r.lowerBound].last, !p.isWhitespace { continue }
            var k = r.upperBound
            while k < lower.endIndex, lower[k].isWhitespace { k = lower.index(after: k) }
            guard k < lower.endIndex, lower[k] == "=" else { continue }
            k = lower.index(after: k)
            while k < lower.endIndex, lower[k].isWhitespace { k = lower.index(after: k) }
            guard k < lower.endIndex else { return nil }
            // Same indices in the original (lowercasing ASCII keeps offsets for these names).
            let offset = lower.distance(from: lower.startIndex, to: k)
            let orig = attrs.index(attrs.startIndex, offsetBy: offset, limitedBy: attrs.endIndex) ?? attrs.endIndex
            let quote = attrs[orig]
            if quote == "\"" || quote == "'" {
                let after = attrs.index(after: orig)
                let end = attrs[after...].firstIndex(of: quote) ?? attrs.endIndex
                return String(attrs[after..<end])
            }
            let end = attrs[orig...].firstIndex { $0.isWhitespace || $0 == ">" } ?? attrs.endIndex
            return String(attrs[orig..<end])
        }
        return nil
    }

    static func find(_ u: [UInt8], _ pattern: [UInt8], from: Int) -> Int? {
        guard pattern.count > 0, from + pattern.count <= u.count else { return nil }
        var i = from
        while i + pattern.count <= u.count {
            if u[i] == pattern[0], u[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var w = Writer()
        w.text(Array(s.utf8)[...], pre: true)
        return String(decoding: w.out, as: UTF8.self)
    }

    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®",
        "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "sect": "§", "deg": "°", "plusmn": "±",
        "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "laquo": "«", "raquo": "»", "bull": "•", "middot": "·", "times": "×", "divide": "÷", "shy": "",
        "zwnj": "", "zwj": "", "thinsp": " ", "ensp": " ", "emsp": " ", "iexcl": "¡", "iquest": "¿",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "euml": "ë", "aacute": "á", "agrave": "à", "acirc": "â",
        "atilde": "ã", "aring": "å", "aelig": "æ", "ccedil": "ç", "iacute": "í", "igrave": "ì", "icirc": "î",
        "iuml": "ï", "ntilde": "ñ", "oacute": "ó", "ograve": "ò", "ocirc": "ô", "otilde": "õ", "oslash": "ø",
        "uacute": "ú", "ugrave": "ù", "ucirc": "û", "yacute": "ý", "yuml": "ÿ", "Eacute": "É", "Egrave": "È",
        "Aacute": "Á", "Agrave": "À", "Ccedil": "Ç", "Ntilde": "Ñ", "Oslash": "Ø", "Aring": "Å", "AElig": "Æ",
        "rarr": "→", "larr": "←", "uarr": "↑", "darr": "↓", "hearts": "♥", "check": "✓", "bdquo": "„", "sbquo": "‚",
        "lsaquo": "‹", "rsaquo": "›", "dagger": "†", "Dagger": "‡", "permil": "‰", "prime": "′", "Prime": "″",
        "para": "¶", "frac12": "½", "frac14": "¼", "frac34": "¾", "sup2": "²", "sup3": "³", "micro": "µ",
        "not": "¬", "macr": "¯", "acute": "´", "cedil": "¸", "ordf": "ª", "ordm": "º", "brvbar": "¦", "uml": "¨",
        "curren": "¤", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "pi": "π", "mu": "μ", "Omega": "Ω",
        "infin": "∞", "ne": "≠", "le": "≤", "ge": "≥", "asymp": "≈", "minus": "−", "lowast": "∗", "radic": "√",
        "spades": "♠", "clubs": "♣", "diams": "♦", "loz": "◊", "oline": "‾", "frasl": "⁄", "hyphen": "‐",
        "Iacute": "Í", "Oacute": "Ó", "Uacute": "Ú", "Ecirc": "Ê", "Acirc": "Â", "Ocirc": "Ô", "Ucirc": "Û",
        "Icirc": "Î", "Euml": "Ë", "Iuml": "Ï", "Atilde": "Ã", "Otilde": "Õ", "Yacute": "Ý", "thorn": "þ",
        "THORN": "Þ", "eth": "ð", "ETH": "Ð", "scaron": "š", "Scaron": "Š", "zcaron": "ž", "Zcaron": "Ž",
        "oelig": "œ", "OElig": "Œ", "Yuml": "Ÿ", "circ": "ˆ", "tilde": "˜", "lrm": "", "rlm": "", "ZeroWidthSpace": "",
    ]

    /// Accumulates output bytes with HTML whitespace rules: runs of white space collapse to one
    /// space, block boundaries become line breaks, and blockquote lines get "> ".
    struct Writer {
        var out: [UInt8] = []
        var pendingSpace = false
        var pendingBreaks = 0          // line breaks owed before the next text
        var atLineStart = true
        var quoteDepth = 0

        mutating func lineBreak() { pendingBreaks = max(pendingBreaks, 0) + 1; pendingSpace = false; flushBreaks(force: true) }
        mutating func block() { if !out.isEmpty { pendingBreaks = max(pendingBreaks, 1) }; pendingSpace = false }
        mutating func paragraph() { if !out.isEmpty { pendingBreaks = max(pendingBreaks, 2) }; pendingSpace = false }
        mutating func space() { if !atLineStart { pendingSpace = true } }

        mutating func flushBreaks(force: Bool = false) {
            while pendingBreaks > 0 {
                if atLineStart && quoteDepth > 0 && !force { emitQuote() }
                out.append(0x0A)
                atLineStart = true
                pendingBreaks -= 1
            }
        }

        mutating func emitQuote() {
            for _ in 0..<quoteDepth { out.append(0x3E) }
            out.append(0x20)
        }

        mutating func beginText() {
            flushBreaks()
            if atLineStart {
                if quoteDepth > 0 { emitQuote() }
                atLineStart = false
                pendingSpace = false
            } else if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
        }

        mutating func raw(_ s: String) {
            beginText()
            out += Array(s.utf8)
        }

        mutating func text(_ s: ArraySlice<UInt8>, pre: Bool) {
            var i = s.startIndex
            while i < s.endIndex {
                let c = s[i]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                    if pre {
                        if c == 0x0A { pendingBreaks += 1; flushBreaks() } else if c != 0x0D { beginText(); out.append(c) }
                    } else if !atLineStart || pendingBreaks == 0 { pendingSpace = !atLineStart || pendingSpace }
                    i += 1
                    continue
                }
                beginText()
                if c == 0x26, let (decoded, len) = entity(s, at: i) {
                    out += decoded
                    i += len
                    continue
                }
                out.append(c)
                i += 1
            }
        }

        func entity(_ s: ArraySlice<UInt8>, at i: Int) -> ([UInt8], Int)? {
            var j = i + 1
            while j < s.endIndex, j - i < 12, s[j] != 0x3B, s[j] != 0x20, s[j] != 0x26, s[j] != 0x3C { j += 1 }
            let hasSemi = j < s.endIndex && s[j] == 0x3B
            let name = String(decoding: s[(i + 1)..<j], as: UTF8.self)
            let len = j - i + (hasSemi ? 1 : 0)
            if name.hasPrefix("#") {
                let digits = name.dropFirst()
                let v: UInt32? = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                guard let v else { return nil }
                let scalar = Unicode.Scalar(v == 0 ? 0xFFFD : v) ?? "\u{FFFD}"
                return (Array(String(Character(scalar == "\u{A0}" ? " " : scalar)).utf8), len)
            }
            guard hasSemi || ["amp", "lt", "gt", "quot", "nbsp"].contains(name), let e = HTMLText.entities[name] else { return nil }
            return (Array(e.utf8), len)
        }

        mutating func finish() -> String {
            // Trim trailing spaces on lines and collapse 3+ newlines.
            var result = [UInt8]()
            result.reserveCapacity(out.count)
            var newlines = 0
            for c in out {
                if c == 0x0A {
                    while let l = result.last, l == 0x20 { result.removeLast() }
                    newlines += 1
                    if newlines <= 2 { result.append(c) }
                } else {
                    newlines = 0
                    result.append(c)
                }
            }
            while let l = result.last, l == 0x0A || l == 0x20 { result.removeLast() }
            while let f = result.first, f == 0x0A || f == 0x20 { result.removeFirst() }
            return String(decoding: result, as: UTF8.self)
        }
    }
}
