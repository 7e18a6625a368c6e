/// The URL libcurl is given for a mail server: `scheme://host:port/path`, an IPv6 literal host
/// in brackets (`imap://[::1]:143/`), as both the IMAP and the SMTP endpoint need it.
enum ServerURL {
    static func string(scheme: String, host: String, port: Int, path: String) -> String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed):\(port)\(path)"
    }
}
