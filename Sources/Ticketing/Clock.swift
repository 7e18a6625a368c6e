import Foundation

/// The one source of "now". Everything that needs the time takes a `Clock`, so tests move time by hand.
public protocol Clock: Sendable {
    func now() -> Date
}

/// Wall-clock time; the only place in postdesk that reads the system clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() } // clock: the single permitted reading of the system clock
}

extension Clock {
    /// Whole seconds since 1970, the unit the store keeps times in.
    public func unixSeconds() -> Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
}
