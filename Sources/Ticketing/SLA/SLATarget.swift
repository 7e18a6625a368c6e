/// The promises an SLA policy makes, named as in config.
public enum SLATarget: String, CaseIterable, Sendable, Comparable {
    /// From the ticket's creation to the first agent reply relayed to the customer.
    case firstResponse = "first_response"
    /// From a customer message that waits for an answer to the next agent reply.
    case nextResponse = "next_response"
    /// From creation to `resolved`.
    case resolution

    public static func < (a: SLATarget, b: SLATarget) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// In words: `first response`.
    public var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}

extension String {
    fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
