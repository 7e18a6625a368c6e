import Foundation
import MIME
import Store
import Ticketing

/// What an agent does from the command line goes through the very path an e-mail takes: the
/// CLI writes the mail the agent would have sent (tagged with the ticket's token, commands at
/// the top) and the intake processes it in one transaction. So the events, the outbox rows and
/// the stored message are exactly those of the e-mail path; the running daemon sends the mail.
extension Intake {
    public struct ActionError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A mail from `agent` on ticket `number`: commands (`#status resolved`) and/or reply text.
    /// `confirmedDisclosure`: a merge warning the operator saw and confirmed (not mailed back).
    public func agentMail(ticket number: Int64, agent: String, body: String,
                          attachments: [OutgoingAttachment] = [], confirmedDisclosure: String? = nil) throws -> IntakeOutcome {
        guard let ticket = try tickets.ticket(number: number) else { throw ActionError(description: "no ticket #\(number)") }
        router.confirmedDisclosure = confirmedDisclosure
        defer { router.confirmedDisclosure = nil }
        let subject = "Re: " + router.tags.subject(ticket.subject, taggedWith: Int(number))
        // The operator runs the CLI with the instance key: the mail carries the agent's reply
        // handle, the proof an agent's mail needs (issue "Agents by e-mail, safely").
        let handle = router.signer.agentMessageID(ticket: Int(number), agent: agent)
        let outcome = try ingestComposed(from: agent, subject: subject, text: body, attachments: attachments,
                                         inReplyTo: [String(handle.dropFirst().dropLast())])
        guard case .imported(number, _, _) = outcome else {
            throw ActionError(description: "the mail did not land on ticket #\(number): \(outcome)")
        }
        return outcome
    }

    /// A ticket opened for a customer who called: their words as if they had mailed them
    /// (the acknowledgement and the agents' notice go as for a mail).
    public func phoneTicket(from customer: String, subject: String, text: String) throws -> IntakeOutcome {
        try ingestComposed(from: customer, subject: subject, text: text, attachments: [])
    }

    private func ingestComposed(from: String, subject: String, text: String, attachments: [OutgoingAttachment],
                                inReplyTo: [String] = []) throws -> IntakeOutcome {
        let support = config.queues.first?.address ?? config.smtp.map { MessageRouter.addressPart($0.from) } ?? "support@postdesk.invalid"
        let domain = support.split(separator: "@").last.map(String.init) ?? "postdesk.invalid"
        var message = OutgoingMessage(from: MailboxAddress(name: nil, address: from), to: [MailboxAddress(name: nil, address: support)],
                                      subject: subject, date: clock.now(),
                                      messageID: "cli.\(clock.unixSeconds()).\(SigningKey.generate().hex.prefix(16))@\(domain)", text: text)
        message.attachments = attachments
        message.inReplyTo = inReplyTo
        // Marks the stored message as written by the CLI (for `postdesk show` and audits).
        message.extraHeaders = [OutgoingHeader("X-Postdesk-Origin", "command line")]
        let raw = MessageWriter(allow8bit: false).write(message)
        return try db.transaction { try process(raw: raw, key: nil) }
    }
}
