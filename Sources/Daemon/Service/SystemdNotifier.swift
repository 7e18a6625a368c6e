import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the service is doing over the `NOTIFY_SOCKET` datagram socket (sd_notify(3)
/// without libsystemd): `READY=1`, `STATUS=`, `WATCHDOG=1`, `RELOADING=1`, `STOPPING=1`.
///
/// Without `NOTIFY_SOCKET` (run by hand, or not `Type=notify`) every call is a no-op that
/// returns false. Watchdog pings are sent by the main loop, never by a timer thread, so a hung
/// poll stops the pings and systemd restarts the service.
public final class SystemdNotifier: @unchecked Sendable {
    /// The socket address: a path, or `@name` for the abstract namespace. Nil disables notifying.
    public let socketPath: String?
    /// How often the main loop should ping: half of `WATCHDOG_USEC`, or nil when the watchdog is off
    /// (or `WATCHDOG_PID` names another process).
    public let watchdogInterval: Duration?

    private var lastPing: UInt64?
    private let lock = NSLock()

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public convenience init(environment: [String: String], pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 {
            let forUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
            if forUs { interval = .microseconds(Int64(clamping: usec / 2)) }
        }
        self.init(socketPath: path, watchdogInterval: interval)
    }

    public init(socketPath: String?, watchdogInterval: Duration?) {
        self.socketPath = socketPath
        self.watchdogInterval = watchdogInterval
    }

    public var isEnabled: Bool { socketPath != nil }

    // MARK: - Messages

    /// `READY=1`, with an optional status line.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        send(["READY=1"] + (status.map { ["STATUS=" + Self.oneLine($0)] } ?? []))
    }

    /// `STATUS=…`: a one-line summary shown by `systemctl status` (newlines become spaces).
    @discardableResult
    public func status(_ text: String) -> Bool {
        send(["STATUS=" + Self.oneLine(text)])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC`, as `Type=notify-reload` expects; follow with `ready()`.
    @discardableResult
    public func reloading(status: String? = nil) -> Bool {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"]
             + (status.map { ["STATUS=" + Self.oneLine($0)] } ?? []))
    }

    /// `STOPPING=1`, so systemd shows "deactivating" while the message in hand is finished.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        send(["STOPPING=1"] + (status.map { ["STATUS=" + Self.oneLine($0)] } ?? []))
    }

    /// `WATCHDOG=1`, unconditionally (when the watchdog is on).
    @discardableResult
    public func watchdog() -> Bool {
        guard watchdogInterval != nil else { return false }
        lock.withLock { lastPing = Self.monotonicMicroseconds() }
        return send(["WATCHDOG=1"])
    }

    /// Pings the watchdog when half its timeout has passed since the last ping. Cheap enough to
    /// call between every message of a long poll.
    @discardableResult
    public func watchdogIfDue() -> Bool {
        guard let interval = watchdogInterval else { return false }
        let now = Self.monotonicMicroseconds()
        let due: Bool = lock.withLock {
            let (s, atto) = interval.components
            let intervalMicros = UInt64(max(0, s)) * 1_000_000 + UInt64(max(0, atto)) / 1_000_000_000_000
            if let last = lastPing, now &- last < intervalMicros { return false }
            lastPing = now
            return true
        }
        return due ? send(["WATCHDOG=1"]) : false
    }

    /// Sends the given `KEY=value` assignments as one datagram. False when disabled or on failure
    /// (systemd gone is not our problem to report).
    @discardableResult
    public func send(_ assignments: [String]) -> Bool {
        guard let socketPath else { return false }
        return Self.sendDatagram(assignments.joined(separator: "\n"), to: socketPath)
    }

    // MARK: - Socket

    /// Never blocks: when systemd's queue is full (it holds `net.unix.max_dgram_qlen` datagrams,
    /// often 10) a ping is dropped rather than stalling intake; the next one follows shortly.
    static func sendDatagram(_ message: String, to path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let (target, length) = address(path) else { return false }
        var addr = target
        let bytes = Array(message.utf8)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &addr) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), $0, length)
                }
            }
        }
        return sent == bytes.count
    }

    /// A `sockaddr_un` for a path or an `@abstract` name (the `@` becomes a leading NUL, and the
    /// length counts only the name's bytes, as systemd does).
    static func address(_ path: String) -> (sockaddr_un, socklen_t)? {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        // A path needs room for its terminating NUL; an abstract name does not.
        guard !bytes.isEmpty, bytes.count <= (abstract ? capacity : capacity - 1) else { return nil }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        return (addr, socklen_t(offset + bytes.count + (abstract ? 0 : 1)))
    }

    /// CLOCK_MONOTONIC in microseconds, the clock systemd uses for `MONOTONIC_USEC`.
    public static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
