/// Something wrong with a message that the parser noticed and worked around.
/// Broken mail is recorded, never thrown: the message stays usable.
public struct Defect: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// What went wrong; one case per kind of damage the parser repairs.
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        // Line ends
        case bareCRLineEnds
        // Headers
        case headerWithoutColon
        case missingHeaderBodySeparator
        case headerLineTooLong
        case tooManyHeaders
        case rawNonASCIIHeader
        case invalidEncodedWord
        case unknownCharset
        case lossyCharsetDecoding
        case guessedCharset
        case invalidAddress
        case invalidDate
        case invalidMessageID
        case invalidParameter
        case missingContentType
        // Bodies
        case invalidBase64
        case invalidQuotedPrintable
        case invalidUuencode
        case unknownTransferEncoding
        case eightBitIn7BitPart
        // Multipart structure
        case missingBoundaryParameter
        case boundaryNotFound
        case missingClosingBoundary
        case multipartWithoutParts
        case indentedBoundary
        // Limits against hostile input
        case depthLimit
        case partLimit
        case sizeLimit
    }

    public var kind: Kind
    /// Where in the MIME tree: "" for the top level, "1", "1.2", … (1-based, like IMAP).
    public var path: String
    /// A short human explanation, never containing body text.
    public var detail: String

    public init(_ kind: Kind, path: String = "", _ detail: String = "") {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    public var description: String {
        let at = path.isEmpty ? "root" : "part \(path)"
        return detail.isEmpty ? "\(kind.rawValue) at \(at)" : "\(kind.rawValue) at \(at): \(detail)"
    }
}
