import Synchronization

/// The IDLE listeners of all mailboxes and what they heard, for the main loop: which mailboxes
/// have news (poll them now) and which listen or poll (for `postdesk mailboxes`). `wake` makes
/// the main loop look at once instead of at its next one-second tick.
public final class IdleWatchers: Sendable {
    struct Heard {
        var news: Set<String> = []
        var modes: [String: (mode: String, detail: String?)] = [:]
        var generation = 0
    }

    private let heard = Mutex(Heard())
    private let running = Mutex<[IdleWatcher]>([])
    let wake: @Sendable () -> Void

    public init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    /// Starts one listener per mailbox that wants IDLE (`idle` not false); the rest are polling.
    /// Replaces any running listeners (after a reload).
    func start(_ mailboxes: [MailboxConfig], log: Log, renewAfter: Double = 25 * 60,
               connect: (MailboxConfig) -> IdleConnection) {
        stop()
        let generation = heard.withLock { state in
            state.generation += 1
            for box in mailboxes where !box.idle { state.modes[box.name] = ("polling", "idle: false") }
            return state.generation
        }
        let watchers = mailboxes.filter(\.idle).map { box in
            let name = box.name
            return IdleWatcher(mailbox: name, connection: connect(box), log: log, renewAfter: renewAfter,
                               onChange: { [self] in
                                   let fresh = heard.withLock { state in
                                       guard state.generation == generation else { return false }
                                       state.news.insert(name)
                                       return true
                                   }
                                   if fresh { wake() }
                               },
                               onMode: { [self] mode, detail in
                                   heard.withLock { state in
                                       if state.generation == generation { state.modes[name] = (mode.rawValue, detail) }
                                   }
                               })
        }
        running.withLock { $0 = watchers }
        for watcher in watchers { watcher.start() }
    }

    /// Leaves IDLE on every connection (DONE, LOGOUT). Waits at most `seconds` in all: a
    /// listener stuck in a connect attempt is left to its timeout, its news ignored.
    func stop(waitingUpTo seconds: Double = 2) {
        let watchers = running.withLock { list in defer { list = [] }; return list }
        heard.withLock { $0.generation += 1 }
        guard !watchers.isEmpty else { return }
        let deadline = IdleWatcher.now() + seconds
        for watcher in watchers { watcher.requestStop() }
        for watcher in watchers { _ = watcher.waitStopped(until: deadline) }
    }

    /// Whether some mailbox has news not yet taken.
    var hasNews: Bool { heard.withLock { !$0.news.isEmpty } }

    /// The mailboxes with news since the last call.
    func takeNews() -> Set<String> {
        heard.withLock { state in defer { state.news = [] }; return state.news }
    }

    /// Each mailbox's latest mode (`idle`, `polling`) and why, since the last call.
    func takeModes() -> [String: (mode: String, detail: String?)] {
        heard.withLock { state in defer { state.modes = [:] }; return state.modes }
    }
}
