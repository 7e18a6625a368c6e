import Foundation

/// The facts one inbound message brings to the pipeline: plain values, made once by the intake.
public struct PipelineInput: Sendable, Equatable {
    public var facts: InboundFacts
    public var classification: Classification
    /// The text body (plain, or rendered from HTML); "" when there is none.
    public var text: String
    /// The new text of a reply, without the quoted part: what agent commands are read from.
    public var replyText: String?
    /// The mailbox it came from (nil for a re-import from quarantine) and that mailbox's queue.
    public var mailbox: String?
    public var mailboxQueue: String?
    /// Raw size in bytes.
    public var size: Int
    /// The arrival time, from the injected clock.
    public var now: Date
    /// An operator released a message held by `stranger_policy: hold` (`quarantine retry --as-new`).
    public var releasedByOperator: Bool
    /// Type and name of each attachment, for rule conditions.
    public var attachments: [RuleFacts.AttachmentFacts] = []
    /// A merge's disclosure warning the operator has already seen and confirmed
    /// (`postdesk merge --yes`): the agent is not mailed it again as a command report.
    public var confirmedDisclosure: String?

    public init(facts: InboundFacts, classification: Classification, text: String = "", replyText: String? = nil,
                mailbox: String? = nil, mailboxQueue: String? = nil, size: Int = 0, now: Date,
                releasedByOperator: Bool = false) {
        self.facts = facts
        self.classification = classification
        self.text = text
        self.replyText = replyText
        self.mailbox = mailbox
        self.mailboxQueue = mailboxQueue
        self.size = size
        self.now = now
        self.releasedByOperator = releasedByOperator
    }

    public var sender: String { facts.sender }
    public var messageClass: MessageClass { classification.messageClass }
}
