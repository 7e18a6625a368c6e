/// What SELECT or EXAMINE reports about the mailbox it opened.
public struct IMAPMailbox: Sendable, Equatable {
    public var name: String
    public var uidValidity: UInt32
    /// The UID the next delivered message will get (at least; servers may skip).
    public var uidNext: UInt32?
    public var exists: Int
    public var readOnly: Bool

    public init(name: String, uidValidity: UInt32, uidNext: UInt32?, exists: Int, readOnly: Bool) {
        self.name = name
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.exists = exists
        self.readOnly = readOnly
    }
}

/// What STATUS reports about a mailbox without opening it.
public struct IMAPMailboxStatus: Sendable, Equatable {
    public var messages: Int
    public var uidNext: UInt32
    public var uidValidity: UInt32
    public var unseen: Int

    public init(messages: Int, uidNext: UInt32, uidValidity: UInt32, unseen: Int) {
        self.messages = messages
        self.uidNext = uidNext
        self.uidValidity = uidValidity
        self.unseen = unseen
    }
}

/// A message's UID and size, from `UID FETCH a:b (UID RFC822.SIZE)`.
public struct IMAPMessageSize: Sendable, Equatable {
    public var uid: UInt32
    public var size: Int

    public init(uid: UInt32, size: Int) {
        self.uid = uid
        self.size = size
    }
}

/// One fetched message: the exact bytes the server holds, unchanged.
public struct IMAPFetchedMessage: Sendable, Equatable {
    public var uid: UInt32
    public var bytes: [UInt8]
    public var flags: [String]?

    public init(uid: UInt32, bytes: [UInt8], flags: [String]? = nil) {
        self.uid = uid
        self.bytes = bytes
        self.flags = flags
    }
}
