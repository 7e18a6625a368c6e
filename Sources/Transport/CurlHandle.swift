import CCurl

/// One libcurl easy handle with its error buffer; closes its connection when released.
final class CurlHandle {
    /// `curl_global_init` must run once before any handle exists; a static is initialised
    /// exactly once, thread-safely, on first use.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    let raw: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    let host: String

    init(host: String) throws {
        guard Self.globalInit == CURLE_OK, let raw = curl_easy_init() else {
            throw TransportError(kind: .io, host: host, message: "libcurl could not be initialised", disposition: .temporary)
        }
        self.raw = raw
        self.host = host
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = CCurl_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
        // Blocking calls run on our own threads; signals would disturb the whole process.
        set(CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) { _ = CCurl_setopt_long(raw, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = CCurl_setopt_string(raw, option, value) }

    /// TLS options shared by IMAP and SMTP: verification stays on, always.
    func configureTLS(implicit: Bool, require: Bool, caFile: String?) {
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        if !implicit && require { set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile { set(CURLOPT_CAINFO, caFile) }
    }

    func configureCredential(user: String?, _ credential: MailCredential) {
        guard let user else { return }
        switch credential {
        case .password(let password):
            set(CURLOPT_USERNAME, user)
            set(CURLOPT_PASSWORD, password)
        case .bearer(let token):
            set(CURLOPT_USERNAME, user)
            set(CURLOPT_XOAUTH2_BEARER, token)
            set(CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2")
        case .none:
            break
        }
    }

    /// A handle that lets libcurl connect, negotiate TLS and log in, then stop
    /// (`CURLOPT_CONNECT_ONLY`): IMAP speaks on from there, the SMTP probe says QUIT.
    static func connectOnly(url: String, host: String, timeoutSeconds: Int, implicitTLS: Bool, requireTLS: Bool,
                            caFile: String?, user: String?, credential: MailCredential) throws -> CurlHandle {
        let h = try CurlHandle(host: host)
        h.set(CURLOPT_URL, url)
        h.set(CURLOPT_CONNECT_ONLY, 1)
        h.set(CURLOPT_CONNECTTIMEOUT, timeoutSeconds)
        h.set(CURLOPT_TIMEOUT, timeoutSeconds)
        h.configureTLS(implicit: implicitTLS, require: requireTLS, caFile: caFile)
        h.configureCredential(user: user, credential)
        return h
    }

    /// Routes libcurl's protocol trace to `callback` (VERBOSE with a debug function prints
    /// nothing); the caller keeps `context` alive until `stopTracing`.
    func traceProtocol(_ callback: curl_debug_callback, context: UnsafeMutableRawPointer) {
        set(CURLOPT_VERBOSE, 1)
        _ = CCurl_setopt_pointer(raw, CURLOPT_DEBUGFUNCTION, unsafeBitCast(callback, to: UnsafeMutableRawPointer.self))
        _ = CCurl_setopt_pointer(raw, CURLOPT_DEBUGDATA, context)
    }

    func stopTracing() {
        set(CURLOPT_VERBOSE, 0)
        _ = CCurl_setopt_pointer(raw, CURLOPT_DEBUGDATA, nil)
    }

    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(raw)
    }

    /// libcurl's detailed message for the last failure, else its generic text for `code`.
    func message(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    func info(_ info: CURLINFO) -> Int {
        var value = 0
        _ = CCurl_getinfo_long(raw, info, &value)
        return value
    }

    var activeSocket: Int32? {
        var socket: curl_socket_t = -1
        guard CCurl_getinfo_socket(raw, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK, socket >= 0 else { return nil }
        return socket
    }
}
