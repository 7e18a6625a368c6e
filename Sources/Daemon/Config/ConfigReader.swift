import Foundation
import Ticketing

/// Walks a parsed JSON config, tracking the key path so every error names its key,
/// and refusing keys it was not asked for (a typo must not be silently ignored).
struct ConfigReader {
    let file: String
    let path: String
    let value: JSON

    func fail(_ reason: String, at key: String? = nil) -> ConfigError {
        ConfigError(file: file, key: key.map { join($0) } ?? path, reason: reason)
    }

    private func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func object(allowed: Set<String>) throws -> [(String, JSON)] {
        guard case .object(let pairs) = value else { throw fail("must be an object") }
        for (key, _) in pairs where !allowed.contains(key) {
            let hint = allowed.min { editDistance($0, key) < editDistance($1, key) }
                .flatMap { editDistance($0, key) <= 2 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
            throw fail("unknown key\(hint)", at: key)
        }
        return pairs
    }

    func child(_ key: String) -> ConfigReader? {
        guard let v = value[key], v != .null else { return nil }
        return ConfigReader(file: file, path: join(key), value: v)
    }

    func items() throws -> [ConfigReader] {
        guard case .array(let items) = value else { throw fail("must be an array") }
        return items.enumerated().map { ConfigReader(file: file, path: "\(path)[\($0.offset)]", value: $0.element) }
    }

    func string(_ key: String) throws -> String? {
        guard let v = value[key], v != .null else { return nil }
        guard case .string(let s) = v else { throw fail("must be a string", at: key) }
        return s
    }

    /// A file or directory path: a relative one is taken from the directory of the file that
    /// names it (the config file, not the working directory, which is / under systemd).
    func path(_ key: String) throws -> String? {
        guard let s = try string(key) else { return nil }
        guard !s.isEmpty else { throw fail("must not be empty", at: key) }
        return Self.resolve(s, relativeTo: file)
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// Why a directory at `path` cannot be read, for an error message.
    static func unreadableDirectory(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such directory \(path)" }
        return isDirectory.boolValue ? "cannot read the directory \(path) (permissions?)" : "\(path) is a file, not a directory"
    }

    /// Why a file at `path` cannot be read, for an error message.
    static func unreadableFile(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file \(path)" }
        return isDirectory.boolValue ? "\(path) is a directory, not a file" : "cannot read \(path) (permissions?)"
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw fail("is required", at: key) }
        guard !s.isEmpty else { throw fail("must not be empty", at: key) }
        return s
    }

    func int(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let v = value[key], v != .null else { return nil }
        guard case .number(let d) = v, d.rounded() == d, abs(d) < 9e15 else { throw fail("must be a whole number", at: key) }
        guard range.contains(Int(d)) else { throw fail("must be between \(range.lowerBound) and \(range.upperBound)", at: key) }
        return Int(d)
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = value[key], v != .null else { return nil }
        guard case .bool(let b) = v else { throw fail("must be true or false", at: key) }
        return b
    }

    func choice(_ key: String, _ options: [String]) throws -> String? {
        guard let s = try string(key) else { return nil }
        guard options.contains(s) else { throw fail("must be one of \(options.joined(separator: ", "))", at: key) }
        return s
    }
}

/// Levenshtein distance, for "did you mean" hints on unknown keys.
func editDistance(_ a: String, _ b: String) -> Int { EditDistance.between(a, b) }
