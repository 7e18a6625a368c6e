import Transport

/// A configured IMAP folder through our libcurl-based client: libcurl connects and logs in,
/// we speak IMAP with our own literal-aware parser. The connection is kept between polls and
/// dropped after any error; the password or token is read again at each connect.
public final class CurlMailboxSource: MailboxSource {
    let mailbox: MailboxConfig
    let environment: [String: String]
    let log: Log
    private var client: CurlIMAPClient?
    private var createdFolders: Set<String> = []

    public init(mailbox: MailboxConfig, environment: [String: String], log: Log) {
        self.mailbox = mailbox
        self.environment = environment
        self.log = log
    }

    func endpoint() throws -> IMAPEndpoint {
        let credential: MailCredential
        do {
            switch mailbox.auth {
            case .plain: credential = .password(try mailbox.password.map { try SecretReader.read($0, environment: environment) } ?? "")
            case .xoauth2: credential = .bearer(try mailbox.token.map { try SecretReader.read($0, environment: environment) } ?? "")
            }
        } catch {
            throw TransportError(kind: .config, host: "\(mailbox.host):\(mailbox.port)", message: "\(error)", disposition: .permanent)
        }
        return IMAPEndpoint(host: mailbox.host, port: mailbox.port, implicitTLS: mailbox.implicitTLS,
                            requireTLS: mailbox.tls == .required, caFile: mailbox.caFile, user: mailbox.user,
                            credential: credential)
    }

    private func connected() throws -> CurlIMAPClient {
        if let client { return client }
        let fresh = CurlIMAPClient(endpoint: try endpoint())
        try fresh.connect()
        client = fresh
        log.debug("imap.connected", ["mailbox": mailbox.name, "host": mailbox.host, "port": mailbox.port])
        return fresh
    }

    /// Runs `body` on the connection; on failure the connection is dropped so the next call starts clean.
    private func withClient<T>(_ body: (CurlIMAPClient) throws -> T) throws -> T {
        let c = try connected()
        do { return try body(c) } catch {
            close()
            throw error
        }
    }

    public func open() throws -> MailboxSnapshot {
        // A kept connection may have died while idle: one fresh attempt before giving up.
        let selected: IMAPMailbox
        if client != nil, let again = try? withClient({ try $0.select(mailbox.folder) }) {
            selected = again
        } else {
            selected = try withClient { try $0.select(mailbox.folder) }
        }
        return MailboxSnapshot(uidValidity: Int64(selected.uidValidity), uidNext: Int64(selected.uidNext ?? 0),
                               exists: Int64(selected.exists))
    }

    public func listUIDs(above uid: Int64) throws -> [(uid: Int64, size: Int64)] {
        guard uid < Int64(UInt32.max) else { return [] }
        return try withClient { c in
            try c.messageSizes(in: UInt32(uid + 1)...UInt32.max).map { (Int64($0.uid), Int64($0.size)) }
        }
    }

    public func allUIDs(exists: Int64) throws -> UIDSet {
        try withClient { c in try c.allUIDs(exists: Int(exists)) }
    }

    public func sizes(of uids: [Int64]) throws -> [(uid: Int64, size: Int64)] {
        let set = UIDSet(uids.compactMap { UInt32(exactly: $0) })
        guard !set.isEmpty else { return [] }
        return try withClient { c in try c.messageSizes(set).map { (Int64($0.uid), Int64($0.size)) } }
    }

    public func fetch(uids: [Int64], each: (Int64, [UInt8]) throws -> Void) throws {
        let set = UIDSet(uids.compactMap { UInt32(exactly: $0) })
        try withClient { c in
            _ = try c.fetchMessages(set) { message in try each(Int64(message.uid), message.bytes) }
        }
    }

    public func apply(_ action: AfterImport, uids: [Int64]) throws {
        let set = UIDSet(uids.compactMap { UInt32(exactly: $0) })
        guard !set.isEmpty else { return }
        try withClient { c in
            switch action {
            case .seen: try c.markSeen(set)
            case .delete: try c.delete(set)
            case .move(let folder):
                if !createdFolders.contains(folder) {
                    // CREATE fails harmlessly when the folder exists; MOVE must not fail for want of it.
                    try? c.createMailbox(folder)
                    createdFolders.insert(folder)
                }
                try c.move(set, to: folder)
            }
        }
    }

    public func close() {
        client?.disconnect()
        client = nil
    }
}

extension TransportError: TransportErrorLike {
    public var isPermanent: Bool { disposition == .permanent }
}
