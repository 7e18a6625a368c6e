/// The parts of a bounce the intake hands over, as text: Ticketing reads them, MIME finds them.
public struct BounceFacts: Sendable, Equatable {
    /// Bodies of the `message/delivery-status` (or `message/global-delivery-status`) parts, undecoded
    /// fields, joined by blank lines (a mislabelled prose part may come first).
    public var deliveryStatus: String?
    /// The returned original's headers: a `text/rfc822-headers` part or the header block of a
    /// returned `message/rfc822` part.
    public var returnedHeaders: String?
    /// The human-readable text of the bounce, for non-standard formats.
    public var text: String
    /// Addresses from `X-Failed-Recipients` headers, if any.
    public var failedRecipients: [String]
    /// The bounce's own `From` and `To`: the reporting system and the original's sender (us),
    /// never a failed recipient.
    public var bounceAddresses: [String]

    public init(deliveryStatus: String? = nil, returnedHeaders: String? = nil, text: String = "",
                failedRecipients: [String] = [], bounceAddresses: [String] = []) {
        self.deliveryStatus = deliveryStatus
        self.returnedHeaders = returnedHeaders
        self.text = text
        self.failedRecipients = failedRecipients
        self.bounceAddresses = bounceAddresses
    }
}
