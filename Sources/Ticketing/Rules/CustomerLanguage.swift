/// The language a customer is written to in: the customers list, else the message's
/// `Content-Language`, else its `Accept-Language` (highest q), else the queue's default.
/// Kept as the lowercased primary subtag (`de-AT` → `de`), what templates are chosen by.
public enum CustomerLanguage {
    public static func resolve(profile: CustomerProfile?, headers: [HeaderField], queueDefault: String?) -> (language: String?, source: String) {
        if let language = profile?.language.flatMap(primary) { return (language, "customers") }
        if let header = headers.first("Content-Language"),
           let language = header.split(separator: ",").lazy.compactMap({ primary(String($0)) }).first {
            return (language, "Content-Language")
        }
        if let header = headers.first("Accept-Language"), let language = best(acceptLanguage: header) {
            return (language, "Accept-Language")
        }
        if let language = queueDefault.flatMap(primary) { return (language, "queue") }
        return (nil, "none")
    }

    /// `de-AT` → `de`; nil for `*`, empty or non-letter tags.
    static func primary(_ tag: String) -> String? {
        let head = tag.split(separator: ";").first.map { $0.trimmingWhitespace() } ?? ""
        let sub = head.split(separator: "-").first.map(String.init) ?? ""
        guard (2...8).contains(sub.count), sub.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return nil }
        return sub.lowercased()
    }

    /// The tag with the highest q (the first of equals) in `de-DE,de;q=0.9,en;q=0.8`.
    static func best(acceptLanguage header: String) -> String? {
        var bestTag: String?
        var bestQ = -1.0
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let tag = parts.first.flatMap({ primary(String($0)) }) else { continue }
            var q = 1.0
            for p in parts.dropFirst() {
                let kv = p.trimmingWhitespace()
                if kv.hasPrefix("q="), let value = Double(kv.dropFirst(2)) { q = value }
            }
            if q > bestQ && q > 0 { bestQ = q; bestTag = tag }
        }
        return bestTag
    }
}
