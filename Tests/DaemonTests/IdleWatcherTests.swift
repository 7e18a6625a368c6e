import Foundation
import Glibc
import TestSupport
import Transport
import XCTest
@testable import Daemon

/// The per-mailbox IDLE listener, with a scripted connection: news is reported and listening goes
/// on; renewal proves the connection with NOOP; a failure reconnects and catches up; a server
/// without IDLE leaves the mailbox to polling; stopping leaves IDLE and logs out.
final class IdleWatcherTests: XCTestCase {
    /// A connection that plays `opens` and `idles` in order, then waits in IDLE until interrupted.
    final class ScriptedIdleConnection: IdleConnection, @unchecked Sendable {
        enum Step { case end(CurlIMAPClient.IdleEnd), fail }
        private let lock = NSLock()
        var opens: [Bool?]        // nil: the connect fails
        var idles: [Step]
        var noopFails: Bool
        private(set) var calls: [String] = []

        init(opens: [Bool?], idles: [Step], noopFails: Bool = false) {
            self.opens = opens
            self.idles = idles
            self.noopFails = noopFails
        }

        var log: [String] { lock.withLock { calls } }
        private func note(_ call: String) { lock.withLock { calls.append(call) } }
        private func failure(_ what: String) -> TransportError {
            TransportError(kind: .connect, host: "scripted", message: what, disposition: .temporary)
        }

        func open() throws -> Bool {
            note("open")
            guard let next = lock.withLock({ opens.isEmpty ? true : opens.removeFirst() }) else { throw failure("connect refused") }
            return next
        }

        func idle(renewAfter: Double, interrupt: Int32) throws -> CurlIMAPClient.IdleEnd {
            note("idle")
            if let step = lock.withLock({ idles.isEmpty ? nil : idles.removeFirst() }) {
                switch step {
                case .end(let end): return end
                case .fail: throw failure("connection reset")
                }
            }
            var fd = pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 10_000)
            return .interrupted
        }

        func noop() throws {
            note("noop")
            if noopFails { throw TransportError(kind: .timeout, host: "scripted", message: "no answer", disposition: .temporary) }
        }

        func logout() { note("logout") }
        func close() { note("close") }
    }

    /// What the watcher reported, from its thread.
    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var changes = 0
        private var modeList: [String] = []
        func changed() { lock.withLock { changes += 1 } }
        func mode(_ m: IdleWatcher.Mode, _ detail: String?) { lock.withLock { modeList.append(m.rawValue + (detail.map { ": " + $0 } ?? "")) } }
        var changeCount: Int { lock.withLock { changes } }
        var modes: [String] { lock.withLock { modeList } }
    }

    func watcher(_ connection: ScriptedIdleConnection, _ heard: Heard) -> IdleWatcher {
        IdleWatcher(mailbox: "support", connection: connection, log: Log(level: .error, timestamps: false, clock: { FakeClock().now() }, sink: { _ in }),
                    renewAfter: 60, retryDelays: [0.05], onChange: { heard.changed() }, onMode: { heard.mode($0, $1) })
    }

    func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<200 where !condition() { usleep(10_000) }
        return condition()
    }

    func testNewsIsReportedEachTimeAndStoppingLeavesIdleAndLogsOut() {
        let connection = ScriptedIdleConnection(opens: [true], idles: [.end(.changed), .end(.changed)])
        let heard = Heard()
        let w = watcher(connection, heard)
        w.start()
        XCTAssertTrue(eventually { heard.changeCount == 2 && connection.log.count >= 3 })
        w.requestStop()
        XCTAssertTrue(w.waitStopped(until: IdleWatcher.now() + 5))
        XCTAssertEqual(connection.log, ["open", "idle", "idle", "idle", "logout"])
        XCTAssertEqual(heard.modes, ["idle"])
    }

    func testRenewalProvesTheConnectionWithNoopAndADeadOneIsReopenedAndCaughtUp() {
        let connection = ScriptedIdleConnection(opens: [true, nil, true], idles: [.end(.renew)], noopFails: true)
        let heard = Heard()
        let w = watcher(connection, heard)
        w.start()
        XCTAssertTrue(eventually { connection.log.filter { $0 == "open" }.count == 3 && heard.changeCount == 1 })
        w.requestStop()
        XCTAssertTrue(w.waitStopped(until: IdleWatcher.now() + 5))
        XCTAssertEqual(Array(connection.log.prefix(6)), ["open", "idle", "noop", "close", "open", "close"])
        XCTAssertEqual(heard.modes.count, 4, "\(heard.modes)")
        XCTAssertEqual(heard.modes.first, "idle")
        XCTAssertTrue(heard.modes[1].hasPrefix("polling: "), "\(heard.modes)")
        XCTAssertEqual(heard.modes.last, "idle")
        XCTAssertEqual(heard.changeCount, 1, "one catch-up poll after the reconnect")
    }

    func testAServerWithoutIdleLeavesTheMailboxToPolling() {
        let connection = ScriptedIdleConnection(opens: [false], idles: [])
        let heard = Heard()
        let w = watcher(connection, heard)
        w.start()
        XCTAssertTrue(w.waitStopped(until: IdleWatcher.now() + 5), "the listener ends by itself")
        XCTAssertEqual(connection.log, ["open", "logout"])
        XCTAssertEqual(heard.modes, ["polling: server does not offer IDLE"])
        XCTAssertEqual(heard.changeCount, 0)
    }

    func testTheSetWakesTheLoopOnNewsAndHonoursIdleFalse() throws {
        let config = try Config.parse(Array("""
            {"mailboxes": [
               {"name": "a", "url": "imap://127.0.0.1:1", "user": "u", "password_env": "X"},
               {"name": "b", "url": "imap://127.0.0.1:1", "user": "u", "password_env": "X", "idle": false}]}
            """.utf8), file: "test.json")
        XCTAssertEqual(config.mailboxes.map(\.idle), [true, false])
        let wakes = Heard()
        let set = IdleWatchers(wake: { wakes.changed() })
        let connection = ScriptedIdleConnection(opens: [true], idles: [.end(.changed)])
        var connected: [String] = []
        set.start(config.mailboxes, log: Log(level: .error, timestamps: false, clock: { FakeClock().now() }, sink: { _ in })) { box in
            connected.append(box.name)
            return connection
        }
        XCTAssertEqual(connected, ["a"])
        XCTAssertTrue(eventually { set.hasNews })
        XCTAssertEqual(set.takeNews(), ["a"])
        XCTAssertFalse(set.hasNews)
        XCTAssertGreaterThanOrEqual(wakes.changeCount, 1)
        let modes = set.takeModes()
        XCTAssertEqual(modes["a"]?.mode, "idle")
        XCTAssertEqual(modes["b"]?.mode, "polling")
        XCTAssertEqual(modes["b"]?.detail, "idle: false")
        set.stop()
        XCTAssertEqual(connection.log.last, "logout")
    }

    func testConfigRejectsANonBooleanIdle() {
        XCTAssertThrowsError(try Config.parse(Array("""
            {"mailboxes": [{"url": "imap://127.0.0.1:1", "user": "u", "password_env": "X", "idle": "yes"}]}
            """.utf8), file: "test.json")) { error in
            XCTAssertTrue("\(error)".contains("idle"), "\(error)")
        }
    }
}
