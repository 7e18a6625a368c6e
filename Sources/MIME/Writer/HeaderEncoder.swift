import Foundation

/// Header fields as they go on the wire: RFC 2047 encoded words for text that is not plain
/// ASCII, RFC 2231 for parameter values, and folding so no line passes 78 octets where a fold is
/// possible (never 998). Every value here re-parses with `MessageParser` to the text given.
enum HeaderEncoder {
    static let foldWidth = 78
    /// An encoded word is at most 75 characters: "=?UTF-8?B?" + 60 base64 characters + "?=".
    static let wordPayloadBytes = 45

    /// "Name: atom atom" with a fold (CRLF + space) before any atom that would pass the width.
    /// Atoms never contain a space that may be folded; empty atoms keep runs of spaces.
    static func fold(_ name: String, _ atoms: [String]) -> String {
        var lines: [String] = []
        var line = name + ":"
        var lineBytes = line.utf8.count
        for atom in atoms {
            let size = atom.utf8.count
            if !atom.isEmpty, lineBytes + 1 + size > foldWidth, lineBytes > name.utf8.count + 1 {
                lines.append(line)
                line = ""
                lineBytes = 0
            }
            line += " " + atom
            lineBytes += 1 + size
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    // MARK: - Unstructured text (Subject, extra headers)

    /// Atoms for unstructured text: plain ASCII words as they are, runs of words that need it as
    /// encoded words (the spaces inside a run go inside the words, since a decoder drops the
    /// space between two adjacent words).
    static func unstructured(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        // Leading or trailing blanks would be trimmed by any reader unless they are encoded.
        if let f = text.unicodeScalars.first, let l = text.unicodeScalars.last, isBlank(f) || isBlank(l) {
            return encodedWords(text)
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        var atoms: [String] = []
        var run: [Substring] = []
        var pendingEmpty = 0
        func flush() {
            guard !run.isEmpty else { return }
            atoms += encodedWords(run.joined(separator: " "))
            run = []
        }
        for word in words {
            if word.isEmpty {
                if run.isEmpty { atoms.append("") } else { pendingEmpty += 1 }
                continue
            }
            if needsEncoding(word) {
                if !run.isEmpty { run += Array(repeating: "", count: pendingEmpty) }
                else { atoms += Array(repeating: "", count: pendingEmpty) }
                pendingEmpty = 0
                run.append(word)
            } else {
                flush()
                atoms += Array(repeating: "", count: pendingEmpty)
                pendingEmpty = 0
                atoms.append(String(word))
            }
        }
        flush()
        atoms += Array(repeating: "", count: pendingEmpty)
        return atoms
    }

    static func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\n" }

    /// A word that cannot go as is: 8-bit or control characters, something a reader would take
    /// for an encoded word, or too long to fold.
    static func needsEncoding<S: StringProtocol>(_ word: S) -> Bool {
        if word.utf8.count > 76 { return true }
        var previous: UInt8 = 0
        for b in word.utf8 {
            if b < 0x20 || b > 0x7E { return true }
            if previous == 0x3D && b == 0x3F { return true }
            previous = b
        }
        return false
    }

    /// UTF-8 B-encoded words, each ≤ 75 characters, split between characters (between scalars
    /// only for a character longer than one word).
    static func encodedWords(_ text: String) -> [String] {
        var chunks: [[UInt8]] = []
        var chunk: [UInt8] = []
        func add(_ bytes: [UInt8]) {
            if chunk.count + bytes.count > wordPayloadBytes, !chunk.isEmpty { chunks.append(chunk); chunk = [] }
            chunk += bytes
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= wordPayloadBytes { add(bytes); continue }
            for scalar in character.unicodeScalars { add(Array(String(scalar).utf8)) }
        }
        if !chunk.isEmpty { chunks.append(chunk) }
        return chunks.map { "=?UTF-8?B?" + TransferEncoder.base64Line($0) + "?=" }
    }

    // MARK: - Addresses

    /// RFC 5322 atext besides letters and digits.
    static let atextSpecials = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    static func isAtext(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || atextSpecials.contains(b)
    }

    /// A display name: a plain phrase, a quoted string, or encoded words.
    static func phrase(_ name: String) -> [String] {
        let bytes = Array(name.utf8)
        let plain = !bytes.isEmpty && bytes.first != 0x20 && bytes.last != 0x20 && !name.contains("  ")
            && bytes.allSatisfy { isAtext($0) || $0 == 0x20 } && !name.contains("=?")
        if plain { return name.split(separator: " ").map(String.init) }
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } && !name.contains("=?")
        if printable, bytes.count <= 60 {
            var quoted = "\""
            for c in name.unicodeScalars {
                if c == "\"" || c == "\\" { quoted += "\\" }
                quoted.unicodeScalars.append(c)
            }
            return [quoted + "\""]
        }
        return encodedWords(name)
    }

    /// `Name <local@domain>` atoms, or just the address.
    static func mailbox(_ address: MailboxAddress) -> [String] {
        let addr = "<" + addrSpec(address.address) + ">"
        guard let name = address.name, !name.isEmpty else { return [addr] }
        return phrase(name) + [addr]
    }

    /// The address, with its local part quoted when it is not a dot-atom.
    static func addrSpec(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address }
        let local = address[..<at]
        let dotAtom = !local.isEmpty && !local.hasPrefix(".") && !local.hasSuffix(".") && !local.contains("..")
            && local.utf8.allSatisfy { isAtext($0) || $0 == 0x2E || $0 >= 0x80 }
        if dotAtom { return address }
        var quoted = "\""
        for c in local.unicodeScalars {
            if c == "\"" || c == "\\" { quoted += "\\" }
            quoted.unicodeScalars.append(c)
        }
        return quoted + "\"" + address[at...]
    }

    /// An address list, commas after all but the last mailbox.
    static func addressList(_ list: [MailboxAddress]) -> [String] {
        var atoms: [String] = []
        for (i, a) in list.enumerated() {
            var m = mailbox(a)
            if i < list.count - 1 { m[m.count - 1] += "," }
            atoms += m
        }
        return atoms
    }

    // MARK: - Parameters (Content-Type, Content-Disposition)

    /// RFC 2045 tspecials.
    static let tspecials = Set("()<>@,;:\\\"/[]?=".utf8)

    /// `name=value` atoms: a token, a quoted string, or RFC 2231 (`name*=utf-8''…`, in
    /// continuations `name*0*=`, `name*1*=` when long).
    static func parameter(_ name: String, _ value: String) -> [String] {
        let bytes = Array(value.utf8)
        if !bytes.isEmpty, bytes.count <= 60, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !tspecials.contains($0) }) {
            return ["\(name)=\(value)"]
        }
        if bytes.count <= 60, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), !value.contains("=?") {
            var quoted = ""
            for b in bytes {
                if b == 0x22 || b == 0x5C { quoted += "\\" }
                quoted.unicodeScalars.append(Unicode.Scalar(b))
            }
            return ["\(name)=\"\(quoted)\""]
        }
        // Percent-encoded pieces, never splitting a %XX.
        let hex = Array("0123456789ABCDEF".utf8)
        var pieces: [String] = []
        var piece: [UInt8] = []
        let pieceLimit = 40
        for b in bytes {
            let plain = b > 0x20 && b < 0x7F && !tspecials.contains(b) && b != 0x2A && b != 0x27 && b != 0x25
            let encoded: [UInt8] = plain ? [b] : [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
            if piece.count + encoded.count > pieceLimit { pieces.append(String(decoding: piece, as: UTF8.self)); piece = [] }
            piece += encoded
        }
        pieces.append(String(decoding: piece, as: UTF8.self))
        if pieces.count == 1 { return ["\(name)*=utf-8''\(pieces[0])"] }
        return pieces.enumerated().map { i, p in i == 0 ? "\(name)*0*=utf-8''\(p)" : "\(name)*\(i)*=\(p)" }
    }

    /// "type/subtype; a=b; c=d" as atoms.
    static func valueWithParameters(_ value: String, _ parameters: [(String, String)]) -> [String] {
        var atoms = [value]
        for (name, v) in parameters {
            // Each RFC 2231 continuation is a parameter of its own, so each gets its ";".
            for piece in parameter(name, v) {
                atoms[atoms.count - 1] += ";"
                atoms.append(piece)
            }
        }
        return atoms
    }

    // MARK: - Dates and IDs

    /// "Mon, 07 Dec 2026 14:22:21 +0000".
    static func date(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ v: Int32, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(days[Int(tm.tm_wday)]), \(pad(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(pad(tm.tm_year + 1900, 4)) "
            + "\(pad(tm.tm_hour)):\(pad(tm.tm_min)):\(pad(tm.tm_sec)) +0000"
    }

    /// A Message-ID fit to write: printable ASCII without spaces or brackets, bounded.
    static func isWritableID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 900 && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x3C && $0 != 0x3E }
    }
}
