import Transport

/// One mailbox's listening connection, apart from the one the poller fetches with: it only
/// waits in IDLE and says when to fetch. The real one is `CurlIdleConnection`; tests script one.
public protocol IdleConnection: AnyObject {
    /// Connects, logs in and opens the folder read-only. Returns whether the server offers IDLE.
    func open() throws -> Bool
    /// Waits in IDLE until news, `renewAfter` seconds, or `interrupt` is readable (see `CurlIMAPClient.idle`).
    func idle(renewAfter: Double, interrupt: Int32) throws -> CurlIMAPClient.IdleEnd
    /// A round trip that proves the connection alive (it times out when the peer is gone).
    func noop() throws
    /// Says LOGOUT when connected, then closes; never throws.
    func logout()
    /// Drops the connection without a word (after an error).
    func close()
}
