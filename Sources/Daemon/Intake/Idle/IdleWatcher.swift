import Foundation
import Synchronization
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// Keeps one mailbox's IDLE connection on a thread of its own, so a slow or stuck server delays
/// no other mailbox and never the main loop (which feeds the watchdog). It fetches nothing: on
/// news it tells `onChange`, and the main loop runs the normal exactly-once poll of that mailbox.
/// It renews IDLE every `renewAfter` seconds with a NOOP in between (a dead connection times out
/// there), reconnects with backoff after any failure, and leaves IDLE with DONE and LOGOUT when
/// stopped.
final class IdleWatcher: @unchecked Sendable {
    /// What the mailbox is doing, for `postdesk mailboxes`.
    enum Mode: String, Sendable {
        case idle
        case polling
    }

    let mailbox: String
    let renewAfter: Double
    /// Seconds to wait before the n-th reconnect in a row (the last repeats).
    let retryDelays: [Double]
    private let connection: IdleConnection
    private let log: Log
    private let onChange: @Sendable () -> Void
    private let onMode: @Sendable (Mode, String?) -> Void
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// Self-pipe: a byte in it interrupts IDLE and the backoff sleep.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(mailbox: String, connection: IdleConnection, log: Log, renewAfter: Double = 25 * 60,
         retryDelays: [Double] = [1, 2, 5, 10, 30, 60],
         onChange: @escaping @Sendable () -> Void, onMode: @escaping @Sendable (Mode, String?) -> Void) {
        self.mailbox = mailbox
        self.connection = connection
        self.log = log
        self.renewAfter = renewAfter
        self.retryDelays = retryDelays.isEmpty ? [1] : retryDelays
        self.onChange = onChange
        self.onMode = onMode
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        if wakeRead >= 0 { Glibc.close(wakeRead) }
        if wakeWrite >= 0 { Glibc.close(wakeWrite) }
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "idle \(mailbox)"
        thread.start()
    }

    /// Asks the thread to leave IDLE and log out.
    func requestStop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Waits until the thread finished or the monotonic `deadline` (seconds) passed; returns whether
    /// it finished (one stuck in a connect attempt ends by its own timeout).
    func waitStopped(until deadline: Double) -> Bool {
        let left = max(0, deadline - Self.now())
        return finished.wait(timeout: .now() + left) == .success
    }

    /// Monotonic seconds.
    static func now() -> Double { Double(SystemdNotifier.monotonicMicroseconds()) / 1_000_000 }

    private var stopRequested: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    private func run() {
        var failures = 0
        while !stopRequested {
            do {
                guard try connection.open() else {
                    connection.logout()
                    onMode(.polling, "server does not offer IDLE")
                    log.info("mailbox.idle_unsupported", ["mailbox": mailbox, "mode": "polling"])
                    return
                }
                onMode(.idle, nil)
                log.info("mailbox.idle", ["mailbox": mailbox, "reconnected": failures > 0])
                // Mail that came while nobody listened (a server restart, a network gap).
                if failures > 0 { onChange() }
                failures = 0
                listening: while !stopRequested {
                    switch try connection.idle(renewAfter: renewAfter, interrupt: wakeRead) {
                    case .changed:
                        log.debug("mailbox.idle_news", ["mailbox": mailbox])
                        onChange()
                    case .renew:
                        try connection.noop()
                    case .interrupted:
                        break listening
                    }
                }
                connection.logout()
            } catch {
                connection.close()
                failures += 1
                let delay = retryDelays[min(failures, retryDelays.count) - 1]
                onMode(.polling, String("\(error)".prefix(200)))
                log.warning("mailbox.idle_lost", ["mailbox": mailbox, "error": String("\(error)".prefix(300)), "retry_in_s": delay])
                sleep(seconds: delay)
            }
        }
    }

    /// Sleeps, returning early when stopped.
    private func sleep(seconds: Double) {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, Int32(seconds * 1000))
    }
}
