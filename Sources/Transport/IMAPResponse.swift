/// One complete server response, as `IMAPResponseParser` frames it (RFC 3501 §7).
public enum IMAPResponse: Equatable, Sendable {
    /// `A12 OK [CODE] text`: the end of the command tagged `tag`.
    case tagged(tag: String, status: Status, code: Code?, text: String)
    /// `* …` data or status that belongs to no single command.
    case untagged(Untagged)
    /// `+ text`: the server waits for the rest of a command (a literal, an AUTHENTICATE step).
    case continuation(String)

    public enum Status: String, Equatable, Sendable {
        case ok = "OK", no = "NO", bad = "BAD", preauth = "PREAUTH", bye = "BYE"
    }

    /// The bracketed response codes postdesk acts on; the rest are kept by name.
    public enum Code: Equatable, Sendable {
        case uidValidity(UInt32)
        case uidNext(UInt32)
        case unseen(UInt32)
        /// `[APPENDUID validity uid]` (RFC 4315).
        case appendUID(validity: UInt32, uid: UInt32)
        /// `[COPYUID validity source-set destination-set]` (RFC 4315), sets as the server wrote them.
        case copyUID(validity: UInt32, source: String, destination: String)
        case readOnly
        case readWrite
        case tryCreate
        case capability([String])
        /// Any other code: its name and what followed it inside the brackets.
        case other(name: String, text: String)
    }

    public enum Untagged: Equatable, Sendable {
        /// `* OK|NO|BAD|BYE|PREAUTH [code] text`.
        case condition(Status, code: Code?, text: String)
        case capability([String])
        case exists(Int)
        case recent(Int)
        case expunge(Int)
        case flags([String])
        /// `* SEARCH 3 5 9` (UIDs for UID SEARCH).
        case search([UInt32])
        /// `* STATUS mailbox (MESSAGES n UIDNEXT n …)`, item names upper-cased.
        case status(mailbox: String, items: [String: UInt64])
        case fetch(sequence: Int, Fetch)
        /// Anything else (LIST, NAMESPACE, ENABLED, …): the keyword and the raw remainder.
        case other(name: String, text: String)
    }

    /// The attributes of one `* n FETCH (…)` response that postdesk reads.
    public struct Fetch: Equatable, Sendable {
        public var uid: UInt32?
        public var size: Int?
        public var flags: [String]?
        public var internalDate: String?
        /// Body sections by their name as sent, e.g. `BODY[]`, `BODY[HEADER]`; nil for NIL.
        public var sections: [String: [UInt8]?]

        public init(uid: UInt32? = nil, size: Int? = nil, flags: [String]? = nil,
                    internalDate: String? = nil, sections: [String: [UInt8]?] = [:]) {
            self.uid = uid
            self.size = size
            self.flags = flags
            self.internalDate = internalDate
            self.sections = sections
        }

        /// The whole message (`BODY[]`, also returned for `BODY.PEEK[]`), when it came and was not NIL.
        public var body: [UInt8]? {
            if let whole = sections["BODY[]"] { return whole }
            if let whole = sections["RFC822"] { return whole }
            return nil
        }
    }
}
