import Foundation

/// Everything a rule condition may look at, in plain values. The intake fills it from the
/// message, the mailbox, the customers list and the clock.
public struct RuleFacts: Sendable, Equatable {
    public struct AttachmentFacts: Sendable, Equatable {
        public var contentType: String
        public var filename: String
        public init(contentType: String, filename: String) {
            self.contentType = contentType
            self.filename = filename
        }
    }

    public var from: String
    public var fromName: String
    public var to: [String]
    public var cc: [String]
    public var mailbox: String
    public var subject: String
    /// The customer's new text (the reply part of a follow-up).
    public var text: String
    public var headers: [HeaderField]
    public var attachments: [AttachmentFacts]
    public var size: Int
    public var messageClass: MessageClass
    public var language: String?
    public var customer: CustomerProfile?
    public var arrival: ArrivalFacts

    public init(from: String, fromName: String = "", to: [String] = [], cc: [String] = [], mailbox: String = "",
                subject: String = "", text: String = "", headers: [HeaderField] = [], attachments: [AttachmentFacts] = [],
                size: Int = 0, messageClass: MessageClass = .human, language: String? = nil,
                customer: CustomerProfile? = nil, arrival: ArrivalFacts = ArrivalFacts(weekday: 1, hour: 12, businessHours: true)) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.cc = cc
        self.mailbox = mailbox
        self.subject = subject
        self.text = text
        self.headers = headers
        self.attachments = attachments
        self.size = size
        self.messageClass = messageClass
        self.language = language
        self.customer = customer
        self.arrival = arrival
    }

    /// The raw values of a text field.
    func texts(_ field: RuleField) -> [String] {
        switch field {
        case .from: return [Address.normalised(from)]
        case .fromDomain:
            let address = Address.normalised(from)
            return [address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) } ?? ""]
        case .fromName: return [fromName]
        case .to: return to.map(Address.normalised)
        case .cc: return cc.map(Address.normalised)
        case .mailbox: return [mailbox]
        case .subject: return [subject]
        case .text: return [text]
        case .header(let name): return headers.filter { RuleFacts.sameName($0.name, name) }.map(\.value)
        case .attachmentType: return attachments.map { $0.contentType.lowercased() }
        case .attachmentName: return attachments.map(\.filename)
        case .messageClass: return [messageClass.rawValue]
        case .language: return language.map { [$0] } ?? []
        case .customerTag: return customer?.tags ?? []
        case .hasAttachment, .size, .customerVIP: return []
        }
    }

    /// Header names compared without case and without making lower-cased copies (every
    /// `header:` test read every header's name lower-cased).
    static func sameName(_ a: String, _ b: String) -> Bool {
        var (a, b) = (a, b)
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && !zip(x, y).contains { p, q in p != q && (p | 0x20 != q | 0x20 || !(0x61...0x7A).contains(p | 0x20)) }
            }
        }
    }
}
