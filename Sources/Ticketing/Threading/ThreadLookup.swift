import Foundation

/// How a person relates to a ticket, for rule (c) of joining.
public enum ParticipantRole: String, Sendable, Equatable {
    case requester, cc, agent
}

/// What threading needs to know about an existing ticket.
public struct TicketSnapshot: Sendable, Equatable {
    public var number: Int
    public var status: TicketStatus
    /// Participants keyed by normalised address (see `Address.normalised`).
    public var participants: [String: ParticipantRole]
    /// When the ticket last became `resolved`, for the reopen window.
    public var resolvedAt: Date?

    public init(number: Int, status: TicketStatus, participants: [String: ParticipantRole] = [:], resolvedAt: Date? = nil) {
        self.number = number
        self.status = status
        self.participants = Dictionary(participants.map { (Address.normalised($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.resolvedAt = resolvedAt
    }

    public var isClosed: Bool { status == .closed }
}

/// The store, seen from threading. The daemon implements it over SQLite; tests over dictionaries.
public protocol ThreadLookup {
    func ticket(number: Int) -> TicketSnapshot?
    /// The ticket holding a stored message with this Message-ID (brackets as written), if any.
    func ticketNumber(forMessageID messageID: String) -> Int?
    /// Whether `address` (normalised) belongs to one of our agents: agents take part in every ticket.
    func isAgent(_ address: String) -> Bool
}
