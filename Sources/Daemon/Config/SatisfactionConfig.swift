import Foundation

/// Customer satisfaction by e-mail (`satisfaction_links`): whether the resolved mail ends with
/// "Good" and "Bad" links to signed `+rate-…` plus-addresses of the ticket's queue.
public struct SatisfactionConfig: Sendable, Equatable {
    /// On by default. Off: the resolved mail carries no links; ratings sent through links mailed
    /// earlier are still recorded (the customer was asked, and the signature holds).
    public var links = true

    public init() {}

    static let keys = ["satisfaction_links"]

    static func parse(_ root: ConfigReader, into config: inout Config) throws {
        var s = SatisfactionConfig()
        s.links = try root.bool("satisfaction_links") ?? true
        config.satisfaction = s
    }
}
