/// A rule's `when`: field tests combined with `all`, `any` and `not`, nestable. Each node keeps
/// its config text so an evaluation can say which condition decided (`because`).
public indirect enum RuleCondition: Sendable, Equatable, CustomStringConvertible {
    case test(FieldTest)
    case arrival(ArrivalTest)
    case all([RuleCondition])
    case any([RuleCondition])
    case not(RuleCondition)

    /// One field compared by one operator, e.g. `subject contains "invoice"` (run compiled, see
    /// `RuleProgram`).
    public struct FieldTest: Sendable, Equatable {
        public let field: RuleField
        public let op: RuleOperator
        public let caseSensitive: Bool
        /// As written in the config, for `because`.
        public let text: String
        public init(field: RuleField, op: RuleOperator, caseSensitive: Bool, text: String) {
            self.field = field
            self.op = op
            self.caseSensitive = caseSensitive
            self.text = text
        }
    }

    public var description: String {
        switch self {
        case .test(let t): return t.text
        case .arrival(let a): return a.description
        case .all(let items): return "all(\(items.map(\.description).joined(separator: ", ")))"
        case .any(let items): return "any(\(items.map(\.description).joined(separator: ", ")))"
        case .not(let inner): return "not(\(inner.description))"
        }
    }
}
