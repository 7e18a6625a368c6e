import Foundation

/// One named promise set: targets counted in a calendar, when to warn, whom to escalate to.
public struct SLAPolicy: Equatable, Sendable {
    public var name: String
    public var calendar: WorkingCalendar
    /// Working seconds allowed per target; a target not listed is not promised.
    public var targets: [SLATarget: Int]
    /// The share of a target used when the warning goes out (0.8: at 80 %).
    public var warnAt: Double
    /// Also told of warnings and breaches (besides the assignee).
    public var escalateTo: String?

    public init(name: String, calendar: WorkingCalendar, targets: [SLATarget: Int], warnAt: Double = 0.8, escalateTo: String? = nil) {
        self.name = name
        self.calendar = calendar
        self.targets = targets
        self.warnAt = warnAt
        self.escalateTo = escalateTo
    }
}
