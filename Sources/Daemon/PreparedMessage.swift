import Foundation
import MIME
import Ticketing

/// The CPU-bound part of taking a message in: hashes, MIME parse, text and attachments. It runs
/// under a time limit (`message_time_limit`) away from the store, so one pathological message
/// is quarantined instead of stalling the mailbox.
public struct PreparedMessage: Sendable {
    public var sha256: String
    public var contentSHA256: String
    public var message: Message
    public var text: String?
    public var attachments: [Attachment]

    public init(raw: [UInt8]) {
        sha256 = SHA256.hex(raw)
        // Most mail has no trace headers on top when APPENDed; then one hash serves both.
        let content = Intake.withoutTraceHeaders(raw)
        contentSHA256 = content.count == raw.count ? sha256 : SHA256.hex(content)
        message = Message.parse(raw)
        text = message.text
        attachments = message.attachments
    }

    /// Runs `prepare` on a worker thread and waits at most `seconds`. On timeout the worker is
    /// left to finish on its own (it touches nothing shared) and nil is returned.
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
