/// How a field's value is compared. Text needles are stored in comparison form (see `TextFold`).
public enum RuleOperator: Sendable, Equatable {
    case equals([UInt8])
    case contains([UInt8])
    case startsWith([UInt8])
    case endsWith([UInt8])
    case matches(RulePattern)
    case oneOf([[UInt8]])
    case isTrue(Bool)
    case numberEquals(Double)
    case greaterThan(Double)
    case lessThan(Double)

    /// The config spellings of the operators, for parsing and "did you mean" hints.
    public static let names = ["equals", "contains", "starts_with", "ends_with", "matches", "in", "gt", "lt"]
}
