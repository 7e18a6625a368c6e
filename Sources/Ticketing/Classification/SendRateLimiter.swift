import Foundation

/// Caps the mail we send automatically to any one address: at most `limit` per `window` (default 5 an
/// hour), and never the same body twice within `repeatWindow`. Pure: time comes in, state goes out
/// (`history`) for the daemon to persist.
public struct SendRateLimiter: Sendable, Equatable {
    /// One address's recent sends, the persisted form.
    public struct History: Sendable, Equatable, Codable {
        public var address: String
        /// Unix seconds of sends still inside a window.
        public var sentAt: [Int64]
        /// Body hashes with their send time, for the repeat check.
        public var bodies: [BodySend]
        /// True while the address is being suppressed, so only the first suppression is reported.
        public var suppressing: Bool

        public init(address: String, sentAt: [Int64] = [], bodies: [BodySend] = [], suppressing: Bool = false) {
            self.address = address
            self.sentAt = sentAt
            self.bodies = bodies
            self.suppressing = suppressing
        }
    }

    public struct BodySend: Sendable, Equatable, Codable {
        public var hash: String
        public var at: Int64

        public init(hash: String, at: Int64) {
            self.hash = hash
            self.at = at
        }
    }

    public enum Verdict: Sendable, Equatable {
        case send
        /// Do not send. `first` is true once per run of suppressions: log one line then, stay quiet after.
        case suppress(Reason, first: Bool)
    }

    public enum Reason: String, Sendable, Equatable {
        case rateLimit = "rate-limit"
        case repeatedBody = "repeated-body"
    }

    public var limit: Int
    public var window: TimeInterval
    public var repeatWindow: TimeInterval
    /// Addresses tracked at most; the longest-idle are forgotten first.
    public var maxAddresses: Int
    private var entries: [String: History]

    public init(limit: Int = 5, window: TimeInterval = 3_600, repeatWindow: TimeInterval = 86_400,
                maxAddresses: Int = 50_000, history: [History] = []) {
        self.limit = max(1, limit)
        self.window = window
        self.repeatWindow = repeatWindow
        self.maxAddresses = max(1, maxAddresses)
        entries = Dictionary(history.map { (Address.normalised($0.address), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The state to persist, sorted by address for stable output.
    public var history: [History] { entries.values.sorted { $0.address < $1.address } }

    /// Decides whether an automatic mail to `address` may go now, and records it if so.
    public mutating func admit(_ address: String, bodyHash: String? = nil, at now: Date) -> Verdict {
        let key = Address.normalised(address)
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        var entry = entries[key] ?? History(address: key)
        prune(&entry, now: seconds)
        let reason: Reason?
        if let bodyHash, entry.bodies.contains(where: { $0.hash == bodyHash }) {
            reason = .repeatedBody
        } else if entry.sentAt.count >= limit {
            reason = .rateLimit
        } else {
            reason = nil
        }
        let verdict: Verdict
        if let reason {
            verdict = .suppress(reason, first: !entry.suppressing)
            entry.suppressing = true
        } else {
            entry.sentAt.append(seconds)
            if let bodyHash { entry.bodies.append(BodySend(hash: bodyHash, at: seconds)) }
            entry.suppressing = false
            verdict = .send
        }
        entries[key] = entry
        if entries.count > maxAddresses { forgetIdle(now: seconds) }
        return verdict
    }

    /// Drops everything older than both windows; call now and then to keep the state small.
    public mutating func prune(at now: Date) {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        for key in Array(entries.keys) {
            guard var entry = entries[key] else { continue }
            prune(&entry, now: seconds)
            entries[key] = entry.sentAt.isEmpty && entry.bodies.isEmpty ? nil : entry
        }
    }

    private func prune(_ entry: inout History, now: Int64) {
        entry.sentAt.removeAll { Double(now &- $0) >= window }
        entry.bodies.removeAll { Double(now &- $0.at) >= repeatWindow }
        if entry.sentAt.count < limit, entry.bodies.isEmpty { entry.suppressing = false }
    }

    private mutating func forgetIdle(now: Int64) {
        prune(at: Date(timeIntervalSince1970: TimeInterval(now)))
        guard entries.count > maxAddresses else { return }
        let byLastUse = entries.sorted { ($0.value.sentAt.last ?? 0) < ($1.value.sentAt.last ?? 0) }
        for (key, _) in byLastUse.prefix(entries.count - maxAddresses) { entries[key] = nil }
    }
}
