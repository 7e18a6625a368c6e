/// A piece of template text that templates use by name, resolved when the templates are loaded:
/// `{{> name}}` inserts it; `{{< name}}…{{/name}}` wraps the template in it as a layout, the
/// template filling the layout's `{{$slot}}…{{/slot}}` places (a place it does not fill keeps the
/// layout's own text). It lives in the file `_<name>.html` or `_<name>.txt` (used by templates of
/// that kind), or `_<name>.<language>.html|txt` (used by that language's templates, before the
/// other); a template directory may override the shipped ones and add its own.
public enum TemplatePartial {
    /// `_layout.html` → ("layout", nil, "html"); `_signature.de.txt` → ("signature", "de", "txt");
    /// nil for a name that is not a partial's.
    public static func parseName(_ fileName: String) -> (name: String, language: String?, ext: String)? {
        guard fileName.hasPrefix("_") else { return nil }
        let parts = fileName.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.last == "txt" || parts.last == "html", isName(parts[0]) else { return nil }
        if parts.count == 3 && !TemplateSet.isLanguage(parts[1]) { return nil }
        return (String(parts[0]), parts.count == 3 ? String(parts[1]) : nil, String(parts.last!))
    }

    /// A partial's or a slot's name: lowercase letters, digits and dashes.
    public static func isName<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }
}
