import Daemon
import Foundation
import Transport

/// An in-memory IMAP folder for poller tests: UIDs, UIDVALIDITY, flags, and injectable failures.
public final class FakeMailbox: MailboxSource, @unchecked Sendable {
    public struct Stored {
        public var uid: Int64
        public var bytes: [UInt8]
        public var seen = false
        public var deleted = false
    }

    public private(set) var messages: [Stored] = []
    public private(set) var moved: [String: [[UInt8]]] = [:]
    public var uidValidity: Int64 = 1
    public private(set) var nextUID: Int64 = 1
    public private(set) var opens = 0
    public private(set) var fetchCalls = 0
    public private(set) var appliedActions: [(AfterImport, [Int64])] = []

    /// Set to make the next `open` fail (e.g. a connection error), cleared after it fires.
    public var failNextOpen: Error?
    /// Fail `apply` (server went away after commit), cleared after it fires.
    public var failNextApply: Error?
    /// Answer the next `apply` with OK but change nothing (a server that lost the action).
    public var ignoreNextApply = false
    /// Fail in the middle of a fetch, after this many messages were delivered.
    public var failFetchAfter: Int?
    public var failFetchError: Error = FakeMailboxError(message: "connection reset")
    /// UIDs the next fetch silently leaves out although they exist (a server hiccup).
    public var omitOnceFromFetch: Set<Int64> = []
    /// UIDs the next listing (of new UIDs, or of the whole folder) leaves out although they
    /// exist, as a server that reorders or briefly hides a message does; shown again after.
    public var hideOnceFromListing: Set<Int64> = []
    public private(set) var listCalls = 0

    public init() {}

    @discardableResult
    public func append(_ bytes: [UInt8]) -> Int64 {
        let uid = nextUID
        nextUID += 1
        messages.append(Stored(uid: uid, bytes: bytes))
        return uid
    }

    public func append(_ text: String) { append(Array(text.utf8)) }

    /// Renumbers every message as a server does when a folder is recreated.
    public func recreate(uidValidity: Int64) {
        self.uidValidity = uidValidity
        nextUID = 1
        messages = messages.filter { !$0.deleted }.map { var m = $0; m.uid = nextUID; nextUID += 1; m.seen = false; return m }
    }

    public var seenUIDs: [Int64] { messages.filter(\.seen).map(\.uid) }
    public var liveUIDs: [Int64] { messages.filter { !$0.deleted }.map(\.uid) }

    public func open() throws -> MailboxSnapshot {
        opens += 1
        if let e = failNextOpen { failNextOpen = nil; throw e }
        return MailboxSnapshot(uidValidity: uidValidity, uidNext: nextUID, exists: Int64(liveUIDs.count))
    }

    public func listUIDs(above uid: Int64) throws -> [(uid: Int64, size: Int64)] {
        let hidden = hideOnceFromListing
        hideOnceFromListing = []
        return messages.filter { !$0.deleted && $0.uid > uid && !hidden.contains($0.uid) }.map { ($0.uid, Int64($0.bytes.count)) }
    }

    public func allUIDs(exists: Int64) throws -> UIDSet {
        listCalls += 1
        let hidden = hideOnceFromListing
        hideOnceFromListing = []
        return UIDSet(messages.filter { !$0.deleted && !hidden.contains($0.uid) }.compactMap { UInt32(exactly: $0.uid) })
    }

    public func sizes(of uids: [Int64]) throws -> [(uid: Int64, size: Int64)] {
        messages.filter { !$0.deleted && uids.contains($0.uid) }.map { ($0.uid, Int64($0.bytes.count)) }
    }

    /// Marks messages \Seen as a person reading the folder in webmail would.
    public func markSeenByHand(_ uids: [Int64]) {
        for i in messages.indices where uids.contains(messages[i].uid) { messages[i].seen = true }
    }

    public func fetch(uids: [Int64], each: (Int64, [UInt8]) throws -> Void) throws {
        fetchCalls += 1
        var delivered = 0
        let omitted = omitOnceFromFetch
        omitOnceFromFetch = []
        for uid in uids where !omitted.contains(uid) {
            guard let m = messages.first(where: { $0.uid == uid && !$0.deleted }) else { continue }
            if let limit = failFetchAfter, delivered >= limit { failFetchAfter = nil; throw failFetchError }
            try each(uid, m.bytes)
            delivered += 1
        }
    }

    public func apply(_ action: AfterImport, uids: [Int64]) throws {
        if let e = failNextApply { failNextApply = nil; throw e }
        appliedActions.append((action, uids))
        if ignoreNextApply { ignoreNextApply = false; return }
        // Expunged messages are gone: an action on their UIDs changes nothing (as on a server).
        for i in messages.indices where uids.contains(messages[i].uid) && !messages[i].deleted {
            switch action {
            case .seen: messages[i].seen = true
            case .delete: messages[i].deleted = true
            case .move(let folder):
                moved[folder, default: []].append(messages[i].bytes)
                messages[i].deleted = true
            }
        }
    }

    public func close() {}
}

public struct FakeMailboxError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
