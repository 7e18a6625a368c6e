/// A structured header value with parameters: `Content-Type` and `Content-Disposition`.
/// Handles quoted strings, RFC 2231 (`name*=utf-8''...`, continuations `name*0*`), and the RFC 2047
/// words and raw UTF-8 that mailers put in file names anyway.
struct HeaderParameters: Sendable {
    /// The value before the first ";", lowercased and trimmed ("text/plain", "attachment").
    var value: String
    /// Parameters in order, names lowercased, values decoded.
    var parameters: [(name: String, value: String)]
    var problems: EncodedWord.Problems = []
    var malformed = false

    subscript(name: String) -> String? { parameters.first { $0.name == name }?.value }

    init(_ raw: ArraySlice<UInt8>, fallbackCharset: String? = nil) {
        var i = raw.startIndex
        let end = raw.endIndex
        // Main value.
        let vStart = i
        while i < end, raw[i] != 0x3B { i += 1 }
        var mainEnd = i
        // "text/plain charset=utf-8" (missing ";"): cut the value at the first space before a "=".
        if let sp = raw[vStart..<mainEnd].firstIndex(where: { $0 == 0x20 || $0 == 0x09 }),
           raw[sp..<mainEnd].contains(0x3D), !raw[vStart..<sp].contains(0x3D) {
            malformed = true
            mainEnd = sp
            i = sp
        }
        value = Self.trimmed(raw[vStart..<mainEnd]).lowercased()
        var plain: [(String, ArraySlice<UInt8>, Bool)] = []   // name, raw value, was quoted
        while i < end {
            // Real headers carry a handful of parameters; thousands are an attack on the lookups below.
            if plain.count >= 256 { malformed = true; break }
            // Skip separators.
            while i < end, raw[i] == 0x3B || EncodedWord.isSpace(raw[i]) { i += 1 }
            guard i < end else { break }
            let nStart = i
            while i < end, raw[i] != 0x3D, raw[i] != 0x3B { i += 1 }
            let name = Self.trimmed(raw[nStart..<i]).lowercased()
            guard i < end, raw[i] == 0x3D else {
                if !name.isEmpty { malformed = true }
                continue
            }
            i += 1
            while i < end, raw[i] == 0x20 || raw[i] == 0x09 { i += 1 }
            if i < end, raw[i] == 0x22 {
                // Quoted string with backslash escapes; an unterminated one runs to the end.
                i += 1
                var bytes = [UInt8]()
                while i < end, raw[i] != 0x22 {
                    if raw[i] == 0x5C, i + 1 < end { i += 1 }
                    bytes.append(raw[i])
                    i += 1
                }
                if i < end { i += 1 } else { malformed = true }
                // Anything up to the next ";" after the closing quote is noise.
                while i < end, raw[i] != 0x3B { i += 1 }
                if !name.isEmpty { plain.append((name, bytes[...], true)) }
            } else {
                let s = i
                while i < end, raw[i] != 0x3B { i += 1 }
                var e = i
                while e > s, EncodedWord.isSpace(raw[e - 1]) { e -= 1 }
                if !name.isEmpty { plain.append((name, raw[s..<e], false)) }
            }
        }
        parameters = []
        parameters.reserveCapacity(plain.count)
        // RFC 2231 pieces grouped by base name.
        var extended: [String: [(index: Int, encoded: Bool, bytes: ArraySlice<UInt8>)]] = [:]
        var order: [String] = []
        for (name, bytes, _) in plain {
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                let rest = name[name.index(after: star)...]
                var index = 0
                var encoded = false
                if rest.isEmpty { encoded = true }
                else {
                    var digits = rest
                    if digits.hasSuffix("*") { encoded = true; digits = digits.dropLast() }
                    guard let n = Int(digits), n >= 0, n < 1000 else { malformed = true; continue }
                    index = n
                }
                if extended[base] == nil { order.append(base) }
                extended[base, default: []].append((index, encoded, bytes))
            } else if !parameters.contains(where: { $0.name == name }) {
                let (text, p) = EncodedWord.decode(bytes, fallbackCharset: fallbackCharset)
                problems.formUnion(p)
                parameters.append((name, text))
            }
        }
        for base in order {
            guard let pieces = extended[base]?.sorted(by: { $0.index < $1.index }) else { continue }
            var charset: String? = nil
            var data = [UInt8]()
            for (n, piece) in pieces.enumerated() {
                var bytes = piece.bytes
                if piece.encoded {
                    if n == 0 {
                        // charset'language'value
                        let parts = bytes.split(separator: 0x27, maxSplits: 2, omittingEmptySubsequences: false)
                        if parts.count == 3 {
                            let cs = String(decoding: parts[0], as: UTF8.self)
                            charset = cs.isEmpty ? nil : cs
                            bytes = parts[2]
                        }
                    }
                    data += Self.percentDecoded(bytes)
                } else {
                    data += bytes
                }
            }
            let text: String
            if let charset {
                let d = Charset.decode(data, label: charset)
                if d.unknown { problems.insert(.unknownCharset) }
                if d.lossy { problems.insert(.lossy) }
                text = d.text
            } else {
                let (t, p) = EncodedWord.decode(data[...], fallbackCharset: fallbackCharset)
                problems.formUnion(p)
                text = t
            }
            // The RFC 2231 form wins over a plain one of the same name.
            parameters.removeAll { $0.name == base }
            parameters.append((base, text))
        }
    }

    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x25, i + 2 < bytes.endIndex,
               let h = TransferDecoding.hexValue(bytes[i + 1]), let l = TransferDecoding.hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var lo = bytes.startIndex, hi = bytes.endIndex
        while lo < hi, EncodedWord.isSpace(bytes[lo]) || bytes[lo] == 0x22 { lo += 1 }
        while hi > lo, EncodedWord.isSpace(bytes[hi - 1]) || bytes[hi - 1] == 0x22 { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}
