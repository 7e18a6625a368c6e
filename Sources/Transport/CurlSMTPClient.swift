import CCurl

/// Sends messages through an SMTP server with libcurl (smtp:// + STARTTLS, or smtps://).
/// One handle is kept, so consecutive sends reuse the connection; libcurl closes it after an
/// error and reconnects on the next send. For one thread at a time.
public final class CurlSMTPClient {
    public let endpoint: SMTPEndpoint
    private var handle: CurlHandle?
    /// Connections libcurl opened for this client so far (a reused one counts once).
    public private(set) var connectionsOpened = 0
    /// The recipients the last send refused, also when it threw because nobody was left.
    public private(set) var lastRefused: [SMTPDelivery.Refusal] = []

    public init(endpoint: SMTPEndpoint) {
        self.endpoint = endpoint
    }

    /// Sends `message` (exact bytes, CRLF line ends; libcurl dot-stuffs) from `sender` to
    /// `recipients` (bare addresses, no angle brackets). Returns who was accepted and who was
    /// refused; throws when nobody got it (connection, TLS, login, MAIL FROM, DATA, or every
    /// recipient refused), with 4xx as `.temporary` and 5xx as `.permanent`.
    @discardableResult
    public func send(from sender: String, to recipients: [String], message: [UInt8]) throws -> SMTPDelivery {
        guard !recipients.isEmpty else {
            throw TransportError(kind: .config, host: endpoint.address, command: "RCPT", message: "no recipients", disposition: .permanent)
        }
        let from = try Self.path(sender, host: endpoint.address)
        let to = try recipients.map { try Self.path($0, host: endpoint.address) }

        let h = try handle ?? CurlHandle(host: endpoint.address)
        handle = h
        h.set(CURLOPT_URL, endpoint.url)
        h.set(CURLOPT_CONNECTTIMEOUT, endpoint.timeoutSeconds)
        // A whole send may move megabytes; bound stalls, not total time.
        h.set(CURLOPT_LOW_SPEED_LIMIT, 1)
        h.set(CURLOPT_LOW_SPEED_TIME, endpoint.timeoutSeconds)
        h.configureTLS(implicit: endpoint.implicitTLS, require: endpoint.requireTLS, caFile: endpoint.caFile)
        h.configureCredential(user: endpoint.user, endpoint.credential)
        h.set(CURLOPT_MAIL_FROM, from)
        // Report refused recipients instead of failing the whole send on the first one.
        h.set(CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1)

        var list: UnsafeMutablePointer<curl_slist>?
        for address in to { list = curl_slist_append(list, address) }
        defer { curl_slist_free_all(list) }
        _ = CCurl_setopt_slist(h.raw, CURLOPT_MAIL_RCPT, list)

        let exchange = SMTPExchange(message: message)
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        h.set(CURLOPT_UPLOAD, 1)
        h.set(CURLOPT_INFILESIZE_LARGE, message.count)
        _ = CCurl_setopt_read(h.raw) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let exchange = Unmanaged<SMTPExchange>.fromOpaque(context).takeUnretainedValue()
            return exchange.read(into: buffer, capacity: size * count)
        }
        _ = CCurl_setopt_pointer(h.raw, CURLOPT_READDATA, context)
        // The per-recipient replies are only visible in the protocol trace; VERBOSE routes it
        // to our callback (nothing is printed, and nothing of it is logged).
        h.traceProtocol({ _, type, data, size, context in
            guard let data, let context else { return 0 }
            Unmanaged<SMTPExchange>.fromOpaque(context).takeUnretainedValue().record(type, data, size)
            return 0
        }, context: context)
        defer {
            h.stopTracing()
            _ = CCurl_setopt_pointer(h.raw, CURLOPT_READDATA, nil)
            _ = CCurl_setopt_slist(h.raw, CURLOPT_MAIL_RCPT, nil)
        }

