/// The outcome of one accepted SMTP transaction, recipient by recipient.
public struct SMTPDelivery: Sendable, Equatable {
    public struct Refusal: Sendable, Equatable {
        public var recipient: String
        /// The server's reply code to RCPT TO (4xx: try later, 5xx: give up).
        public var code: Int
        public var text: String

        public var disposition: TransportError.Disposition { code < 500 ? .temporary : .permanent }
    }

    public var accepted: [String]
    public var refused: [Refusal]
}
