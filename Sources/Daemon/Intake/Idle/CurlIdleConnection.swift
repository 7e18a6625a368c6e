import Transport

/// `IdleConnection` over our libcurl connect-only IMAP client. The folder is EXAMINEd: listening
/// must not change flags (\Recent stays for the poller's SELECT).
public final class CurlIdleConnection: IdleConnection {
    let source: CurlMailboxSource
    let folder: String
    private var client: CurlIMAPClient?

    public init(mailbox: MailboxConfig, environment: [String: String], log: Log) {
        source = CurlMailboxSource(mailbox: mailbox, environment: environment, log: log)
        folder = mailbox.folder
    }

    public func open() throws -> Bool {
        close()
        let fresh = CurlIMAPClient(endpoint: try source.endpoint())
        try fresh.connect()
        client = fresh
        guard fresh.supportsIdle else { return false }
        _ = try fresh.examine(folder)
        return true
    }

    public func idle(renewAfter: Double, interrupt: Int32) throws -> CurlIMAPClient.IdleEnd {
        guard let client else { throw TransportError(kind: .connect, host: source.mailbox.host, message: "not connected", disposition: .temporary) }
        return try client.idle(renewAfter: renewAfter, interrupt: interrupt)
    }

    public func noop() throws {
        try client?.noop()
    }

    public func logout() {
        client?.logout()
        client = nil
    }

    public func close() {
        client?.disconnect()
        client = nil
    }
}
