/// The ticket lifecycle as data: which status may follow which.
public struct Lifecycle: Sendable {
    public let transitions: [TicketStatus: Set<TicketStatus>]

    public static let standard = Lifecycle(transitions: [
        .new: [.open, .pending, .resolved, .closed],
        .open: [.pending, .resolved, .closed],
        .pending: [.open, .resolved, .closed],
        .resolved: [.open, .closed],
        .closed: [],
    ])

    public init(transitions: [TicketStatus: Set<TicketStatus>]) {
        self.transitions = transitions
    }

    public func allows(from old: TicketStatus, to new: TicketStatus) -> Bool {
        old == new || (transitions[old]?.contains(new) ?? false)
    }
}
