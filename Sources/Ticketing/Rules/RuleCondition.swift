/// A rule's `when`: field tests combined with `all`, `any` and `not`, nestable. Each node keeps
/// its config text so an evaluation can say which condition decided (`because`).
public indirect enum RuleCondition: Sendable, Equatable, CustomStringConvertible {
    case test(FieldTest)
    case arrival(ArrivalTest)
    case all([RuleCondition])
    case any([RuleCondition])
    case not(RuleCondition)

    /// One field compared by one operator, e.g. `subject contains "invoice"`. A class: every rule
    /// of every message reads these, and a reference costs one retain where a struct of arrays
    /// and strings cost several.
    public final class FieldTest: Sendable, Equatable {
        public let field: RuleField
        public let op: RuleOperator
        public let caseSensitive: Bool
        /// As written in the config, for `because`.
        public let text: String
        /// Index of the field's values in a `RuleInput` (set when a `RuleSet` is built).
        let slot: Int

        public init(field: RuleField, op: RuleOperator, caseSensitive: Bool, text: String) {
            self.field = field
            self.op = op
            self.caseSensitive = caseSensitive
            self.text = text
            slot = -1
        }

        init(_ other: FieldTest, slot: Int) {
            field = other.field
            op = other.op
            caseSensitive = other.caseSensitive
            text = other.text
            self.slot = slot
        }

        public static func == (a: FieldTest, b: FieldTest) -> Bool {
            a.field == b.field && a.op == b.op && a.caseSensitive == b.caseSensitive && a.text == b.text
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
        case .test(let t):
            let key = RuleInput.SlotKey(field: t.field, caseSensitive: t.caseSensitive)
            if let index = slots.firstIndex(of: key) { return .test(FieldTest(t, slot: index)) }
            slots.append(key)
            return .test(FieldTest(t, slot: slots.count - 1))
        case .arrival: return self
        case .all(let items): return .all(items.map { $0.assigningSlots(&slots) })
        case .any(let items): return .any(items.map { $0.assigningSlots(&slots) })
        case .not(let inner): return .not(inner.assigningSlots(&slots))
        }
    }
}
