/// What a rule condition looks at. Text fields may hold several values (every recipient, every
/// attachment); a test holds when any value passes.
public enum RuleField: Hashable, Sendable, CustomStringConvertible {
    case from, fromDomain, fromName, to, cc, mailbox, subject, text
    case header(String)
    case hasAttachment, attachmentType, attachmentName, size
    case messageClass, language, customerVIP, customerTag

    public enum Kind: Sendable { case text, number, bool }

    public var kind: Kind {
        switch self {
        case .size: return .number
        case .hasAttachment, .customerVIP: return .bool
        default: return .text
        }
    }

    /// The config spelling, e.g. `from_domain`, `header:X-Priority`, `customer.vip`.
    public var description: String {
        switch self {
        case .from: return "from"
        case .fromDomain: return "from_domain"
        case .fromName: return "from_name"
        case .to: return "to"
        case .cc: return "cc"
        case .mailbox: return "mailbox"
        case .subject: return "subject"
        case .text: return "text"
        case .header(let name): return "header:\(name)"
        case .hasAttachment: return "has_attachment"
        case .attachmentType: return "attachment_type"
        case .attachmentName: return "attachment_name"
        case .size: return "size"
        case .messageClass: return "class"
        case .language: return "language"
        case .customerVIP: return "customer.vip"
        case .customerTag: return "customer.tag"
        }
    }

    /// Every plain field name (`header:<Name>` and `arrival` are written differently).
    public static let names: [String: RuleField] = {
        let all: [RuleField] = [.from, .fromDomain, .fromName, .to, .cc, .mailbox, .subject, .text, .hasAttachment,
                                .attachmentType, .attachmentName, .size, .messageClass, .language, .customerVIP, .customerTag]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.description, $0) })
    }()

    /// Parses a field name; nil when unknown. Header names are matched case-insensitively.
    public init?(name: String) {
        if name.lowercased().hasPrefix("header:") {
            let header = name.dropFirst("header:".count)
            guard !header.isEmpty, header.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 58 }) else { return nil }
            self = .header(String(header))
            return
        }
        guard let field = RuleField.names[name] else { return nil }
        self = field
    }
}
