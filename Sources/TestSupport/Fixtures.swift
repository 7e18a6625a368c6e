import Foundation

/// Paths to the project's fixtures and to the shared corpus beside the checkout.
public enum Fixtures {
    /// The repository root, found from this source file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent("Fixtures").appendingPathComponent(relative) }

    public static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(relative)))
    }

    /// `../shared/corpus` when present (it is not part of the repository).
    /// `POSTDESK_SHARED_CORPUS` names it when the checkout is elsewhere (a worktree).
    public static var sharedCorpus: URL? {
        if let path = ProcessInfo.processInfo.environment["POSTDESK_SHARED_CORPUS"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            return FileManager.default.fileExists(atPath: url.appendingPathComponent("MANIFEST.tsv").path) ? url : nil
        }
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("MANIFEST.tsv").path) ? url : nil
    }

    /// A fresh temporary directory, removed when the test process exits (a desk's store and
    /// dumps are tens of MB; left behind, repeated runs filled /tmp until doctor's free-space
    /// check failed). `POSTDESK_KEEP_TEST_DIRS=1` keeps them for a post-mortem.
    public static func temporaryDirectory(_ tag: String = "postdesk") -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(tag)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryDirectories.shared.register(url)
        return url
    }
}

extension Fixtures {
    /// Real-world messages: the shared corpus when present (194), else the copies in Fixtures/corpus.
    public static func corpusMessages() -> [(name: String, bytes: [UInt8])] {
        let base = sharedCorpus ?? url("corpus")
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, [UInt8])] = []
        for case let file as URL in walker where file.pathExtension == "eml" {
            if let data = try? Data(contentsOf: file) {
                found.append((String(file.path.dropFirst(base.path.count + 1)), Array(data)))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }
}
