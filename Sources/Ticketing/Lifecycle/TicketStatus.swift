/// Where a ticket is in its life. The allowed moves between statuses live in `Lifecycle`.
public enum TicketStatus: String, CaseIterable, Sendable, Codable {
    case new, open, pending, resolved, closed
}
