import CCurl
import Glibc

/// An IMAP client on libcurl: libcurl connects, does TLS (implicit or STARTTLS) and logs in
/// (`CURLOPT_CONNECT_ONLY`); after that we speak IMAP ourselves over `curl_easy_send`/`recv`
/// and frame responses with `IMAPResponseParser`. libcurl 7.88's own command layer cannot be
/// used for fetching: it does not skip literals, so a message line beginning with the tag ends
/// the command early and desynchronises the connection (see the project's libcurl notes).
///
/// Blocking, and for one thread at a time. Any I/O, timeout or framing failure drops the
/// connection (the stream can no longer be trusted); call `connect()` again. A server NO/BAD
/// leaves it open.
public final class CurlIMAPClient {
    public let endpoint: IMAPEndpoint
    public let limits: IMAPResponseParser.Limits
    /// Capabilities after login (upper-cased), e.g. `MOVE`, `UIDPLUS`, `LITERAL+`.
    public internal(set) var capabilities: Set<String> = []
    /// The mailbox opened by the last successful SELECT/EXAMINE.
    public internal(set) var selected: String?

    var handle: CurlHandle?
    var socket: Int32 = -1
    var parser: IMAPResponseParser
    var nextTag = 1
    var readBuffer = [UInt8](repeating: 0, count: 256 << 10)

    public init(endpoint: IMAPEndpoint, limits: IMAPResponseParser.Limits = .init()) {
        self.endpoint = endpoint
        self.limits = limits
        parser = IMAPResponseParser(limits: limits)
    }

    public var isConnected: Bool { handle != nil }

    /// Connects, negotiates TLS, logs in and reads the capabilities. Replaces any old connection.
    public func connect() throws {
        disconnect()
        let h = try CurlHandle.connectOnly(url: endpoint.url, host: endpoint.address, timeoutSeconds: endpoint.timeoutSeconds,
                                           implicitTLS: endpoint.implicitTLS, requireTLS: endpoint.requireTLS,
                                           caFile: endpoint.caFile, user: endpoint.user, credential: endpoint.credential)
        let code = h.perform()
        guard code == CURLE_OK else {
            throw TransportError.curl(code, host: endpoint.address, command: "LOGIN", message: h.message(for: code), service: "IMAP")
        }
        guard let socket = h.activeSocket else {
            throw TransportError(kind: .connect, host: endpoint.address, message: "libcurl gave no socket after login", disposition: .temporary)
        }
        handle = h
        self.socket = socket
        parser = IMAPResponseParser(limits: limits)
        nextTag = 1
        selected = nil
        _ = try capability()
    }

    /// Closes the connection without a LOGOUT (after an error, or when the peer is gone).
    public func disconnect() {
        handle = nil
        socket = -1
        selected = nil
    }

    /// Says LOGOUT when connected, then closes; never throws.
    public func logout() {
        if isConnected { _ = try? execute("LOGOUT") }
        disconnect()
    }

    // MARK: - Commands

    /// The tagged completion of a command.
    public struct Completion: Sendable, Equatable {
        public var status: IMAPResponse.Status
        public var code: IMAPResponse.Code?
        public var text: String
    }

    /// Sends `command` (already quoted) and feeds untagged responses to `untagged` until its
    /// tagged completion, which must be OK; NO and BAD throw `.rejected`.
    /// `raw`, when given, is sent right after `command` instead of its CRLF: the rest of a
    /// command made of non-synchronising literals, ending in CRLF.
    @discardableResult
    func execute(_ command: String, literal: [UInt8]? = nil, raw: [UInt8]? = nil,
                 untagged: (IMAPResponse.Untagged) throws -> Void = { _ in }) throws -> Completion {
        let completion = try exchange(command, literal: literal, raw: raw, untagged: untagged)
        guard completion.status == .ok else { throw rejection(command, completion) }
        return completion
    }

