/// A delivery status notification (RFC 3464) read from the `message/delivery-status` part of a
/// `multipart/report`: what the reporting server says happened to each recipient.
public struct DeliveryStatus: Sendable, Equatable {
    /// One per-recipient block.
    public struct Recipient: Sendable, Equatable {
        /// The address from `Final-Recipient`, without the "rfc822;" type.
        public var finalRecipient: String?
        /// The address from `Original-Recipient`, without the type.
        public var originalRecipient: String?
        /// "failed", "delayed", "delivered", "relayed" or "expanded", lowercased.
        public var action: String?
        /// The status code, e.g. "5.1.1".
        public var status: String?
        /// `Diagnostic-Code`, unfolded, type prefix kept ("smtp; 550 ...").
        public var diagnosticCode: String?
        /// All fields of the block, names lowercased.
        public var fields: [String: String]

        public init(finalRecipient: String? = nil, originalRecipient: String? = nil, action: String? = nil,
                    status: String? = nil, diagnosticCode: String? = nil, fields: [String: String] = [:]) {
            self.finalRecipient = finalRecipient
            self.originalRecipient = originalRecipient
            self.action = action
            self.status = status
            self.diagnosticCode = diagnosticCode
            self.fields = fields
        }
    }

    /// The per-message block (Reporting-MTA, Arrival-Date, …), names lowercased.
    public var messageFields: [String: String]
    public var recipients: [Recipient]
    /// Message-ID (without brackets) of the returned message, from its message/rfc822 or
    /// text/rfc822-headers part, when present.
    public var originalMessageID: String?

    public init(messageFields: [String: String] = [:], recipients: [Recipient] = [], originalMessageID: String? = nil) {
        self.messageFields = messageFields
        self.recipients = recipients
        self.originalMessageID = originalMessageID
    }
}
