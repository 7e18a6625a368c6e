/// Mailbox and flag commands. Every name and flag is quoted by `IMAPQuoting`; UIDs travel as
/// `UIDSet`s, so nothing a caller passes can add to a command.
extension CurlIMAPClient {
    /// Asks for and remembers the server's capabilities.
    @discardableResult
    public func capability() throws -> Set<String> {
        var found: [String] = []
        try execute("CAPABILITY") { if case .capability(let c) = $0 { found += c } }
        capabilities = Set(found.map { $0.uppercased() })
        return capabilities
    }

    /// Opens `mailbox` read-write; later UID commands act on it.
    public func select(_ mailbox: String) throws -> IMAPMailbox {
        try open(mailbox, verb: "SELECT")
    }

    /// Opens `mailbox` read-only (flags stay untouched, even \Recent).
    public func examine(_ mailbox: String) throws -> IMAPMailbox {
        try open(mailbox, verb: "EXAMINE")
    }

    private func open(_ mailbox: String, verb: String) throws -> IMAPMailbox {
        let quoted = try IMAPQuoting.mailbox(mailbox, host: endpoint.address)
        var validity: UInt32?, next: UInt32?, exists = 0
        selected = nil
        let completion = try execute("\(verb) \(quoted)") { response in
            switch response {
            case .exists(let n): exists = n
            case .condition(.ok, .uidValidity(let v)?, _): validity = v
            case .condition(.ok, .uidNext(let n)?, _): next = n
            default: break
            }
        }
        guard let validity else {
            throw TransportError(kind: .protocolError, host: endpoint.address, command: verb,
                                 message: "server sent no UIDVALIDITY", disposition: .permanent)
        }
        selected = mailbox
        return IMAPMailbox(name: mailbox, uidValidity: validity, uidNext: next, exists: exists,
                           readOnly: completion.code == .readOnly || verb == "EXAMINE")
    }

    /// UIDVALIDITY, UIDNEXT and counts without opening the mailbox.
    public func status(_ mailbox: String) throws -> IMAPMailboxStatus {
        let quoted = try IMAPQuoting.mailbox(mailbox, host: endpoint.address)
        var items: [String: UInt64] = [:]
        try execute("STATUS \(quoted) (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)") { response in
            if case .status(_, let found) = response { items.merge(found) { $1 } }
        }
        guard let validity = items["UIDVALIDITY"], let next = items["UIDNEXT"] else {
            throw TransportError(kind: .protocolError, host: endpoint.address, command: "STATUS",
                                 message: "STATUS lacks UIDVALIDITY or UIDNEXT", disposition: .permanent)
        }
        return IMAPMailboxStatus(messages: Int(items["MESSAGES"] ?? 0), uidNext: UInt32(clamping: next),
                                 uidValidity: UInt32(clamping: validity), unseen: Int(items["UNSEEN"] ?? 0))
    }

    /// UIDs present in the selected mailbox within `range` (bounded, so the answer line is too).
    public func searchUIDs(in range: ClosedRange<UInt32>) throws -> [UInt32] {
        let set = UIDSet(range)
        guard !set.isEmpty else { return [] }
        var uids: [UInt32] = []
        try execute("UID SEARCH UID \(set)") { if case .search(let found) = $0 { uids += found } }
        return uids.filter { set.contains($0) }.sorted()
    }

    /// Every UID in the selected mailbox, in one round trip: `UID SEARCH RETURN (ALL) ALL`
    /// where the server offers ESEARCH (RFC 4731: the answer is a compact range list), else
    /// `UID FETCH 1:* (UID)`. `exists`: the count from SELECT (an empty folder is not asked).
    /// `esearch: false` takes the second way even where ESEARCH is offered (benchmarks, tests).
    public func allUIDs(exists: Int, esearch: Bool = true) throws -> UIDSet {
        guard exists > 0 else { return UIDSet([UInt32]()) }
        if esearch && capabilities.contains("ESEARCH") {
            var found: [ClosedRange<UInt32>] = []
            try execute("UID SEARCH RETURN (ALL) ALL") { response in
                // `* ESEARCH (TAG "A5") UID ALL 1:3,5`; no ALL when nothing matched.
                guard case .other(name: "ESEARCH", text: let text) = response else { return }
                let words = text.split(separator: " ")
                if let at = words.firstIndex(where: { $0.uppercased() == "ALL" }), at + 1 < words.count,
                   let set = UIDSet(parsing: words[at + 1]) {
                    found += set.ranges
                }
            }
            return UIDSet(ranges: found)
        }
        var uids: [UInt32] = []
        uids.reserveCapacity(exists)
        try execute("UID FETCH 1:* (UID)") { if case .fetch(_, let f) = $0, let uid = f.uid { uids.append(uid) } }
        return UIDSet(uids)
    }

