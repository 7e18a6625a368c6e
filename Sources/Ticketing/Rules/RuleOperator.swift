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

    /// Whether one text value, in comparison form, passes (`matches` reads the raw text instead).
    func test(_ value: [UInt8]) -> Bool {
        switch self {
        case .equals(let n): return value == n
        case .contains(let n): return TextFold.contains(value, n)
        case .startsWith(let n): return TextFold.hasPrefix(value, n)
        case .endsWith(let n): return TextFold.hasSuffix(value, n)
        case .oneOf(let list): return list.contains(value)
        case .matches, .isTrue, .numberEquals, .greaterThan, .lessThan: return false
        }
    }

    func test(number: Double) -> Bool {
        switch self {
        case .numberEquals(let n): return number == n
        case .greaterThan(let n): return number > n
        case .lessThan(let n): return number < n
        default: return false
        }
    }

    func test(bool: Bool) -> Bool {
        if case .isTrue(let wanted) = self { return bool == wanted }
        return false
    }

    var needsRawText: Bool { if case .matches = self { return true }; return false }
}
