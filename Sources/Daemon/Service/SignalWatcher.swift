import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT into a stop request and SIGHUP into a reload request that the main loop
/// polls, and lets the loop sleep until the next poll or the next signal, whichever comes first.
///
/// The handler does only async-signal-safe work: it bumps an atomic counter and writes one byte to
/// a non-blocking self-pipe (`wait(timeout:)` polls its read end). A second SIGTERM/SIGINT calls
/// `_exit(0)` from the handler: the store commits each message in one transaction, so stopping
/// mid-message loses nothing that the next start will not fetch again.
public final class SignalWatcher: Sendable {
    /// What the signals asked for since the last look.
    public struct Requests: Sendable, Equatable {
        /// SIGTERM or SIGINT arrived: finish the message in hand, write state, exit 0.
        public var stop: Bool
        /// SIGHUP arrived: re-read and validate the config; keep the running one if it is invalid.
        public var reload: Bool
        public init(stop: Bool, reload: Bool) {
            self.stop = stop
            self.reload = reload
        }
    }

    private let stopBaseline: Int
    private let reloadsSeen: Atomic<Int>

    /// Installs the handlers (once per process; later calls only make a fresh watcher) and ignores
    /// SIGPIPE, so a closed stdout or socket is an error return, not a silent death.
    /// - Parameter exitOnSecondStop: `_exit(0)` on the second SIGTERM/SIGINT (tests turn it off).
    public static func install(exitOnSecondStop: Bool = true) throws -> SignalWatcher {
        try SignalState.installOnce()
        SignalState.exitOnSecondStop.store(exitOnSecondStop, ordering: .sequentiallyConsistent)
        return SignalWatcher()
    }

    private init() {
        stopBaseline = SignalState.stops.load(ordering: .sequentiallyConsistent)
        reloadsSeen = Atomic(SignalState.reloads.load(ordering: .sequentiallyConsistent))
    }

    /// True once SIGTERM or SIGINT has arrived since this watcher was made. It stays true.
    public var stopRequested: Bool {
        SignalState.stops.load(ordering: .sequentiallyConsistent) > stopBaseline
    }

    /// True once per batch of SIGHUPs: several quick ones ask for one reload.
    public func takeReloadRequest() -> Bool {
        let now = SignalState.reloads.load(ordering: .sequentiallyConsistent)
        let before = reloadsSeen.exchange(now, ordering: .sequentiallyConsistent)
        return now != before
    }

    /// The stop flag and (consuming it) the reload flag.
    public func takeRequests() -> Requests {
        Requests(stop: stopRequested, reload: takeReloadRequest())
    }

    /// How many stop signals arrived since this watcher was made.
    public var stopSignalCount: Int {
        SignalState.stops.load(ordering: .sequentiallyConsistent) - stopBaseline
    }

    /// Sleeps up to `timeout`, returning early when a signal arrives (or has arrived and not
    /// been acted on). Returns the requests pending at wake-up, without consuming the reload.
    /// `until`: also return as soon as it is true (looked at after each `nudge()`).
    @discardableResult
    public func wait(timeout: Duration, until: () -> Bool = { false }) -> Requests {
        let deadline = SystemdNotifier.monotonicMicroseconds() &+ Self.microseconds(timeout)
        while true {
            if stopRequested || reloadPending || until() { break }
            let now = SystemdNotifier.monotonicMicroseconds()
            guard now < deadline else { break }
            let remainingMs = Int32(clamping: (deadline - now + 999) / 1000)
            var pfd = pollfd(fd: SignalState.readFD.load(ordering: .sequentiallyConsistent),
                             events: Int16(POLLIN), revents: 0)
            let rc = poll(&pfd, 1, remainingMs)
            if rc > 0 { SignalState.drainPipe() }
            // rc < 0 is EINTR (a signal ran its handler on this thread): loop and look again.
        }
        return Requests(stop: stopRequested, reload: reloadPending)
    }

    /// Wakes a `wait` from another thread (an IDLE listener heard news), so it looks at `until`.
    public static func nudge() {
        var byte: UInt8 = 0
        let fd = SignalState.writeFD.load(ordering: .sequentiallyConsistent)
        if fd >= 0 { _ = write(fd, &byte, 1) }
    }

    private var reloadPending: Bool {
        SignalState.reloads.load(ordering: .sequentiallyConsistent) != reloadsSeen.load(ordering: .sequentiallyConsistent)
    }

    static func microseconds(_ d: Duration) -> UInt64 {
        let (s, atto) = d.components
        guard s >= 0 else { return 0 }
        return UInt64(s) &* 1_000_000 &+ UInt64(max(0, atto)) / 1_000_000_000_000
    }
}

/// Process-wide state shared with the C signal handler. Only atomics and a pipe fd: nothing the
/// handler touches allocates or locks.
enum SignalState {
    static let stops = Atomic<Int>(0)
    static let reloads = Atomic<Int>(0)
    static let exitOnSecondStop = Atomic<Bool>(true)
    static let readFD = Atomic<Int32>(-1)
    static let writeFD = Atomic<Int32>(-1)
    private static let installed = Mutex<Bool>(false)

    struct InstallError: Error, CustomStringConvertible {
        let description: String
    }

    static func installOnce() throws {
        try installed.withLock { done in
            if done { return }
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else {
                throw InstallError(description: "cannot create the signal pipe: \(String(cString: strerror(errno)))")
            }
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            // Touch every global before a handler can run: first access to a Swift global runs a
            // once-initialiser, which must not happen inside a signal handler.
            _ = stops.load(ordering: .sequentiallyConsistent)
            _ = reloads.load(ordering: .sequentiallyConsistent)
            _ = exitOnSecondStop.load(ordering: .sequentiallyConsistent)
            readFD.store(fds[0], ordering: .sequentiallyConsistent)
            writeFD.store(fds[1], ordering: .sequentiallyConsistent)
            for signo in [SIGTERM, SIGINT, SIGHUP] {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = signalHandler
                action.sa_flags = SA_RESTART
                sigemptyset(&action.sa_mask)
                guard sigaction(signo, &action, nil) == 0 else {
                    throw InstallError(description: "cannot install the handler for signal \(signo)")
                }
            }
            signal(SIGPIPE, SIG_IGN)
            // Unblock in case the parent left them blocked (some supervisors do).
            var set = sigset_t()
            sigemptyset(&set)
            for signo in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, signo) }
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            done = true
        }
    }

    static func drainPipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        let fd = readFD.load(ordering: .sequentiallyConsistent)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}

/// The C handler. Async-signal-safe: atomics, write(2), _exit(2); errno is preserved.
private let signalHandler: @convention(c) (Int32) -> Void = { signo in
    let savedErrno = errno
    if signo == SIGHUP {
        SignalState.reloads.add(1, ordering: .sequentiallyConsistent)
    } else {
        let count = SignalState.stops.add(1, ordering: .sequentiallyConsistent).newValue
        if count >= 2 && SignalState.exitOnSecondStop.load(ordering: .sequentiallyConsistent) { _exit(0) }
    }
    var byte = UInt8(truncatingIfNeeded: signo)
    _ = write(SignalState.writeFD.load(ordering: .sequentiallyConsistent), &byte, 1)
    errno = savedErrno
}
