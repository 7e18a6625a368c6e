/// A failure talking to a mail server: what failed, where, and whether trying again may help.
public struct TransportError: Error, CustomStringConvertible, Sendable {
    public enum Disposition: String, Sendable {
        /// Worth retrying later (connection lost, timeout, 4xx).
        case temporary
        /// Retrying will not help until someone changes something (bad password, 5xx).
        case permanent
    }
    public enum Kind: String, Sendable {
        case connect, tls, auth, protocolError = "protocol", timeout, rejected, io, config
    }
    public let kind: Kind
    public let host: String
    public let command: String?
    public let message: String
    public let disposition: Disposition

    public init(kind: Kind, host: String, command: String? = nil, message: String, disposition: Disposition) {
        self.kind = kind
        self.host = host
        self.command = command
        self.message = message
        self.disposition = disposition
    }

    public var description: String {
        var s = "\(kind.rawValue) error at \(host)"
        if let command { s += " during \(command)" }
        return s + ": \(message) (\(disposition.rawValue))"
    }
}
