/// Where and how to reach an IMAP server. The daemon builds one from its config at each
/// connect, so a bearer token read from a file or command is always current.
public struct IMAPEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// imaps:// (TLS from the first byte) instead of imap:// with STARTTLS.
    public var implicitTLS: Bool
    /// On imap://, refuse to continue without STARTTLS. Off only for `tls: none` on loopback.
    public var requireTLS: Bool
    /// A PEM file of CA certificates to trust instead of the system store.
    public var caFile: String?
    public var user: String
    public var credential: MailCredential
    /// Longest wait for the server to say anything (connect, login, each read or write).
    public var timeoutSeconds: Int

    public init(host: String, port: Int, implicitTLS: Bool = false, requireTLS: Bool = true, caFile: String? = nil,
                user: String, credential: MailCredential, timeoutSeconds: Int = 60) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.user = user
        self.credential = credential
        self.timeoutSeconds = timeoutSeconds
    }

    /// Host and port for messages and logs (no user, no secret).
    public var address: String { "\(host):\(port)" }

    var url: String { ServerURL.string(scheme: implicitTLS ? "imaps" : "imap", host: host, port: port, path: "/") }
}
