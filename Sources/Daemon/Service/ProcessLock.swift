import Foundation
import Store
#if canImport(Glibc)
import Glibc
#endif

/// One store, one poller: an exclusive `flock` on `<database>.lock`, held for the life of the
/// process and released by the kernel even on `kill -9`.
public final class ProcessLock {
    public let path: String
    private let fd: Int32

    public struct Busy: Error, CustomStringConvertible {
        public let path: String
        public let holder: String?
        public var description: String {
            "another postdesk is already polling this store (lock \(path)\(holder.map { ", held by pid \($0)" } ?? ""))"
        }
    }

    /// Takes the lock or throws `Busy` at once (never waits).
    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            // The store's own condition, named like the store's errors (a read-only or full
            // filesystem is a store failure, exit 74, not a crash).
            let reason = errno
            let code: Int32 = reason == EROFS ? 8 : reason == ENOSPC || reason == EDQUOT ? 13 : reason == EACCES || reason == EPERM ? 3 : 14
            throw StoreError(kind: .sqlite(code: code), message: "cannot create the lock file \(path): \(String(cString: strerror(reason)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buffer, 31)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
            throw Busy(path: path, holder: holder)
        }
        self.fd = fd
        _ = ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
