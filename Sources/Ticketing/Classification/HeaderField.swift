/// One decoded header as (name, value), in message order. Ticketing's own plain form, filled from MIME.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HeaderField {
    /// Values of every header called `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        let lower = name.lowercased()
        return filter { $0.name.lowercased() == lower }.map(\.value)
    }

    /// The first value of header `name`, trimmed, or nil.
    public func first(_ name: String) -> String? { values(name).first.map { $0.trimmingWhitespace() } }
}
