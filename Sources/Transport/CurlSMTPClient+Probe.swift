import CCurl

/// What an SMTP server showed when `probe()` connected and logged in without sending.
public struct SMTPProbe: Sendable, Equatable {
    /// STARTTLS was negotiated (false with smtps://, where TLS starts at connect).
    public var startTLS: Bool
    /// AUTH ran and the server accepted it.
    public var authenticated: Bool
    /// The SASL mechanisms the server's (last) EHLO reply offered; empty when it offered none.
    public var authMechanisms: [String]

    public init(startTLS: Bool, authenticated: Bool, authMechanisms: [String]) {
        self.startTLS = startTLS
        self.authenticated = authenticated
        self.authMechanisms = authMechanisms
    }
}

extension CurlSMTPClient {
    /// Connects, negotiates TLS and authenticates exactly as `send` would, then says QUIT:
    /// no MAIL, RCPT or DATA, so nothing is ever sent (for `postdesk doctor`). Throws the same
    /// classified `TransportError`s as `send` (`.auth` for a refused login).
    public func probe() throws -> SMTPProbe {
        // libcurl runs greeting, EHLO, STARTTLS and AUTH as the protocol's connect phase, then stops.
        let h = try CurlHandle.connectOnly(url: endpoint.url, host: endpoint.address, timeoutSeconds: endpoint.timeoutSeconds,
                                           implicitTLS: endpoint.implicitTLS, requireTLS: endpoint.requireTLS,
                                           caFile: endpoint.caFile, user: endpoint.user, credential: endpoint.credential)
        let trace = ProbeTrace()
        h.traceProtocol({ _, type, data, size, context in
            guard let data, let context else { return 0 }
            Unmanaged<ProbeTrace>.fromOpaque(context).takeUnretainedValue().record(type, data, size)
            return 0
        }, context: Unmanaged.passUnretained(trace).toOpaque())
        defer { h.stopTracing() }

        let code = h.perform()
        guard code == CURLE_OK else {
            let smtpCode = h.info(CURLINFO_RESPONSE_CODE)
            if code == CURLE_LOGIN_DENIED || trace.lastVerb == "AUTH" && smtpCode >= 500 {
                throw TransportError.curl(CURLE_LOGIN_DENIED, host: endpoint.address, command: "AUTH",
                                          message: "server replied \(smtpCode)", service: "SMTP")
            }
            throw TransportError.curl(code, host: endpoint.address, command: trace.lastVerb, message: h.message(for: code), service: "SMTP")
        }
        // Be polite; the answer does not matter and the handle's release closes the socket.
        let quit = Array("QUIT\r\n".utf8)
        var sent = 0
        _ = quit.withUnsafeBytes { curl_easy_send(h.raw, $0.baseAddress, $0.count, &sent) }
        return SMTPProbe(startTLS: trace.sent.contains("STARTTLS"),
                         authenticated: endpoint.user != nil && trace.sent.contains("AUTH"),
                         authMechanisms: trace.mechanisms)
    }
}

/// The protocol trace of a probe: verbs we sent (never their arguments, which hold
/// credentials) and the AUTH mechanisms the server offered.
private final class ProbeTrace {
    private(set) var sent: [String] = []
    private(set) var mechanisms: [String] = []

    var lastVerb: String? { sent.last }

    func record(_ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>, _ size: Int) {
        guard type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT, sent.count < 100 else { return }
        let text = String(decoding: UnsafeRawBufferPointer(start: data, count: min(size, 4096)), as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if type == CURLINFO_HEADER_OUT {
                let verb = line.prefix { $0 != " " }.uppercased()
                // A new EHLO (after STARTTLS) replaces what the first one offered.
                if verb == "EHLO" { mechanisms = [] }
                if ["EHLO", "HELO", "STARTTLS", "AUTH", "QUIT"].contains(verb) { sent.append(verb) }
                continue
            }
            // `250-AUTH PLAIN LOGIN` (or `250 AUTH …` as the last line).
            let words = line.dropFirst(4).split(separator: " ")
            if line.count > 4, line.hasPrefix("250"), words.first?.uppercased() == "AUTH" {
                mechanisms = words.dropFirst().map { $0.uppercased() }
            }
        }
    }
}
