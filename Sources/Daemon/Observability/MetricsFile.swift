import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The metrics file for node_exporter's textfile collector, replaced atomically after each poll:
/// the text goes to a temporary file in the same directory (whose name does not end in `.prom`,
/// so the collector never reads it half-written), is fsynced, then renamed over the old file.
public struct MetricsFile: Sendable {
    public let path: String

    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let operation: String
        public let code: Int32
        public var description: String { "\(path): \(operation): \(String(cString: strerror(code)))" }
    }

    public init(path: String) { self.path = path }

    /// Writes `metrics`, mode 0644 whatever the umask: metrics hold counts, never mail.
    public func write(_ metrics: Metrics) throws {
        try write(text: metrics.prometheusText())
    }

    /// Replaces the file with `text` atomically.
    public func write(text: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw WriteError(path: temporary, operation: "open", code: errno) }
        // The service runs with UMask=0077; node_exporter runs as another user and must read this.
        fchmod(fd, 0o644)
        var ok = false
        defer { if !ok { unlink(temporary) } }
        do {
            defer { close(fd) }
            try Self.writeAll(fd: fd, Array(text.utf8), path: temporary)
            guard fsync(fd) == 0 else { throw WriteError(path: temporary, operation: "fsync", code: errno) }
        }
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, operation: "rename", code: errno) }
        ok = true
        // Make the rename itself durable; a failure here leaves a correct file, so it is not an error.
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }

    /// Reads back what the daemon last wrote, or nil when there is no file yet.
    public func read() throws -> Metrics? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try Metrics(prometheusText: String(decoding: data, as: UTF8.self))
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, operation: "write", code: errno)
                }
                offset += n
            }
        }
    }
}
