import Foundation

/// How a person relates to a ticket, for rule (c) of joining.
public enum ParticipantRole: String, Sendable, Equatable {
    case requester, cc, agent
}

/// An existing ticket as it is before a message joins it: what threading and the steps after it read.
public struct TicketSnapshot: Sendable, Equatable {
    public var number: Int
    public var status: TicketStatus
    public var subject: String
    public var priority: TicketPriority
    public var queue: String
    public var assignee: String?
    /// The requester's address, normalised.
    public var requester: String
    /// Participants keyed by normalised address (see `Address.normalised`).
    public var participants: [String: ParticipantRole]
    /// When the ticket last became `resolved`, for the reopen window.
    public var resolvedAt: Date?
    /// The ticket this one was merged into: mail for it lands there (see `MergeForward`).
    public var mergedInto: Int?

    public init(number: Int, status: TicketStatus, participants: [String: ParticipantRole] = [:], resolvedAt: Date? = nil,
                subject: String = "", priority: TicketPriority = .normal, queue: String = "", assignee: String? = nil,
                requester: String? = nil, mergedInto: Int? = nil) {
        self.number = number
        self.mergedInto = mergedInto
        self.status = status
        self.subject = subject
        self.priority = priority
        self.queue = queue
        self.assignee = assignee
        self.requester = requester.map(Address.normalised)
            ?? participants.first { $0.value == .requester }.map { Address.normalised($0.key) } ?? ""
        self.participants = Dictionary(participants.map { (Address.normalised($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.resolvedAt = resolvedAt
    }

    public var isClosed: Bool { status == .closed }

    /// The lifecycle's starting point for a message joining this ticket.
    public var state: TicketState {
        TicketState(status: status, priority: priority, assignee: assignee, resolvedAt: resolvedAt)
    }
}

/// The store, seen from threading. The daemon implements it over SQLite; tests over dictionaries.
public protocol ThreadLookup {
    func ticket(number: Int) -> TicketSnapshot?
    /// The ticket holding a stored message with this Message-ID (brackets as written), if any.
    func ticketNumber(forMessageID messageID: String) -> Int?
    /// Whether `address` (normalised) belongs to one of our agents: agents take part in every ticket.
    func isAgent(_ address: String) -> Bool
}

extension TicketSnapshot {
    /// The customer-side Cc's (not the requester, not agents), sorted: who else reads its replies.
    public var customerCopies: [String] { participants.filter { $0.value == .cc }.map(\.key).sorted() }
}