        lastRefused = []
        let code = h.perform()
        connectionsOpened += h.info(CURLINFO_NUM_CONNECTS)
        let replies = exchange.recipientReplies()
        var delivery = SMTPDelivery(accepted: [], refused: [])
        for (i, address) in recipients.enumerated() {
            if i < replies.count, replies[i].code >= 400 {
                delivery.refused.append(.init(recipient: address, code: replies[i].code, text: replies[i].text))
            } else {
                delivery.accepted.append(address)
            }
        }
        lastRefused = delivery.refused
        guard code != CURLE_OK else { return delivery }

        let smtpCode = h.info(CURLINFO_RESPONSE_CODE)
        let command = exchange.lastCommand
        if code == CURLE_LOGIN_DENIED || smtpCode == 535 || command == "AUTH" && smtpCode >= 500 {
            throw TransportError.curl(CURLE_LOGIN_DENIED, host: endpoint.address, command: "AUTH",
                                      message: "server replied \(smtpCode)", service: "SMTP")
        }
        if smtpCode >= 400 && smtpCode < 600 {
            let refusedAll = !delivery.refused.isEmpty && delivery.accepted.isEmpty
            let transient = refusedAll ? delivery.refused.allSatisfy { $0.code < 500 } : smtpCode < 500
            let what = refusedAll ? "every recipient refused (\(delivery.refused.map { "\($0.code)" }.joined(separator: ", ")))"
                                  : "server replied \(smtpCode)"
            throw TransportError(kind: .rejected, host: endpoint.address, command: command,
                                 message: "\(what): \(h.message(for: code))", disposition: transient ? .temporary : .permanent)
        }
        throw TransportError.curl(code, host: endpoint.address, command: command, message: h.message(for: code), service: "SMTP")
    }

    /// Drops the kept connection.
    public func close() {
        handle = nil
    }

    /// `<address>`, refusing anything that could add an SMTP command or parameter.
    static func path(_ address: String, host: String) throws -> String {
        guard !address.isEmpty, address.utf8.count <= 320,
              !address.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0.value == 0x7F }) else {
            throw TransportError(kind: .config, host: host, command: "MAIL", message: "invalid e-mail address for SMTP",
                                 disposition: .permanent)
        }
        return "<\(address)>"
    }
}

/// Everything one send shares with libcurl's C callbacks: the bytes to upload and the trace.
private final class SMTPExchange {
    private let message: [UInt8]
    private var offset = 0
    /// Protocol lines in order: true = we sent it, false = the server did.
    private var lines: [(sent: Bool, text: String)] = []
    private var pendingIn = ""

    private static let verbs: Set<String> = ["EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "QUIT", "NOOP"]

    init(message: [UInt8]) { self.message = message }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let n = min(capacity, message.count - offset)
        guard n > 0 else { return 0 }
        message.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }

    func record(_ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>, _ size: Int) {
        guard type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT, lines.count < 10_000 else { return }
        let text = String(decoding: UnsafeRawBufferPointer(start: data, count: min(size, 4096)), as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard type == CURLINFO_HEADER_OUT else {
                lines.append((false, String(line)))
                continue
            }
            // Of what we send, keep only known verbs (and RCPT's order): AUTH continuations
            // are base64 credentials and must never reach an error message.
            let verb = line.prefix { $0 != " " && $0 != ":" }.uppercased()
            lines.append((true, Self.verbs.contains(verb) ? verb : "(data)"))
        }
    }

    /// The command verb we sent last (no arguments: those hold addresses or credentials).
    var lastCommand: String? {
        lines.last { $0.sent && $0.text != "(data)" }?.text
    }

    /// The final reply line to each RCPT TO, in the order sent.
    func recipientReplies() -> [(code: Int, text: String)] {
        var replies: [(code: Int, text: String)] = []
        var awaiting = false
        for line in lines {
            if line.sent {
                awaiting = line.text == "RCPT"
                continue
            }
            // A reply's last line is `NNN text`; earlier lines of it are `NNN-text`.
            guard awaiting, line.text.count >= 3, let code = Int(line.text.prefix(3)) else { continue }
            let rest = line.text.dropFirst(3)
            if rest.first == "-" { continue }
            replies.append((code, String(rest.drop { $0 == " " }.prefix(200))))
            awaiting = false
        }
        return replies
    }
}
