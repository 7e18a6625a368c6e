import Foundation

/// One thing in a ticket's history that moves its SLA clocks. The clocks are always recomputed
/// from the whole history, so a change of policy re-times the past instead of starting over.
public struct SLAFact: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The ticket was opened in this status.
        case created(TicketStatus)
        case status(TicketStatus)
        /// A customer's own message (not an automatic reply) that waits for an answer.
        case customerWrote
        /// An agent's reply relayed to the customer (not a note, not an acknowledgement).
        case agentReplied
    }

    public var kind: Kind
    public var at: Date

    public init(_ kind: Kind, at: Date) {
        self.kind = kind
        self.at = at
    }
}
