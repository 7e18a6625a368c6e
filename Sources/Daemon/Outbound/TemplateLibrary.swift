import Foundation
import Ticketing

/// Where templates come from: the set compiled into the binary, with the files of the
/// configured override directory on top.
public enum TemplateLibrary {
    public static func shippedFiles() -> [String: TemplateSet.File] {
        ShippedTemplates.files.mapValues { TemplateSet.File(text: $0, origin: "shipped") }
    }

    /// The shipped set alone, built once (it is tested; failing here is a build defect).
    public static let shippedSet = Result { try TemplateSet.build(shipped: shippedFiles()) }

    /// The shipped set with `directory`'s `*.txt` and `*.html` files over it. Other files (a
    /// README, editor backups) are left alone; a misnamed template is an error, so a typo never
    /// silently leaves the shipped words in place.
    public static func load(directory: String?, requiredLanguages: Set<String>) throws -> TemplateSet {
        var overrides: [String: TemplateSet.File] = [:]
        if let directory {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
                throw TemplateError(file: directory, line: nil, reason: "cannot read the template directory (missing, or permissions?)")
            }
            for name in names.sorted() where !name.hasPrefix(".") && (name.hasSuffix(".txt") || name.hasSuffix(".html")) {
                let path = (directory as NSString).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw TemplateError(file: path, line: nil, reason: "cannot read the file (permissions?)")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw TemplateError(file: path, line: nil, reason: "is not UTF-8 text")
                }
                overrides[name] = TemplateSet.File(text: text, origin: path)
            }
        }
        return try TemplateSet.build(shipped: shippedFiles(), overrides: overrides, requiredLanguages: requiredLanguages)
    }
}
