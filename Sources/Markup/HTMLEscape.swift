/// HTML's markup characters as entities: the one definition behind the templates' HTML values
/// (Ticketing) and the relayed agent HTML's text and attribute values (MIME), which cannot
/// import each other.
public enum HTMLEscape {
    /// `&`, `<` and `>` always; `"` and `'` too with `quotes` (needed inside attribute values).
    public static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
