import Foundation

/// Reads passwords and tokens at the moment they are needed (tokens expire), and checks
/// that their sources exist. Secret values are never logged or printed.
public enum SecretReader {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ source: SecretSource, environment: [String: String]) throws -> String {
        switch source {
        case .inline(let value):
            return value
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw Failure(description: "environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Failure(description: "cannot read secret file \(path)")
            }
            return trimmed(String(decoding: data, as: UTF8.self))
        case .command(let command):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { throw Failure(description: "cannot run secret command: \(error)") }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure(description: "secret command exited \(process.terminationStatus)")
            }
            let value = trimmed(String(decoding: data, as: UTF8.self))
            guard !value.isEmpty else { throw Failure(description: "secret command printed nothing") }
            return value
        }
    }

    /// A reason the secret cannot be read, without reading commands (they may be costly).
    public static func problem(with source: SecretSource, environment: [String: String]) -> String? {
        switch source {
        case .inline, .command: return nil
        case .environment, .file:
            do { _ = try read(source, environment: environment); return nil } catch { return "\(error)" }
        }
    }

    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
