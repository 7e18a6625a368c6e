import Foundation
import XCTest
@testable import Daemon
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's notify socket.
final class NotifySocket {
    let fd: Int32
    let name: String
    let directory: URL?

    /// Binds `path` in a fresh temporary directory, or an abstract name when `abstract` is true.
    init(abstract: Bool = false) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if abstract {
            directory = nil
            name = "@postdesk-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        } else {
            let dir = Fixtures.temporaryDirectory("notify")
            directory = dir
            name = dir.appendingPathComponent("notify.sock").path
        }
        guard let (target, length) = SystemdNotifier.address(name) else { throw POSIXError(.ENAMETOOLONG) }
        var addr = target
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit {
        close(fd)
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The next datagram, or nil after `timeoutMs`.
    func receive(timeoutMs: Int32 = 2000) -> String? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMs) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
    }
}

final class SystemdNotifierTests: XCTestCase {
    func testReadyStatusWatchdogReloadingAndStoppingArriveAtAPathSocket() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "4000000"])
        XCTAssertTrue(notifier.isEnabled)

        XCTAssertTrue(notifier.ready(status: "3 mailboxes ok"))
        XCTAssertEqual(socket.receive(), "READY=1\nSTATUS=3 mailboxes ok")
        XCTAssertTrue(notifier.status("3 mailboxes ok, 12 new, outbox 0, quarantine 1"))
        XCTAssertEqual(socket.receive(), "STATUS=3 mailboxes ok, 12 new, outbox 0, quarantine 1")
        XCTAssertTrue(notifier.watchdog())
        XCTAssertEqual(socket.receive(), "WATCHDOG=1")
        XCTAssertTrue(notifier.stopping())
        XCTAssertEqual(socket.receive(), "STOPPING=1")
    }

    func testReloadingCarriesTheMonotonicClock() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        let before = SystemdNotifier.monotonicMicroseconds()
        XCTAssertTrue(notifier.reloading())
        let after = SystemdNotifier.monotonicMicroseconds()
        let lines = try XCTUnwrap(socket.receive()).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "RELOADING=1")
        let usec = try XCTUnwrap(lines.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst(15)) })
        XCTAssertTrue((before...after).contains(usec), "\(usec) not in \(before)...\(after)")
    }

    func testAbstractNamespaceSocketReceivesMessages() throws {
        let socket = try NotifySocket(abstract: true)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        XCTAssertTrue(notifier.ready())
        XCTAssertEqual(socket.receive(), "READY=1")
    }

    func testStatusIsKeptOnOneLine() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        notifier.status("line one\nREADY=1")
        XCTAssertEqual(socket.receive(), "STATUS=line one READY=1")
    }

    func testWithoutNotifySocketEveryCallIsANoOp() {
        let notifier = SystemdNotifier(environment: [:])
        XCTAssertFalse(notifier.isEnabled)
        XCTAssertNil(notifier.watchdogInterval)
        XCTAssertFalse(notifier.ready())
        XCTAssertFalse(notifier.status("x"))
        XCTAssertFalse(notifier.watchdog())
        XCTAssertFalse(notifier.stopping())
    }

    func testEmptyNotifySocketDisablesNotifying() {
        XCTAssertFalse(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]).isEnabled)
    }

    func testMissingSocketFileIsAFailedSendNotACrash() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/postdesk/notify.sock"])
        XCTAssertFalse(notifier.ready())
    }

    func testOverlongSocketPathIsRefused() {
        XCTAssertNil(SystemdNotifier.address("/" + String(repeating: "a", count: 200)))
        XCTAssertNil(SystemdNotifier.address(""))
    }

    func testWatchdogIntervalIsHalfOfWatchdogUsec() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000"])
        XCTAssertEqual(notifier.watchdogInterval, .seconds(15))
    }

    func testWatchdogForAnotherProcessIsIgnored() {
        let other = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"], pid: 4242)
        XCTAssertNil(other.watchdogInterval)
        XCTAssertFalse(other.watchdog())
        let mine = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"], pid: 4242)
        XCTAssertEqual(mine.watchdogInterval, .seconds(15))
    }

    func testZeroOrGarbageWatchdogUsecMeansNoWatchdog() {
        XCTAssertNil(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "0"]).watchdogInterval)
        XCTAssertNil(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "soon"]).watchdogInterval)
    }

    func testWatchdogIfDuePingsOncePerInterval() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(socketPath: socket.name, watchdogInterval: .milliseconds(200))
        XCTAssertTrue(notifier.watchdogIfDue(), "the first call always pings")
        XCTAssertEqual(socket.receive(), "WATCHDOG=1")
        XCTAssertFalse(notifier.watchdogIfDue(), "a second call within the interval stays quiet")
        XCTAssertNil(socket.receive(timeoutMs: 50))
        usleep(250_000)
        XCTAssertTrue(notifier.watchdogIfDue())
        XCTAssertEqual(socket.receive(), "WATCHDOG=1")
    }

    /// systemd reads its socket promptly, but a stalled reader must never stall intake: once the
    /// kernel's queue is full, a send fails at once instead of blocking the daemon.
    func testAFullNotifyQueueDropsTheMessageInsteadOfBlocking() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        var refused = 0
        for n in 0..<500 where !notifier.send(["STATUS=message \(n) nobody reads"]) { refused += 1 }
        XCTAssertGreaterThan(refused, 0, "the unread queue filled up and later sends were refused, not blocked")
        XCTAssertEqual(socket.receive(), "STATUS=message 0 nobody reads", "what fitted in the queue still arrives in order")
    }
}
