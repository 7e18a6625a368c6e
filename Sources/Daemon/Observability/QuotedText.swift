/// Backslash-escaped text, as the daemon writes it in three places: logfmt values in log lines,
/// JSON strings and Prometheus label values. All three escape `"`, `\` and line feed alike; they
/// differ in what else they escape, which `escape` decides (nil keeps the scalar as it is).
/// Hostile text (subjects, server replies) passes through here, so there is one loop to trust.
enum QuotedText {
    static func append(_ text: String, to out: inout String, escape: (Unicode.Scalar) -> String? = { _ in nil }) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if let escaped = escape(scalar) { out += escaped } else { out.unicodeScalars.append(scalar) }
            }
        }
    }

    /// `\r` and `\t` by name, the other controls as `prefix` and `digits` lowercase hex digits.
    static func controls(prefix: String, digits: Int, includingDelete: Bool) -> @Sendable (Unicode.Scalar) -> String? {
        { scalar in
            switch scalar {
            case "\r": return "\\r"
            case "\t": return "\\t"
            case _ where scalar.value < 0x20 || (includingDelete && scalar.value == 0x7F):
                let hex = String(scalar.value, radix: 16)
                return prefix + String(repeating: "0", count: max(0, digits - hex.count)) + hex
            default: return nil
            }
        }
    }
}
