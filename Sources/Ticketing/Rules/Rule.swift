/// One routing rule: when `when` holds for a message of a kind in `on`, do `then`; `stop`
/// ends the evaluation after it matches.
public struct Rule: Sendable, Equatable {
    public enum Trigger: String, Sendable, Equatable, CaseIterable {
        case new
        case followUp = "follow_up"
    }

    public var name: String
    public var when: RuleCondition
    public var then: [RuleAction]
    public var stop: Bool
    public var on: Set<Trigger>

    public init(name: String, when: RuleCondition, then: [RuleAction], stop: Bool = false, on: Set<Trigger> = [.new]) {
        self.name = name
        self.when = when
        self.then = then
        self.stop = stop
        self.on = on
    }
}
