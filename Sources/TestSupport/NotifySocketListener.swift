import Foundation
import Glibc

/// Plays systemd's side of sd_notify for a test: a datagram socket bound at a path in a temp
/// directory (pass it as `NOTIFY_SOCKET`), collecting every `KEY=value` message the child sends.
public final class NotifySocketListener: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let received = Received()
    private var reader: DispatchSemaphore?
    /// Every datagram received so far, in order.
    public var messages: [String] { received.all }

    /// What arrived, shared with the background reader.
    private final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        private var stopped = false
        var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
        var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
        func append(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
        func stop() { lock.lock(); stopped = true; lock.unlock() }
    }

    public init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MailServers.Unavailable(description: "socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw MailServers.Unavailable(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw MailServers.Unavailable(description: "bind \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if let reader {
            received.stop()
            reader.wait()
        }
        close(fd)
        unlink(path)
    }

    /// Reads on a thread of its own from now on, as systemd does: the kernel queues only
    /// `net.unix.max_dgram_qlen` (often 10) datagrams, so a test that reads only after the
    /// service returns would lose what a busy service sends.
    public func readInBackground() {
        guard reader == nil else { return }
        let done = DispatchSemaphore(value: 0)
        reader = done
        let fd = self.fd, received = self.received
        Thread.detachNewThread {
            while !received.isStopped { Self.receive(fd: fd, into: received, waitingMilliseconds: 20) }
            done.signal()
        }
    }

    /// Reads whatever arrives within `seconds` (at least what is already queued).
    public func drain(seconds: Double = 0) {
        let deadline = Self.monotonicSeconds() + seconds
        while true {
            let remaining = max(0, deadline - Self.monotonicSeconds())
            if !Self.receive(fd: fd, into: received, waitingMilliseconds: Int32(remaining * 1000)) { return }
        }
    }

    /// Receives one datagram if one arrives within the wait; false when none did.
    @discardableResult
    private static func receive(fd: Int32, into received: Received, waitingMilliseconds: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, waitingMilliseconds)
        if ready < 0 && errno == EINTR { return true }
        guard ready > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n > 0 { received.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
        return true
    }

    /// Waits up to `seconds` for a message (received after `index`) with a line satisfying
    /// `match`; returns its index in `messages`.
    @discardableResult
    public func waitFor(after index: Int = -1, seconds: Double = 30, _ match: (String) -> Bool) -> Int? {
        let deadline = Self.monotonicSeconds() + seconds
        while true {
            for (i, message) in messages.enumerated() where i > index {
                if message.split(separator: "\n").contains(where: { match(String($0)) }) { return i }
            }
            let left = deadline - Self.monotonicSeconds()
            if left <= 0 { return nil }
            drain(seconds: min(left, 0.1))
        }
    }

    /// Waits for a message holding exactly the line `line` (e.g. `READY=1`).
    @discardableResult
    public func waitFor(_ line: String, after index: Int = -1, seconds: Double = 30) -> Int? {
        waitFor(after: index, seconds: seconds) { $0 == line }
    }

    /// Indexes of the messages holding the line `line`.
    public func indexes(of line: String) -> [Int] {
        let messages = self.messages
        return messages.indices.filter { messages[$0].split(separator: "\n").contains { $0 == line } }
    }

    /// CLOCK_MONOTONIC seconds, for deadlines (tests must not call `Date()` for this).
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
