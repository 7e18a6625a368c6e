import CCurl

extension TransportError {
    /// Classifies a libcurl failure: what broke, and whether waiting can fix it.
    static func curl(_ code: CURLcode, host: String, command: String?, message: String, service: String) -> TransportError {
        func make(_ kind: Kind, _ disposition: Disposition, _ text: String) -> TransportError {
            TransportError(kind: kind, host: host, command: command, message: text, disposition: disposition)
        }
        switch code {
        case CURLE_LOGIN_DENIED:
            return make(.auth, .permanent,
                        "\(service) login refused (\(message)); check the user name and the password or token source in the config")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return make(.connect, .temporary, "cannot resolve the host name (\(message))")
        case CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_AGAIN:
            return make(.connect, .temporary, message)
        case CURLE_OPERATION_TIMEDOUT:
            return make(.timeout, .temporary, message)
        case CURLE_PEER_FAILED_VERIFICATION:
            return make(.tls, .permanent,
                        "the server's certificate is not trusted (\(message)); fix the server certificate or set ca_file")
        case CURLE_SSL_CACERT_BADFILE:
            return make(.tls, .permanent, "cannot read the CA file (\(message)); check ca_file")
        case CURLE_USE_SSL_FAILED:
            return make(.tls, .permanent,
                        "the server does not offer STARTTLS (\(message)); use the TLS port (imaps/smtps) or, on loopback only, tls none")
        case CURLE_SSL_CONNECT_ERROR:
            return make(.tls, .temporary, "TLS handshake failed (\(message))")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_NOT_BUILT_IN:
            return make(.config, .permanent, message)
        default:
            return make(.protocolError, .temporary, "libcurl error \(code.rawValue): \(message)")
        }
    }
}
