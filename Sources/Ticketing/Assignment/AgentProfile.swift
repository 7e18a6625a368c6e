import Foundation

/// An agent as assignment sees them: groups, working hours in their own time zone, away, capacity.
public struct AgentProfile: Sendable, Equatable {
    public var email: String
    public var name: String?
    public var groups: [String]
    /// Working hours in the agent's time zone; nil: always on duty.
    public var hours: WorkingCalendar?
    public var away: Bool
    public var maxOpen: Int?

    public init(email: String, name: String? = nil, groups: [String] = [], hours: WorkingCalendar? = nil,
                away: Bool = false, maxOpen: Int? = nil) {
        self.email = email.lowercased()
        self.name = name
        self.groups = groups
        self.hours = hours
        self.away = away
        self.maxOpen = maxOpen
    }

    /// Why the agent cannot take a ticket at `date` with `open` tickets already, or nil when on duty.
    public func offDuty(at date: Date, open: Int) -> String? {
        if away { return "away" }
        if let hours, !hours.isOpen(at: date) {
            return "off duty (\(hours.hours) \(hours.timeZone.identifier))"
        }
        if let maxOpen, open >= maxOpen { return "at capacity (\(open)/\(maxOpen) open)" }
        return nil
    }
}
