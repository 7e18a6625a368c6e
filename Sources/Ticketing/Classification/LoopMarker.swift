/// The header we put on everything we send, so our own mail coming back is recognised even when
/// a relay rewrote its Message-ID. The instance id is derived from the key unless given.
public struct LoopMarker: Sendable, Equatable {
    public static let headerName = "X-Postdesk-Loop"
    public let instanceID: String

    public init(instanceID: String) { self.instanceID = instanceID }

    /// A stable id for this instance, derived from its signing key (reveals nothing of the key).
    public init(key: SigningKey) { instanceID = String(Base32.encode(key.mac("instance")).prefix(16)) }

    /// The header to add to every outgoing message.
    public var header: HeaderField { HeaderField(LoopMarker.headerName, instanceID) }

    /// Headers for mail we send automatically (acknowledgements, notifications): our loop marker,
    /// RFC 3834 `Auto-Submitted`, and Exchange's request not to answer it with an out-of-office.
    public var automaticHeaders: [HeaderField] {
        [header, HeaderField("Auto-Submitted", "auto-replied"), HeaderField("X-Auto-Response-Suppress", "All")]
    }

    /// True when `headers` carry our own marker.
    public func isOurs(_ headers: [HeaderField]) -> Bool {
        headers.values(LoopMarker.headerName).contains { $0.trimmingWhitespace() == instanceID }
    }

    /// True when `headers` carry any postdesk instance's marker (ours or another's).
    public static func isPresent(in headers: [HeaderField]) -> Bool { !headers.values(headerName).isEmpty }
}
