import Foundation
import Ticketing
#if canImport(Glibc)
import Glibc
#endif

/// The time from a file, for end-to-end tests and rehearsals ("what happens next Monday?"):
/// only when `POSTDESK_CLOCK_FILE` names it. The file holds an ISO 8601 time or unix seconds;
/// the clock shows that time plus however long ago the file was written, so the daemon's loops
/// run as usual, every process reading the file agrees on the time, and a test moves time by
/// rewriting the file (write another file, then rename it over this one). `run` logs a warning
/// at start, `doctor` warns, the other commands say so on stderr.
public final class FileClock: Clock, @unchecked Sendable {
    public static let variable = "POSTDESK_CLOCK_FILE"

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    private let base: any Clock
    private let lock = NSLock()
    /// The time written in the file and when the file was written, as last read.
    private var setting: (time: Date, written: Date)

    /// Reads the file once, so a wrong path or time fails at start, not on the first tick.
    public init(path: String, base: any Clock = SystemClock()) throws {
        self.path = path
        self.base = base
        setting = try Self.read(path)
    }

    /// The clock the environment asks for: nil unless the variable is set (and not empty).
    public static func fromEnvironment(_ environment: [String: String], base: any Clock = SystemClock()) throws -> FileClock? {
        guard let path = environment[variable], !path.isEmpty else { return nil }
        return try FileClock(path: path, base: base)
    }

    /// A file that cannot be read for a moment (a test rewriting it without a rename) leaves the
    /// last time read in force: the clock never falls back to the system's.
    public func now() -> Date {
        lock.withLock {
            if let fresh = try? Self.read(path) { setting = fresh }
            return setting.time + max(0, base.now().timeIntervalSince(setting.written))
        }
    }

    /// The file's time and its modification time, from one open file (a rename between the two
    /// reads cannot mix an old time with a new date).
    static func read(_ path: String) throws -> (time: Date, written: Date) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Problem(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Problem(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        // Whoever can write the file sets every deadline and auto-close: only the service's own
        // user (or root) may, as for the config. A re-read that fails this keeps the last time.
        if let reason = foreignWriters(owner: info.st_uid, mode: info.st_mode, user: geteuid()) {
            throw Problem(description: "\(path) \(reason): it sets postdesk's time; make it owned by the service user, mode 0644 or stricter")
        }
        var bytes = [UInt8](repeating: 0, count: 128)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw Problem(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        let text = String(decoding: bytes[0..<n], as: UTF8.self)
        guard let time = parse(text) else {
            throw Problem(description: "\(path) holds '\(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(40))', not a time: "
                          + "write an ISO 8601 time like 2026-12-07T09:00:00Z or unix seconds like 1796634000")
        }
        let written = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        return (time, written)
    }

    /// Why others than `user` and root could write a file of `owner` and `mode`; nil when none can.
    static func foreignWriters(owner: uid_t, mode: mode_t, user: uid_t) -> String? {
        if owner != user && owner != 0 { return "belongs to uid \(owner), not this user (uid \(user)) or root" }
        if mode & S_IWOTH != 0 { return "is writable by every user (mode \(String(mode & 0o7777, radix: 8)))" }
        return nil
    }

    /// `2026-12-07T09:00:00Z`, `2026-12-07T11:00:00+02:00`, with or without fractional seconds
    /// (no zone: UTC), or unix seconds (`1796634000`, `1796634000.5`).
    public static func parse(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let seconds = Double(t), seconds.isFinite, seconds >= 0, t.allSatisfy({ $0.isNumber || $0 == "." }) {
            return Date(timeIntervalSince1970: seconds)
        }
        guard t.count >= 19, t.dropFirst(10).first == "T" else { return nil }
        let zoned = t.dropFirst(19).contains(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) ? t : t + "Z"
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: zoned) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: zoned)
    }
}
