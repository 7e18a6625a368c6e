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

    public func send(envelopeFrom: String, recipients: [String], raw: [UInt8]) throws {
        let c = try connected()
        do {
            let delivery = try c.send(from: envelopeFrom, to: recipients, message: raw)
            for refusal in delivery.refused {
                log.warning("smtp.recipient_refused", ["code": refusal.code, "disposition": refusal.disposition.rawValue])
            }
            if delivery.accepted.isEmpty && !delivery.refused.isEmpty {
                let temporary = delivery.refused.allSatisfy { $0.disposition == .temporary }
                throw SendFailure(message: "every recipient refused (\(delivery.refused.map { String($0.code) }.joined(separator: ", ")))",
                                  temporary: temporary, kind: "rejected")
            }
        } catch let error as TransportError {
            close()
            throw SendFailure(message: "\(error)", temporary: error.disposition == .temporary, kind: error.kind.rawValue)
        }
    }

    public func close() {
        client?.close()
        client = nil
    }
}