    /// Like `execute`, but returns NO/BAD completions instead of throwing.
    func exchange(_ command: String, literal: [UInt8]? = nil, raw: [UInt8]? = nil,
                  untagged: (IMAPResponse.Untagged) throws -> Void) throws -> Completion {
        guard isConnected else {
            throw TransportError(kind: .connect, host: endpoint.address, command: Self.verb(command),
                                 message: "not connected", disposition: .temporary)
        }
        let tag = "P\(nextTag)"
        nextTag += 1
        do {
            if let literal {
                // Synchronising literal unless LITERAL+ lets us send it straight away.
                let nonSync = capabilities.contains("LITERAL+")
                let head = Array("\(tag) \(command) {\(literal.count)\(nonSync ? "+" : "")}\r\n".utf8)
                if nonSync {
                    try send(head + literal + [0x0D, 0x0A])
                } else {
                    try send(head)
                    switch try readResponse() {
                    case .continuation: break
                    case .tagged(let t, let status, let code, let text) where t == tag:
                        return Completion(status: status, code: code, text: text)
                    default:
                        throw protocolError(command, "expected a continuation for the literal")
                    }
                    try send(literal + [0x0D, 0x0A])
                }
            } else if let raw {
                try send(Array("\(tag) \(command)".utf8) + raw)
            } else {
                try send(Array("\(tag) \(command)\r\n".utf8))
            }
            var handlerError: Error?
            while true {
                switch try readResponse() {
                case .tagged(let t, let status, let code, let text):
                    guard t == tag else { throw protocolError(command, "completion for an unknown tag") }
                    if let handlerError { throw handlerError }
                    return Completion(status: status, code: code, text: text)
                case .untagged(let response):
                    if case .condition(.bye, _, _) = response, !command.hasPrefix("LOGOUT") {
                        throw TransportError(kind: .connect, host: endpoint.address, command: Self.verb(command),
                                             message: "server closed the session (BYE)", disposition: .temporary)
                    }
                    // A failing handler must not leave the rest of the response unread,
                    // or the next command would read it: keep draining, throw at the end.
                    guard handlerError == nil else { continue }
                    do { try untagged(response) } catch let stop as AbandonsConnection {
                        // The caller wants out now (shutting down): drop the connection
                        // rather than read the rest of a large response.
                        disconnect()
                        throw stop
                    } catch { handlerError = error }
                case .continuation:
                    throw protocolError(command, "unexpected continuation")
                }
            }
        } catch let error as TransportError {
            if error.kind != .rejected { disconnect() }
            throw error
        } catch let failure as IMAPResponseParser.Failure {
            disconnect()
            throw protocolError(command, failure.description)
        } catch {
            throw error
        }
    }

    /// The next complete response, reading from the socket as needed.
    func readResponse() throws -> IMAPResponse {
        while true {
            if let response = try parser.next() { return response }
            let n = try receive()
            readBuffer.withUnsafeBufferPointer { parser.feed($0[0 ..< n]) }
        }
    }

    func rejection(_ command: String, _ completion: Completion) -> TransportError {
        // Servers say when a NO is about a passing state (RFC 5530).
        var transient = false
        if case .other(let name, _)? = completion.code {
            transient = ["UNAVAILABLE", "INUSE", "LIMIT", "SERVERBUG", "EXPUNGEISSUED", "OVERQUOTA"].contains(name)
        }
        return TransportError(kind: .rejected, host: endpoint.address, command: Self.verb(command),
                              message: "\(completion.status.rawValue) \(completion.text.prefix(200))",
                              disposition: transient ? .temporary : .permanent)
    }

    func protocolError(_ command: String, _ detail: String) -> TransportError {
        disconnect()
        return TransportError(kind: .protocolError, host: endpoint.address, command: Self.verb(command),
                              message: detail, disposition: .temporary)
    }

    /// The command's name without its arguments (which may name mailboxes or carry data).
    static func verb(_ command: String) -> String {
        let words = command.split(separator: " ", maxSplits: 2)
        guard let first = words.first else { return "" }
        return first.uppercased() == "UID" && words.count > 1 ? "UID \(words[1])" : String(first)
    }

    // MARK: - Socket I/O through libcurl

    func send(_ bytes: [UInt8]) throws {
        guard let h = handle else { throw ioError("not connected") }
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let code = bytes.withUnsafeBytes { curl_easy_send(h.raw, $0.baseAddress! + offset, bytes.count - offset, &sent) }
            if code == CURLE_AGAIN {
                try wait(for: Int16(POLLOUT))
                continue
            }
            guard code == CURLE_OK else { throw TransportError.curl(code, host: endpoint.address, command: nil, message: h.message(for: code), service: "IMAP") }
            offset += sent
        }
    }

    /// Reads what is available into `readBuffer`, waiting up to the timeout; returns the count.
    private func receive() throws -> Int {
        guard let h = handle else { throw ioError("not connected") }
        while true {
            var received = 0
            // Ask libcurl first: TLS may hold decrypted bytes the socket poll cannot see.
            let code = readBuffer.withUnsafeMutableBytes { curl_easy_recv(h.raw, $0.baseAddress!, $0.count, &received) }
            if code == CURLE_AGAIN {
                try wait(for: Int16(POLLIN))
                continue
            }
            guard code == CURLE_OK else {
                throw TransportError.curl(code, host: endpoint.address, command: nil, message: h.message(for: code), service: "IMAP")
            }
            guard received > 0 else { throw ioError("the server closed the connection") }
            return received
        }
    }

    private func wait(for events: Int16) throws {
        var fd = pollfd(fd: socket, events: events, revents: 0)
        let timeoutMs = Int32(clamping: endpoint.timeoutSeconds * 1000)
        while true {
            let n = poll(&fd, 1, timeoutMs)
            if n > 0 { return }
            if n == 0 {
                throw TransportError(kind: .timeout, host: endpoint.address, message: "no answer within \(endpoint.timeoutSeconds) s",
                                     disposition: .temporary)
            }
            if errno != EINTR { throw ioError("poll failed (errno \(errno))") }
        }
    }

    func ioError(_ message: String) -> TransportError {
        TransportError(kind: .connect, host: endpoint.address, message: message, disposition: .temporary)
    }
}
