import CCurl
import Glibc

/// IMAP IDLE (RFC 2177) on the selected mailbox: the server pushes `EXISTS`/`RECENT`/`EXPUNGE`
/// as they happen instead of our asking every poll interval. libcurl has no IDLE; our own
/// framing over the connect-only handle does.
extension CurlIMAPClient {
    /// Why `idle` came back.
    public enum IdleEnd: Equatable, Sendable {
        /// The server announced a change (`EXISTS`, `RECENT` or `EXPUNGE`): time to fetch.
        case changed
        /// `renewAfter` passed with no news: RFC 2177 wants IDLE re-issued before 29 minutes, and
        /// a NOOP now tells a live connection from one that died silently.
        case renew
        /// `interrupt` became readable: the caller wants the connection back (stop, reload).
        case interrupted
    }

    /// Whether the server offers IDLE.
    public var supportsIdle: Bool { capabilities.contains("IDLE") }

    /// Enters IDLE, waits until the server reports a change, `renewAfter` seconds pass, or the file
    /// descriptor `interrupt` (a pipe's read end; nil for none) becomes readable, then leaves with
    /// `DONE` and reads the IDLE's completion. Untagged responses other than the three changes
    /// (`* OK Still here`, FLAGS, FETCH for flag changes) are read and ignored.
    public func idle(renewAfter seconds: Double, interrupt: Int32? = nil) throws -> IdleEnd {
        guard isConnected, let h = handle else { throw ioError("not connected") }
        let tag = "P\(nextTag)"
        nextTag += 1
        var end: IdleEnd?
        func note(_ response: IMAPResponse.Untagged) throws {
            switch response {
            case .exists, .recent, .expunge: end = .changed
            case .condition(.bye, _, _):
                throw TransportError(kind: .connect, host: endpoint.address, command: "IDLE",
                                     message: "server closed the session (BYE)", disposition: .temporary)
            default: break
            }
        }
        do {
            try send(Array("\(tag) IDLE\r\n".utf8))
            // Until the continuation: the server may report news (or refuse) first.
            waiting: while true {
                switch try readResponse() {
                case .continuation: break waiting
                case .untagged(let response): try note(response)
                case .tagged(let t, let status, let code, let text):
                    guard t == tag else { throw protocolError("IDLE", "completion for an unknown tag") }
                    throw rejection("IDLE", Completion(status: status, code: code, text: text))
                }
            }
            let deadline = Self.monotonicSeconds() + max(0, seconds)
            while end == nil {
                while end == nil, let response = try parser.next() {
                    switch response {
                    case .untagged(let untagged): try note(untagged)
                    case .tagged, .continuation: throw protocolError("IDLE", "unexpected response while idling")
                    }
                }
                if end != nil { break }
                // Bytes libcurl already holds (TLS records) come first; the socket poll cannot see them.
                var received = 0
                let code = readBuffer.withUnsafeMutableBytes { curl_easy_recv(h.raw, $0.baseAddress!, $0.count, &received) }
                if code == CURLE_OK {
                    guard received > 0 else { throw ioError("the server closed the connection") }
                    readBuffer.withUnsafeBufferPointer { parser.feed($0[0 ..< received]) }
                    continue
                }
                guard code == CURLE_AGAIN else {
                    throw TransportError.curl(code, host: endpoint.address, command: "IDLE", message: h.message(for: code), service: "IMAP")
                }
                let remaining = deadline - Self.monotonicSeconds()
                if remaining <= 0 { end = .renew; break }
                var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
                if let interrupt { fds.append(pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)) }
                let rc = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000 + 1, 60_000)))
                if rc < 0, errno != EINTR { throw ioError("poll failed (errno \(errno))") }
                if rc > 0, fds.count > 1, fds[1].revents != 0 { end = .interrupted }
            }
            try send(Array("DONE\r\n".utf8))
            // The completion answers DONE; news that crossed it is read and dropped (we fetch next).
            while true {
                switch try readResponse() {
                case .untagged(let response): if case .condition(.bye, _, _) = response { try note(response) }
                case .continuation: throw protocolError("IDLE", "unexpected continuation")
                case .tagged(let t, let status, let code, let text):
                    guard t == tag else { throw protocolError("IDLE", "completion for an unknown tag") }
                    guard status == .ok else { throw rejection("IDLE", Completion(status: status, code: code, text: text)) }
                    return end ?? .renew
                }
            }
        } catch let error as TransportError {
            if error.kind != .rejected { disconnect() }
            throw error
        } catch let failure as IMAPResponseParser.Failure {
            throw protocolError("IDLE", failure.description)
        }
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
