/// A configuration problem, naming the file, the key path and the reason, e.g.
/// `config.json: mailboxes[0].url: scheme must be imap or imaps`. Exits 78.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let key: String?
    public let reason: String

    public init(file: String, key: String?, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key, !key.isEmpty { return "\(file): \(key): \(reason)" }
        return "\(file): \(reason)"
    }
}
