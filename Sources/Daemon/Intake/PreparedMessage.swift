import Foundation
import MIME
import Ticketing

/// The CPU-bound part of taking a message in: hashes, MIME parse, text and attachments. It runs
/// under a time limit (`message_time_limit`) away from the store, so one pathological message
/// is quarantined instead of stalling the mailbox.
public struct PreparedMessage: Sendable {
    public var sha256: String
    public var message: Message
    public var text: String?
    /// The new part of `text` when it is a reply (`ReplyText`): made here, once, for the
    /// pipeline and the search index.
    public var replyText: String?
    public var attachments: [Attachment]
    /// Hex SHA-256 of each attachment's decoded bytes, in `attachments` order.
    public var attachmentSHA256: [String]
    /// What the threading and loop rules look at, taken from the parse.
    public var facts: InboundFacts
    /// The loop and bounce classification, when made early (on the fetch thread); nil
    /// means the router classifies it itself.
    public var classification: Classification?

    public init(raw: [UInt8]) {
        sha256 = SHA256.hex(raw)
        message = Message.parse(raw)
        text = message.text
        replyText = text.map(ReplyText.extract)
        attachments = message.attachments
        attachmentSHA256 = attachments.map(PreparedMessage.sha256)
        facts = InboundFacts(message: message, text: text)
    }

    /// Hex SHA-256 of an attachment's decoded bytes, decoded piece by piece (never held whole).
    static func sha256(_ attachment: Attachment) -> String {
        var hash = SHA256()
        attachment.decode { hash.update(buffer: UnsafeRawBufferPointer($0)) }
        return Hex.encode(hash.finalize())
    }

    /// This message with its classification made by `classifier` (pure; any thread).
    public func classified(by classifier: MessageClassifier) -> PreparedMessage {
        var copy = self
        copy.classification = classifier.classify(facts)
        return copy
    }

    /// Runs `prepare` on a worker thread and waits at most `seconds`. On timeout the worker is
    /// left to finish on its own and nil is returned. Of what is shared it uses only MIME's locked
    /// `IconvPool`: a worker stuck inside `iconv` keeps one converter out of the pool until it
    /// returns, and the pool opens another meanwhile (bounded, not a leak).
    static func withTimeLimit(_ seconds: Double, raw: [UInt8],
                              _ prepare: @escaping @Sendable ([UInt8]) -> PreparedMessage) -> PreparedMessage? {
        let done = DispatchSemaphore(value: 0)
        let slot = ResultSlot()
        DispatchQueue.global(qos: .userInitiated).async {
            slot.value = prepare(raw)
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return slot.value
    }
}

/// Hands the worker's result back; written once before the semaphore is signalled.
private final class ResultSlot: @unchecked Sendable {
    var value: PreparedMessage?
}
