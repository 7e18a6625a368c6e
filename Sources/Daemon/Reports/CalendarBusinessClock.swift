import Foundation
import Ticketing

/// Business time for reports from working calendars: one per queue, else a default one.
public struct CalendarBusinessClock: BusinessClock {
    public let queues: [String: WorkingCalendar]
    public let fallback: WorkingCalendar?

    public init(queues: [String: WorkingCalendar] = [:], fallback: WorkingCalendar?) {
        self.queues = queues
        self.fallback = fallback
    }

    public func businessSeconds(queue: String, from: Int64, to: Int64) -> Int64? {
        guard let calendar = queues[queue] ?? fallback else { return nil }
        return Int64(calendar.businessSeconds(from: Date(timeIntervalSince1970: TimeInterval(from)),
                                              to: Date(timeIntervalSince1970: TimeInterval(to))).rounded())
    }
}
