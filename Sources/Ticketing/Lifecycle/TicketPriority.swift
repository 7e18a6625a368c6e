/// How urgent a ticket is, lowest first.
public enum TicketPriority: String, CaseIterable, Sendable, Codable {
    case low, normal, high, urgent
}
