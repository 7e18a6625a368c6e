#if canImport(Glibc)
import Glibc
#endif

/// Leaf bodies: transfer decoding, measuring parts left encoded, and charset decoding of text.
extension MessageParser {
    /// Leaves a base64 or quoted-printable leaf encoded (an attachment: nobody may ask for its
    /// bytes, and a big one decoded here would be held beside the raw message until it is
    /// stored); measures it instead, with the defects a decode would find. False when the
    /// content must be decoded now (another encoding).
    func keepEncoded(_ body: Range<Int>, entity: inout Entity, defects: inout [Defect]) -> Bool {
        let encoding = entity.transferEncoding
        guard encoding == "base64" || encoding == "quoted-printable" else { return false }
        var size = 0
        var clean = true
        if encoding == "base64" {
            (size, clean) = TransferDecoding.base64Size(buf[body])
        } else {
            clean = TransferDecoding.decode(buf[body], encoding: encoding) { size += $0.count }
        }
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
        guard !wide, let firstCR = bytes.firstIndex(of: 0x0D) else { return bytes }
        // Copied a line at a time into one buffer, from one CR to the next (memchr): a per-byte
        // loop, and before it an `append` per byte, were visible in the parse profile.
        let out = [UInt8](unsafeUninitializedCapacity: bytes.count) { o, written in
            var w = 0
            bytes.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress, let dst = o.baseAddress else { return }
                let n = p.count
                var i = 0
                var cr = firstCR - bytes.startIndex
                while true {
                    // Bytes i..<cr have no CR; then the CR itself unless a LF follows.
                    (dst + w).initialize(from: base + i, count: cr - i)
                    w += cr - i
                    guard cr < n else { break }
                    if cr + 1 >= n || base[cr + 1] != 0x0A { dst[w] = 0x0D; w += 1 }
                    i = cr + 1
                    if let hit = memchr(base + i, 0x0D, n - i) {
                        cr = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    } else {
                        cr = n
                    }
                }
            }
            written = w
        }
        return out[...]
    }
}
