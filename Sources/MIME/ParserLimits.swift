/// Bounds that keep hostile input from costing more than its size. Each one, when hit, records a
/// defect and the parser carries on with what it has.
public struct ParserLimits: Sendable, Equatable {
    /// Multipart and message/rfc822 nesting; deeper content is kept as an opaque part.
    public var maxDepth: Int
    /// Entities in the whole tree; parts past this are dropped.
    public var maxParts: Int
    /// Header fields per entity; later fields are dropped.
    public var maxHeaders: Int
    /// Bytes of one header field (all its folded lines); the rest is cut off.
    public var maxHeaderLength: Int
    /// Bytes of the whole message; the rest is cut off before parsing.
    public var maxMessageBytes: Int

    public init(maxDepth: Int = 32, maxParts: Int = 10_000, maxHeaders: Int = 1_000,
                maxHeaderLength: Int = 65_536, maxMessageBytes: Int = 100 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaders = maxHeaders
        self.maxHeaderLength = maxHeaderLength
        self.maxMessageBytes = maxMessageBytes
    }

    public static let `default` = ParserLimits()
}
