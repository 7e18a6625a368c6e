import MIME
import Store

/// Where an inbound message goes, why, and what to do once it is stored.
public struct Route {
    public enum Action: Equatable {
        case newTicket
        case join(ticketNumber: Int64)
        case hold(String)
        case dropOwnMail(String)
    }
    public var action: Action
    /// The rule that decided, stored on the message (`postdesk explain`).
    public var explanation: String
    public var queue: String?
    /// Subject for a new ticket when it differs from the message's (e.g. an old tag stripped).
    public var newSubject: String?
    /// Status changes, links and notifications, run in the same transaction after the message is stored.
    public var afterStore: (_ ticket: TicketRecord, _ messageRow: Int64, _ isNew: Bool, _ tickets: TicketStore, _ now: Int64) throws -> Void

    public init(action: Action, explanation: String, queue: String? = nil, newSubject: String? = nil,
                afterStore: @escaping (TicketRecord, Int64, Bool, TicketStore, Int64) throws -> Void = { _, _, _, _, _ in }) {
        self.action = action
        self.explanation = explanation
        self.queue = queue
        self.newSubject = newSubject
        self.afterStore = afterStore
    }
}

/// Decides which ticket an inbound message belongs to.
public struct MessageRouter {
    public var config: Config

    public init(config: Config) { self.config = config }

    public func route(_ message: Message, raw: [UInt8], db: Database, now: Int64) throws -> Route {
        Route(action: .newTicket, explanation: "new: no thread rules yet")
    }
}
