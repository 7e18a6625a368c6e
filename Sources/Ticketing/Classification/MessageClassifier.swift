/// Sorts inbound mail into human / auto-reply / bounce / list / our-own from headers, sender and subject.
/// Every rule that fires is recorded; the most specific class wins (our-own, bounce, auto-reply, list).
public struct MessageClassifier: Sendable {
    public var signer: MessageIDSigner?
    public var loopMarker: LoopMarker?
    /// Our own mailbox addresses: mail claiming to come from them is our own.
    public var ownAddresses: Set<String>

    public init(signer: MessageIDSigner? = nil, loopMarker: LoopMarker? = nil, ownAddresses: [String] = []) {
        self.signer = signer
        self.loopMarker = loopMarker
        self.ownAddresses = Set(ownAddresses.map(Address.normalised))
    }

    public func classify(_ facts: InboundFacts) -> Classification {
        var fired: [(MessageClass, String)] = []
        ownMailRules(facts, into: &fired)
        bounceRules(facts, into: &fired)
        autoReplyRules(facts, into: &fired)
        listRules(facts, into: &fired)
        // A no-reply sender is weak evidence: it only decides when no other rule fired.
        let strong = fired.filter { !$0.1.hasPrefix("sender no") }
        let deciding = strong.isEmpty ? fired : strong
        let winner = MessageClass.precedence.first { kind in deciding.contains { $0.0 == kind } } ?? .human
        return Classification(winner, reasons: fired.map(\.1))
    }

    // MARK: - Rules

    private func ownMailRules(_ facts: InboundFacts, into fired: inout [(MessageClass, String)]) {
        if let id = facts.messageID, let signer, signer.isOurs(id) { fired.append((.ourOwn, "our message-id \(id)")) }
        if let loopMarker, loopMarker.isOurs(facts.headers) { fired.append((.ourOwn, "our loop header")) }
        if ownAddresses.contains(facts.sender) || ownAddresses.contains(MessageClassifier.withoutPlus(facts.sender)) {
            fired.append((.ourOwn, "sender is our own address"))
        }
    }

    private func bounceRules(_ facts: InboundFacts, into fired: inout [(MessageClass, String)]) {
        if facts.reportType == "delivery-status" || facts.reportType == "global-delivery-status" {
            fired.append((.bounce, "delivery-status report"))
        } else if facts.bounce?.deliveryStatus != nil {
            fired.append((.bounce, "delivery-status part"))
        }
        if !facts.headers.values("X-Failed-Recipients").isEmpty { fired.append((.bounce, "x-failed-recipients")) }
        var senderLocal = Address.localPart(facts.from)
        // `From: MAILER-DAEMON <>`: no address, only the name says who it is.
        if senderLocal.isEmpty { senderLocal = facts.fromName.trimmingWhitespace().lowercased() }
        if MessageClassifier.daemonSenders.contains(senderLocal) {
            fired.append((.bounce, "sender \(senderLocal)"))
        } else if let path = facts.returnPath, MessageClassifier.daemonSenders.contains(Address.localPart(path)) {
            fired.append((.bounce, "return-path \(Address.localPart(path))"))
        }
        // No-reply senders (SES/SNS, carrier gateways) and list managers send error notices too.
        let automated = facts.returnPath == "" || MessageClassifier.noReplySenders.contains(senderLocal)
            || autoSubmitted(facts) != nil || MessageClassifier.isListManager(senderLocal)
        if automated, !SubjectLine.isForward(facts.subject), let phrase = MessageClassifier.bouncePhrase(in: facts.subject) {
            fired.append((.bounce, "bounce subject \"\(phrase)\""))
        }
        if automated || MessageClassifier.noReplySenders.contains(where: senderLocal.hasPrefix),
           BounceNotificationJSON.isBounceNotification(facts.bodyText), BounceNotificationJSON.recipients(in: facts.bodyText) != nil {
            fired.append((.bounce, "ses bounce notification"))
        }
    }

