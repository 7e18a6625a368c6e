/// A rule's `when`: field tests combined with `all`, `any` and `not`, nestable. Each node keeps
/// its config text so an evaluation can say which condition decided (`because`).
public indirect enum RuleCondition: Sendable, Equatable, CustomStringConvertible {
    case test(FieldTest)
    case arrival(ArrivalTest)
    case all([RuleCondition])
    case any([RuleCondition])
    case not(RuleCondition)

    /// One field compared by one operator, e.g. `subject contains "invoice"`.
    public struct FieldTest: Sendable, Equatable {
        public var field: RuleField
        public var op: RuleOperator
        public var caseSensitive: Bool
        /// As written in the config, for `because`.
        public var text: String
        /// Index of the field's values in a `RuleInput` (set when a `RuleSet` is built).
        var slot = -1

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

    /// Whether the condition holds, and the condition that decided it: the failing part of
    /// an `all`, the matching part of an `any`, the whole node otherwise.
    func evaluate(_ input: RuleInput) -> (Bool, RuleCondition) {
        switch self {
        case .test(let t): return (input.test(t), self)
        case .arrival(let a): return (a.test(input.facts.arrival), self)
        case .all(let items):
            for item in items {
                let (ok, why) = item.evaluate(input)
                if !ok { return (false, why) }
            }
            return (true, self)
        case .any(let items):
            for item in items {
                let (ok, why) = item.evaluate(input)
                if ok { return (true, why) }
            }
            return (false, self)
        case .not(let inner):
            let (ok, _) = inner.evaluate(input)
            return (!ok, self)
        }
    }

    /// The same condition with every field test given its slot in `slots`.
    func assigningSlots(_ slots: inout [RuleInput.SlotKey]) -> RuleCondition {
        switch self {
        case .test(var t):
            let key = RuleInput.SlotKey(field: t.field, caseSensitive: t.caseSensitive)
            if let index = slots.firstIndex(of: key) { t.slot = index } else { t.slot = slots.count; slots.append(key) }
            return .test(t)
        case .arrival: return self
        case .all(let items): return .all(items.map { $0.assigningSlots(&slots) })
        case .any(let items): return .any(items.map { $0.assigningSlots(&slots) })
        case .not(let inner): return .not(inner.assigningSlots(&slots))
        }
    }
}
