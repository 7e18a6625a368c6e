/// Where and how to reach an SMTP server for outgoing mail.
public struct SMTPEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// smtps:// (TLS from the first byte) instead of smtp:// with STARTTLS.
    public var implicitTLS: Bool
    /// On smtp://, refuse to send without STARTTLS. Off only for `tls: none` on loopback.
    public var requireTLS: Bool
    public var caFile: String?
    /// Nil for an unauthenticated relay.
    public var user: String?
    public var credential: MailCredential
    /// The name sent in EHLO; nil lets libcurl use the machine's host name.
    public var heloName: String?
    public var timeoutSeconds: Int

    public init(host: String, port: Int, implicitTLS: Bool = false, requireTLS: Bool = true, caFile: String? = nil,
                user: String? = nil, credential: MailCredential = .none, heloName: String? = nil, timeoutSeconds: Int = 60) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.user = user
        self.credential = credential
        self.heloName = heloName
        self.timeoutSeconds = timeoutSeconds
    }

    public var address: String { "\(host):\(port)" }

    /// The EHLO name goes in the path, where libcurl takes it from.
    var url: String {
        ServerURL.string(scheme: implicitTLS ? "smtps" : "smtp", host: host, port: port, path: heloName.map { "/" + $0 } ?? "")
    }
}
