import Foundation
import Ticketing
#if canImport(Glibc)
import Glibc
#endif

/// The secret that signs our Message-IDs and subject-tag tokens: read from its file, or made
/// on first run (mode 0600). The key is written to a file of its own and linked into place
/// whole, so two first runs cannot write two keys and a first run killed mid-write leaves no
/// empty key file behind (which would stop every later start).
public enum SigningKeyFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func loadOrCreate(path: String) throws -> SigningKey {
        if let key = try load(path: path) { return key }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        if isEmptyFile(path) {
            // Left by a first run of an older postdesk killed between create and write: no key
            // was ever read from it, so nothing was signed with it.
            unlink(path)
        }
        let key = SigningKey.generate()
        let temporary = "\(path).new-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "\(path): cannot create the signing key: \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let text = Array((key.hex + "\n").utf8)
        let written = text.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == text.count && fsync(fd) == 0
        close(fd)
        guard written else { throw Failure(description: "\(path): cannot write the signing key") }
        // link(2) never replaces: a key another first run put there meanwhile wins.
        if link(temporary, path) != 0 {
            if errno == EEXIST, let other = try load(path: path) { return other }
            throw Failure(description: "\(path): cannot create the signing key: \(String(cString: strerror(errno)))")
        }
        return key
    }

    private static func isEmptyFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size == 0
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
