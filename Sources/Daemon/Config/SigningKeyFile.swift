import Foundation
import Ticketing
#if canImport(Glibc)
import Glibc
#endif

/// The secret that signs our Message-IDs and subject-tag tokens: read from its file, or made
/// on first run (mode 0600, created exclusively so two first runs cannot write two keys).
public enum SigningKeyFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func loadOrCreate(path: String) throws -> SigningKey {
        if let key = try load(path: path) { return key }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let key = SigningKey.generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST, let other = try load(path: path) { return other }
            throw Failure(description: "\(path): cannot create the signing key: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let text = Array((key.hex + "\n").utf8)
        guard text.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == text.count, fsync(fd) == 0 else {
            throw Failure(description: "\(path): cannot write the signing key")
        }
        return key
    }

    static func load(path: String) throws -> SigningKey? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        guard let key = SigningKey(hex: text) else {
            throw Failure(description: "\(path): not a signing key (expected at least \(SigningKey.minimumLength) bytes as hex)")
        }
        return key
    }
}
