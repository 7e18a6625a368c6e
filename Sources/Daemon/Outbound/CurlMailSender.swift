import Transport

/// The outbox's SMTP connection through libcurl (STARTTLS required unless the config says none).
public final class CurlMailSender: MailSender {
    let config: SMTPConfig
    let environment: [String: String]
    let log: Log
    private var client: CurlSMTPClient?

    public init(config: SMTPConfig, environment: [String: String], log: Log) {
        self.config = config
        self.environment = environment
        self.log = log
    }

    private func connected() throws -> CurlSMTPClient {
        if let client { return client }
        let credential: MailCredential
        do {
            credential = try config.password.map { .password(try SecretReader.read($0, environment: environment)) } ?? .none
        } catch {
            throw SendFailure(message: "\(error)", temporary: false, kind: "config")
        }
        let fresh = CurlSMTPClient(endpoint: SMTPEndpoint(host: config.host, port: config.port, implicitTLS: config.implicitTLS,
                                                          requireTLS: config.tls == .required, caFile: config.caFile,
                                                          user: config.user, credential: credential))
        client = fresh
        return fresh
    }

    /// Connections opened so far, across clients (the benchmark's second figure).
    public var connectionsOpened: Int { closedConnections + (client?.connectionsOpened ?? 0) }
    private var closedConnections = 0

    public func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws -> [RecipientRefusal] {
        let c = try connected()
        do {
            let delivery = try c.send(from: envelopeFrom, to: recipients, message: raw)
            let refused = delivery.refused.map { RecipientRefusal(recipient: $0.recipient, code: $0.code, text: $0.text) }
            if delivery.accepted.isEmpty && !refused.isEmpty {
                throw SendFailure(message: "every recipient refused (\(refused.map { String($0.code) }.joined(separator: ", ")))",
                                  temporary: refused.allSatisfy(\.temporary), kind: "rejected", refused: refused)
            }
            return refused
        } catch let error as TransportError {
            let refused = c.lastRefused.map { RecipientRefusal(recipient: $0.recipient, code: $0.code, text: $0.text) }
            close()
            throw SendFailure(message: "\(error)", temporary: error.disposition == .temporary, kind: error.kind.rawValue, refused: refused)
        }
    }

    public func close() {
        closedConnections += client?.connectionsOpened ?? 0
        client?.close()
        client = nil
    }
}
