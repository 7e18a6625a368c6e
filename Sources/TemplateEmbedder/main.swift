import Foundation

// Build tool of the EmbedTemplates plugin: turns a directory of template files into one Swift
// file declaring `ShippedTemplates.files` (name → text), so the binary carries its templates and
// the directory stays their only source. Usage: TemplateEmbedder <directory> <output.swift>
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: TemplateEmbedder <directory> <output.swift>\n".utf8))
    exit(64)
}
let directory = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

/// A one-line Swift string literal that is exactly `text` (no line-ending normalisation, no
/// delimiter a template could close early).
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value):
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

do {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { !$0.hasPrefix(".") && ($0.hasSuffix(".txt") || $0.hasSuffix(".html")) }.sorted()
    var swift = """
        // Generated at build time by the EmbedTemplates plugin from Sources/Daemon/Outbound/Templates.
        // Not in the repository: edit the files there.

        /// The notification templates compiled into the binary, by file name.
        enum ShippedTemplates {
            static let files: [String: String] = [

        """
    for name in names {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        guard let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("\(directory.path)/\(name): error: not UTF-8 text\n".utf8))
            exit(65)
        }
        swift += "        \(literal(name)): \(literal(text)),\n"
    }
    swift += "    ]\n}\n"
    // Rewritten only when different, so an unchanged set does not recompile the Daemon module.
    if (try? Data(contentsOf: output)) != Data(swift.utf8) {
        try Data(swift.utf8).write(to: output, options: .atomic)
    }
} catch {
    FileHandle.standardError.write(Data("TemplateEmbedder: \(error)\n".utf8))
    exit(1)
}
