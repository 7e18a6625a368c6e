/// Subject-line text rules: reply/forward prefixes in many languages, width folding, spacing.
public enum SubjectLine {
    /// Reply and forward markers clients put in front of a subject, lowercased, without the colon.
    /// English, German, Scandinavian, Dutch, French, Spanish, Italian, Polish, Turkish, Russian, Chinese...
    static let replyMarkers: Set<String> = [
        "re", "aw", "sv", "vs", "antw", "antwort", "rif", "r", "odp", "ynt", "vá", "atb", "bls",
        "отв", "ответ", "回复", "回覆", "答复", "答覆", "返信",
    ]
    static let forwardMarkers: Set<String> = [
        "fw", "fwd", "wg", "tr", "rv", "enc", "i", "doorst", "vl", "vb", "pd", "fs", "ilt",
        "пересл", "переслать", "转发", "轉寄", "転送",
    ]

    /// The subject without leading reply/forward markers, however stacked: `Re: RE : Fwd: AW: Ответ: x` → `x`.
    /// Also `Re[2]:`, `Re^2:`, `Re(2):` and full-width colons. The rest of the subject is untouched.
    public static func normalised(_ subject: String) -> String {
        var rest = Substring(collapsingSpaces(subject))
        for _ in 0..<32 {
            guard let (_, after) = leadingMarker(rest) else { break }
            rest = after
        }
        return String(rest).trimmingWhitespace()
    }

    /// True when the first marker on the subject is a forward (`Fwd:`, `FW:`, `WG:`, `TR:`...).
    public static func isForward(_ subject: String) -> Bool {
        guard let (marker, _) = leadingMarker(Substring(collapsingSpaces(subject))) else { return false }
        return forwardMarkers.contains(marker)
    }

    /// True when the subject starts with a reply marker (`Re:`, `AW:`, `Ответ:`...).
    public static func isReply(_ subject: String) -> Bool {
        guard let (marker, _) = leadingMarker(Substring(collapsingSpaces(subject))) else { return false }
        return replyMarkers.contains(marker)
    }

    /// The marker at the start of `text` (lowercased) and what follows it, or nil.
    static func leadingMarker(_ text: Substring) -> (String, Substring)? {
        // No colon at all (most subjects): no marker, without walking Characters.
        guard text.utf8.contains(where: { $0 == 0x3A || $0 == 0xEF }) else { return nil }  // ":" or the lead byte of "："
        let trimmed = text.drop(while: { $0.isWhitespace })
        guard let colon = trimmed.prefix(24).firstIndex(where: { $0 == ":" || $0 == "：" }) else { return nil }
        var word = String(trimmed[..<colon]).trimmingWhitespace().lowercased()
        // Counters some clients add: Re[2], Re^2, Re(2).
        if let open = word.firstIndex(where: { $0 == "[" || $0 == "(" || $0 == "^" }) {
            let counter = word[word.index(after: open)...].filter { $0 != "]" && $0 != ")" }
            guard !counter.isEmpty, counter.allSatisfy(\.isNumber) else { return nil }
            word = String(word[..<open]).trimmingWhitespace()
        }
        guard replyMarkers.contains(word) || forwardMarkers.contains(word) else { return nil }
        return (word, trimmed[trimmed.index(after: colon)...])
    }

    /// Folds full-width ASCII forms (`＃`, `［`, `１`) and the ideographic space to their ASCII twins,
    /// one scalar for one scalar so offsets stay valid in the original.
    static func foldWidth(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0xFF01...0xFF5E: return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
        case 0x3000: return " "
        default: return scalar
        }
    }

    /// Runs of whitespace (tabs and folded line breaks included) become one space; ends are trimmed.
    public static func collapsingSpaces(_ text: String) -> String {
        // Most subjects are already collapsed ASCII: return them as they are.
        var clean = true
        var previousWasSpace = true  // a leading space is not clean
        for byte in text.utf8 {
            let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if byte >= 0x80 || (isSpace && (previousWasSpace || byte != 0x20)) {
                clean = false
                break
            }
            previousWasSpace = isSpace
        }
        if clean && !previousWasSpace { return text }
        // Scalar by scalar (not Character by Character: grapheme breaking was most of the cost).
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isSpaceLike {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
        return String(out)
    }
}
