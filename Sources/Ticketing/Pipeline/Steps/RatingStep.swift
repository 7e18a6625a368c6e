/// Step 0, before threading: mail to a satisfaction link's address (`support+rate-N-good-<token>@…`
/// in To, Cc or Delivered-To) is a rating, never a reply: it is stored on ticket N with a `rating`
/// event (the verdict, and the mail's text as the comment), reopens nothing, starts no ticket and
/// causes no mail; the steps after this one do not run. Only a token signed for that very ticket
/// and verdict counts. A forged or altered token, another ticket's link, or several rating
/// addresses at once change nothing: the message is held in quarantine with the reason, for an
/// operator to read. An automatic reply to a rating address is stored on the ticket and rates nothing.
public struct RatingStep: IntakeStep {
    public var signer: MessageIDSigner
    /// Our addresses whose `+rate-…` form is a rating address.
    public var plusAddressBases: [String]

    public init(signer: MessageIDSigner, plusAddressBases: [String]) {
        self.signer = signer
        self.plusAddressBases = plusAddressBases
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard input.messageClass != .ourOwn else { return }
        let found = RatingAddress.find(in: input.facts.to + input.facts.cc + input.facts.deliveredTo, bases: plusAddressBases)
        guard let rating = found.first else { return }
        guard found.count == 1 else {
            return hold("mail to \(found.count) rating addresses at once", plan: &plan)
        }
        guard rating.isSigned(by: signer) else {
            return hold("rating address for ticket #\(rating.ticket) with a signature that does not match (forged, altered, or another ticket's link)",
                        plan: &plan)
        }
        guard let ticket = view.ticket(number: rating.ticket) else {
            return hold("rating for ticket #\(rating.ticket), which does not exist", plan: &plan)
        }
        plan.disposition = .join(ticket: rating.ticket)
        plan.ticket = ticket
        plan.state = ticket.state
        plan.queue = ticket.queue
        // The signed link is a capability for this ticket and verdict, not proof of who sent it:
        // a rating never acts with an agent's rights, whatever its From says.
        plan.actor = .customer
        plan.complete = true
        guard input.messageClass == .human else {
            plan.explanation = "rating address of ticket #\(rating.ticket): \(input.classification.explanation), not a rating; nothing recorded"
            return
        }
        plan.rating = TicketRating(verdict: rating.verdict, comment: input.replyText ?? input.text)
        plan.explanation = "rating: \(rating.verdict.rawValue) for ticket #\(rating.ticket) (signed rating address); the ticket stays \(ticket.status.rawValue)"
    }

    private func hold(_ reason: String, plan: inout TicketPlan) {
        plan.disposition = .hold("hold: \(reason); nothing recorded")
        plan.explanation = "hold: \(reason); nothing recorded"
    }
}