    private func autoReplyRules(_ facts: InboundFacts, into fired: inout [(MessageClass, String)]) {
        if let type = facts.reportType, type != "delivery-status", type != "global-delivery-status" {
            fired.append((.autoReply, "report \(type)"))
        }
        if let value = autoSubmitted(facts) { fired.append((.autoReply, "auto-submitted: \(value)")) }
        for name in ["Precedence", "X-Precedence"] {
            if let value = facts.headers.first(name).map(MessageClassifier.firstToken), value == "auto_reply" {
                fired.append((.autoReply, "\(name.lowercased()): \(value)"))
            }
        }
        for name in MessageClassifier.autoReplyHeaders {
            guard let value = facts.headers.first(name) else { continue }
            if ["no", "false", "0"].contains(value.lowercased()) { continue }
            fired.append((.autoReply, "header \(name.lowercased())"))
        }
        if let loopMarker, LoopMarker.isPresent(in: facts.headers), !loopMarker.isOurs(facts.headers) {
            fired.append((.autoReply, "another postdesk's loop header"))
        } else if loopMarker == nil, LoopMarker.isPresent(in: facts.headers) {
            fired.append((.autoReply, "postdesk loop header"))
        }
        if let phrase = OutOfOffice.subjectPhrase(in: facts.subject) {
            fired.append((.autoReply, "out-of-office subject \"\(phrase)\""))
        }
        let senderLocal = Address.localPart(facts.from)
        if MessageClassifier.noReplySenders.contains(senderLocal) { fired.append((.autoReply, "sender \(senderLocal)")) }
        if facts.returnPath == "" { fired.append((.autoReply, "null return-path")) }
    }

    private func listRules(_ facts: InboundFacts, into fired: inout [(MessageClass, String)]) {
        for name in ["List-Id", "List-Unsubscribe", "List-Post", "Mailing-List", "X-Mailman-Version"] where facts.headers.first(name) != nil {
            fired.append((.list, "header \(name.lowercased())"))
        }
        for name in ["Precedence", "X-Precedence"] {
            if let value = facts.headers.first(name).map(MessageClassifier.firstToken), ["bulk", "junk", "list"].contains(value) {
                fired.append((.list, "\(name.lowercased()): \(value)"))
            }
        }
        let senderLocal = Address.localPart(facts.from)
        if let suffix = ["-request", "-bounces", "-owner"].first(where: { senderLocal.hasSuffix($0) }) {
            fired.append((.list, "list sender \(suffix)"))
        }
    }

    /// The `Auto-Submitted` value when it is anything but `no` (RFC 3834), else nil.
    private func autoSubmitted(_ facts: InboundFacts) -> String? {
        guard let raw = facts.headers.first("Auto-Submitted") else { return nil }
        let value = MessageClassifier.firstToken(raw)
        return value == "no" || value.isEmpty ? nil : value
    }

    // MARK: - Vocabulary

    /// `support+1234-k7f3q@desk.example` → `support@desk.example`.
    static func withoutPlus(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+") else { return address }
        return String(address[..<plus] + address[at...])
    }

    /// `auto-generated (failure)` → `auto-generated`; `Bulk` → `bulk`.
    static func firstToken(_ value: String) -> String {
        let cut = value.split(whereSeparator: { $0 == ";" || $0 == "(" || $0.isWhitespace }).first ?? ""
        return cut.lowercased()
    }

    static let daemonSenders: Set<String> = [
        "mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster", "post_master", "post-master",
    ]
    /// List managers' own addresses: `list-owner`, `list-bounces`, `majordomo`...
    static func isListManager(_ local: String) -> Bool {
        ["-owner", "-bounces", "-request", "-admin"].contains(where: local.hasSuffix) || local.hasPrefix("owner-")
            || ["majordomo", "listserv", "mailman", "sympa", "ecartis", "ezmlm", "lyris", "listproc"].contains(local)
    }

    static let noReplySenders: Set<String> = ["noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply"]
    static let autoReplyHeaders = [
        "X-Autoreply", "X-Autorespond", "X-Autogenerated", "X-AutoReply-From", "X-Mail-Autoreply",
        "X-Auto-Response-Suppress", "X-Autoresponder", "X-Vacation",
    ]
    static let bouncePhrases = [
        "undelivered mail", "undeliverable", "delivery status notification", "mail delivery failed",
        "delivery failure", "failure notice", "returned mail", "mail system error", "delivery has failed",
        "email delivery error", "delivery error", "undelivered message", "message not delivered",
        "could not be delivered", "delivery status", "postmaster notify", "returning message to sender",
        "non remis", "unzustellbar", "nicht zustellbar", "non recapitabile", "no se puede entregar",
        "onbestelbaar", "недоставлен", "не доставлено", "mail failure", "メールエラー",
    ]

    static func bouncePhrase(in subject: String) -> String? {
        let lower = subject.lowercased()
        return bouncePhrases.first { lower.contains($0) }
    }
}
