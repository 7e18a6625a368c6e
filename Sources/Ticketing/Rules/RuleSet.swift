/// The ordered rules of a config, ready to run: every field a condition reads gets a slot, so
/// one message's values are folded once however many rules look at them.
public struct RuleSet: Sendable, Equatable {
    public let rules: [Rule]
    let slots: [RuleInput.SlotKey]
    /// Per rule: whether it runs for new tickets and for follow-ups (a Set lookup per rule per
    /// message showed in profiles).
    private let runsOnNew: [Bool]
    private let runsOnFollowUp: [Bool]

    public static let empty = RuleSet([])

    public init(_ rules: [Rule]) {
        var slots: [RuleInput.SlotKey] = []
        self.rules = rules.map { rule in
            var compiled = rule
            compiled.when = rule.when.assigningSlots(&slots)
            return compiled
        }
        self.slots = slots
        runsOnNew = rules.map { $0.on.contains(.new) }
        runsOnFollowUp = rules.map { $0.on.contains(.followUp) }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// Runs the rules in order for a message that opens a ticket (`.new`) or follows one up.
    /// Later rules override earlier ones for single values (queue, priority, …); tags and cc add up.
    public func evaluate(_ facts: RuleFacts, trigger: Rule.Trigger) -> RuleOutcome {
        var outcome = RuleOutcome()
        guard !rules.isEmpty else { return outcome }
        let input = RuleInput(facts, keys: slots)
        var stoppedBy: String?
        outcome.results.reserveCapacity(rules.count)
        let runs = trigger == .new ? runsOnNew : runsOnFollowUp
        for (index, rule) in rules.enumerated() {
            if let stoppedBy {
                outcome.results.append(RuleResult(name: rule.name, matched: false, because: "not evaluated: rule \"\(stoppedBy)\" stopped"))
                continue
            }
            guard runs[index] else {
                outcome.results.append(RuleResult(name: rule.name, matched: false,
                                                  because: trigger == .new ? "only for follow-ups" : "only for new tickets"))
                continue
            }
            let (matched, why) = rule.when.evaluate(input)
            outcome.results.append(RuleResult(name: rule.name, matched: matched, decidedBy: why))
            guard matched else { continue }
            outcome.apply(rule)
            if rule.stop { stoppedBy = rule.name }
        }
        return outcome
    }
}

/// How one rule fared on one message: whether it matched and the condition that decided.
public struct RuleResult: Sendable, Equatable {
    public var name: String
    public var matched: Bool
    /// The deciding condition, or why the rule did not run; written out only when read
    /// (most verdicts of most messages are never shown).
    private var reason: Reason

    private enum Reason: Sendable, Equatable {
        case condition(RuleCondition)
        case text(String)
    }

    public init(name: String, matched: Bool, because: String) {
        self.name = name
        self.matched = matched
        reason = .text(because)
    }

    init(name: String, matched: Bool, decidedBy condition: RuleCondition) {
        self.name = name
        self.matched = matched
        reason = .condition(condition)
    }

    public var because: String {
        switch reason {
        case .condition(let c): return c.description
        case .text(let t): return t
        }
    }

    public static func == (a: RuleResult, b: RuleResult) -> Bool {
        a.name == b.name && a.matched == b.matched && a.because == b.because
    }
}

/// What the rules decided for one message; nil means "no rule said".
public struct RuleOutcome: Sendable, Equatable {
    public var results: [RuleResult] = []
    /// The rules that matched, in order, with their actions (each becomes an event on the ticket).
    public var hits: [(rule: String, because: String, actions: [RuleAction])] = []
    public var queue: String?
    public var priority: TicketPriority?
    public var status: TicketStatus?
    public var tags: [String] = []
    public var category: String?
    public var assign: AssignTarget?
    public var cc: [String] = []
    public var acknowledge: Bool?
    public var sla: String?
    public var spam = false

    public init() {}

    public static func == (a: RuleOutcome, b: RuleOutcome) -> Bool {
        a.results == b.results && a.hits.map(\.rule) == b.hits.map(\.rule) && a.queue == b.queue && a.priority == b.priority
            && a.status == b.status && a.tags == b.tags && a.category == b.category && a.assign == b.assign
            && a.cc == b.cc && a.acknowledge == b.acknowledge && a.sla == b.sla && a.spam == b.spam
    }

    mutating func apply(_ rule: Rule) {
        hits.append((rule.name, results.last?.because ?? "", rule.then)) // a hit's reason is always shown
        for action in rule.then {
            switch action {
            case .queue(let q): queue = q
            case .priority(let p): priority = p
            case .status(let s): status = s
            case .tags(let list): for tag in list where !tags.contains(tag) { tags.append(tag) }
            case .category(let c): category = c
            case .assign(let target): assign = target
            case .cc(let list): for address in list where !cc.contains(address) { cc.append(address) }
            case .acknowledge(let on): acknowledge = on
            case .sla(let policy): sla = policy
            case .spam:
                spam = true
                status = .closed
                acknowledge = false
                if !tags.contains("spam") { tags.append("spam") }
            }
        }
    }
}
