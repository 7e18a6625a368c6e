import Transport

/// What the server says about a selected folder.
public struct MailboxSnapshot: Sendable, Equatable {
    public var uidValidity: Int64
    public var uidNext: Int64
    public var exists: Int64
    public init(uidValidity: Int64, uidNext: Int64, exists: Int64) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.exists = exists
    }
}

/// The seam between the poller and an IMAP folder. The real one speaks IMAP through libcurl
/// (`CurlMailboxSource`); tests use `FakeMailbox`.
public protocol MailboxSource: AnyObject {
    /// Connects if needed, logs in and selects the folder.
    func open() throws -> MailboxSnapshot
    /// UIDs above `uid` with their sizes, ascending.
    func listUIDs(above uid: Int64) throws -> [(uid: Int64, size: Int64)]
    /// Every UID the folder holds, in one round trip (`exists`: the count from `open`).
    func allUIDs(exists: Int64) throws -> UIDSet
    /// The sizes of these UIDs (those still there), ascending.
    func sizes(of uids: [Int64]) throws -> [(uid: Int64, size: Int64)]
    /// Fetches the raw bytes of `uids` without setting \Seen, calling `each` in UID order as
    /// each message completes (one round trip per batch).
    func fetch(uids: [Int64], each: (Int64, [UInt8]) throws -> Void) throws
    /// Applies the after-import action to `uids`.
    func apply(_ action: AfterImport, uids: [Int64]) throws
    /// Drops the connection (after an error, or at shutdown).
    func close()
}

extension AfterImport {
    /// Parses the stored form (`seen`, `delete`, `move:Folder`).
    public init?(stored: String) {
        switch stored {
        case "seen": self = .seen
        case "delete": self = .delete
        case _ where stored.hasPrefix("move:") && stored.count > 5: self = .move(String(stored.dropFirst(5)))
        default: return nil
        }
    }
}