    /// Adds flags to messages: `addFlags(["\\Seen"], to: set)`.
    public func addFlags(_ flags: [String], to uids: UIDSet) throws {
        guard !uids.isEmpty else { return }
        let list = try flags.map { try IMAPQuoting.flag($0, host: endpoint.address) }.joined(separator: " ")
        try execute("UID STORE \(uids) +FLAGS.SILENT (\(list))")
    }

    public func markSeen(_ uids: UIDSet) throws {
        try addFlags(["\\Seen"], to: uids)
    }

    /// Moves messages: UID MOVE where offered, else COPY, flag \Deleted and expunge them.
    public func move(_ uids: UIDSet, to mailbox: String) throws {
        guard !uids.isEmpty else { return }
        let quoted = try IMAPQuoting.mailbox(mailbox, host: endpoint.address)
        if capabilities.contains("MOVE") {
            try execute("UID MOVE \(uids) \(quoted)")
        } else {
            try execute("UID COPY \(uids) \(quoted)")
            try delete(uids)
        }
    }

    /// Removes messages flagged \Deleted. With UIDPLUS only `uids`; without it, plain EXPUNGE
    /// removes every \Deleted message in the mailbox (the best such a server allows).
    public func expunge(_ uids: UIDSet) throws {
        guard !uids.isEmpty else { return }
        try execute(capabilities.contains("UIDPLUS") ? "UID EXPUNGE \(uids)" : "EXPUNGE")
    }

    /// Deletes messages for good: flag \Deleted, then expunge them.
    public func delete(_ uids: UIDSet) throws {
        try addFlags(["\\Deleted"], to: uids)
        try expunge(uids)
    }

    /// Stores a message in `mailbox`; returns its UID when the server says (UIDPLUS).
    @discardableResult
    public func append(_ message: [UInt8], to mailbox: String, flags: [String] = []) throws -> UInt32? {
        let quoted = try IMAPQuoting.mailbox(mailbox, host: endpoint.address)
        let list = try flags.map { try IMAPQuoting.flag($0, host: endpoint.address) }.joined(separator: " ")
        let completion = try execute("APPEND \(quoted)" + (flags.isEmpty ? "" : " (\(list))"), literal: message)
        if case .appendUID(_, let uid)? = completion.code { return uid }
        return nil
    }

    /// Stores many messages with few round trips (loaders for tests, demo and benchmarks):
    /// MULTIAPPEND (RFC 3502) with LITERAL+ sends up to 64 messages per command; other servers
    /// get one APPEND each. Returns the UIDs in order when the server reports them (UIDPLUS).
    @discardableResult
    public func append(_ messages: [[UInt8]], to mailbox: String) throws -> [UInt32?] {
        guard capabilities.contains("MULTIAPPEND"), capabilities.contains("LITERAL+") else {
            return try messages.map { try append($0, to: mailbox) }
        }
        let quoted = try IMAPQuoting.mailbox(mailbox, host: endpoint.address)
        var uids: [UInt32?] = []
        var start = 0
        while start < messages.count {
            let batch = messages[start ..< min(start + 64, messages.count)]
            start += batch.count
            var command: [UInt8] = []
            for message in batch {
                command += Array(" {\(message.count)+}\r\n".utf8)
                command += message
            }
            command += [0x0D, 0x0A]
            let completion = try execute("APPEND \(quoted)", raw: command)
            var assigned: [UInt32] = []
            switch completion.code {
            case .appendUID(_, let uid)?: assigned = [uid]
            case .other("APPENDUID", let text)?:
                // Several messages: `APPENDUID validity 5:68` (a UID set).
                let parts = text.split(separator: " ")
                if parts.count == 2 {
                    for piece in parts[1].split(separator: ",") {
                        let ends = piece.split(separator: ":").compactMap { UInt32($0) }
                        if ends.count == 2, ends[0] <= ends[1] { assigned += Array(ends[0] ... ends[1]) }
                        if ends.count == 1 { assigned += ends }
                    }
                }
            default: break
            }
            uids += assigned.count == batch.count ? assigned.map { $0 } : Array(repeating: nil, count: batch.count)
        }
        return uids
    }

    public func createMailbox(_ mailbox: String) throws {
        try execute("CREATE \(try IMAPQuoting.mailbox(mailbox, host: endpoint.address))")
    }

    public func deleteMailbox(_ mailbox: String) throws {
        if selected == mailbox { try execute("CLOSE"); selected = nil }
        try execute("DELETE \(try IMAPQuoting.mailbox(mailbox, host: endpoint.address))")
    }

    /// Keeps the session alive and lets the server report new mail.
    public func noop() throws {
        try execute("NOOP")
    }
}
