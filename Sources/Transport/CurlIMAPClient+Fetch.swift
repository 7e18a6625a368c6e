/// Reading messages from the selected mailbox: one command per batch, however many messages
/// it holds, and each message handed over as soon as its literal is complete.
extension CurlIMAPClient {
    /// UIDs and sizes of the messages within `range` (ascending). Cheap: no bodies.
    public func messageSizes(in range: ClosedRange<UInt32>) throws -> [IMAPMessageSize] {
        try messageSizes(UIDSet(range))
    }

    /// UIDs of `set` present in the selected mailbox, with their sizes, ascending.
    public func messageSizes(_ set: UIDSet) throws -> [IMAPMessageSize] {
        guard !set.isEmpty else { return [] }
        var found: [IMAPMessageSize] = []
        try execute("UID FETCH \(set) (UID RFC822.SIZE)") { response in
            // Unsolicited FETCHes (flag changes by others) carry no UID or size: skip them.
            if case .fetch(_, let f) = response, let uid = f.uid, let size = f.size, set.contains(uid) {
                found.append(IMAPMessageSize(uid: uid, size: size))
            }
        }
        return found.sorted { $0.uid < $1.uid }
    }

    /// Fetches the exact bytes of `uids` with `BODY.PEEK[]` (the \Seen flag stays as it was) in
    /// one pipelined command, calling `deliver` once per message as it arrives. Memory holds
    /// about one message at a time. Returns the UIDs the server did not send (expunged since).
    ///
    /// If `deliver` throws, the rest of the response is still read (and not delivered) so the
    /// connection stays usable, then the error is rethrown.
    @discardableResult
    public func fetchMessages(_ uids: UIDSet, deliver: (IMAPFetchedMessage) throws -> Void) throws -> [UInt32] {
        guard !uids.isEmpty else { return [] }
        var delivered = Set<UInt32>()
        try execute("UID FETCH \(uids) (UID FLAGS BODY.PEEK[])") { response in
            guard case .fetch(_, let f) = response, let uid = f.uid, uids.contains(uid),
                  let body = f.body, !delivered.contains(uid) else { return }
            delivered.insert(uid)
            try deliver(IMAPFetchedMessage(uid: uid, bytes: body, flags: f.flags))
        }
        return uids.uids.filter { !delivered.contains($0) }
    }

    /// What `rawDownload` saw.
    public struct RawDownload: Sendable, Equatable {
        public var messages: Int
        /// Message bytes (the literals).
        public var messageBytes: Int
    }

    /// The benchmark baseline: opens `mailbox` read-only and downloads everything with a single
    /// `UID FETCH 1:* (BODY.PEEK[])`, counting messages and bytes and keeping none.
    public func rawDownload(mailbox: String) throws -> RawDownload {
        let opened = try examine(mailbox)
        var result = RawDownload(messages: 0, messageBytes: 0)
        guard opened.exists > 0 else { return result }
        try execute("UID FETCH 1:* (BODY.PEEK[])") { response in
            if case .fetch(_, let f) = response, let body = f.body {
                result.messages += 1
                result.messageBytes += body.count
            }
        }
        return result
    }
}
