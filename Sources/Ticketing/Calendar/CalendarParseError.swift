/// Why a calendar's hours, holidays or a duration could not be read, in words an operator can act
/// on; the config layer adds the file and key.
public struct CalendarParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
