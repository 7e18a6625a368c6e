/// The parts of a bounce the intake hands over, as text: Ticketing reads them, MIME finds them.
public struct BounceFacts: Sendable, Equatable {
    /// Body of the `message/delivery-status` (or `message/global-delivery-status`) part, undecoded fields.
    public var deliveryStatus: String?
    /// The returned original's headers: a `text/rfc822-headers` part or the header block of a
    /// returned `message/rfc822` part.
    public var returnedHeaders: String?
    /// The human-readable text of the bounce, for non-standard formats.
    public var text: String
    /// Addresses from `X-Failed-Recipients` headers, if any.
    public var failedRecipients: [String]

    public init(deliveryStatus: String? = nil, returnedHeaders: String? = nil, text: String = "",
                failedRecipients: [String] = []) {
        self.deliveryStatus = deliveryStatus
        self.returnedHeaders = returnedHeaders
        self.text = text
        self.failedRecipients = failedRecipients
    }
}
