/// The ordered rules of a config, ready to run: conditions compiled to a flat program (see
/// `RuleProgram`) whose text fields each get a slot, so one message's values are folded once
/// however many rules look at them.
public struct RuleSet: Sendable, Equatable {
    public let rules: [Rule]
    let program: RuleProgram
    /// Per rule: whether it runs for new tickets and for follow-ups (a Set lookup per rule per
    /// message showed in profiles).
    private let runsOnNew: [Bool]
    private let runsOnFollowUp: [Bool]
    /// Per rule: its actions in words (`queue=billing tags+=vip`), made at load for its hit events.
    private let actionTexts: [String]

    public static let empty = RuleSet([])

    public init(_ rules: [Rule]) {
        self.rules = rules
        program = RuleProgram(rules)
        runsOnNew = rules.map { $0.on.contains(.new) }
        runsOnFollowUp = rules.map { $0.on.contains(.followUp) }
        actionTexts = rules.map { $0.then.map(\.description).joined(separator: " ") }
    }

    public static func == (a: RuleSet, b: RuleSet) -> Bool { a.rules == b.rules }

    public var isEmpty: Bool { rules.isEmpty }

    /// Whether any condition reads when the message arrived, and the queue's working hours:
    /// the caller works them out only then.
    public var readsArrival: Bool { program.readsArrival }
    public var readsBusinessHours: Bool { program.readsBusinessHours }

    /// Runs the rules in order for a message that opens a ticket (`.new`) or follows one up.
    /// Later rules override earlier ones for single values (queue, priority, …); tags and cc add up.
    public func evaluate(_ facts: RuleFacts, trigger: Rule.Trigger) -> RuleOutcome {
        var outcome = RuleOutcome()
        guard !rules.isEmpty else { return outcome }
        var input = RuleInput(facts, keys: program.slots, asciiOnly: program.asciiSlots, tests: program.tests.count)
        var stoppedBy: Int32 = -1
        var verdicts: [RuleVerdicts.Verdict] = []
        verdicts.reserveCapacity(rules.count)
        let runs = trigger == .new ? runsOnNew : runsOnFollowUp
        let roots = program.roots
        for index in rules.indices {
            if stoppedBy >= 0 {
                verdicts.append(.init(matched: false, reason: .stopped, node: stoppedBy))
                continue
            }
            guard runs[index] else {
                verdicts.append(.init(matched: false, reason: trigger == .new ? .followUpsOnly : .newOnly, node: -1))
                continue
            }
            let (matched, why) = program.evaluate(roots[index], &input)
            verdicts.append(.init(matched: matched, reason: .condition, node: why))
            guard matched else { continue }
            outcome.apply(rules[index], because: program.because[Int(why)], actionText: actionTexts[index])
            if rules[index].stop { stoppedBy = Int32(index) }
        }
        outcome.verdicts = RuleVerdicts(set: self, verdicts: verdicts)
        return outcome
    }
}

/// Every rule's verdict on one message, compactly: whether it matched and what decided, spelled
/// out as `RuleResult`s only when read (a dry run, a test), not for every message of the intake.
public struct RuleVerdicts: Sendable, Equatable {
    struct Verdict: Sendable, Equatable {
        enum Reason: UInt8, Sendable { case condition, stopped, followUpsOnly, newOnly }
        var matched: Bool
        var reason: Reason
        /// `condition`: the deciding node; `stopped`: the index of the rule that stopped.
        var node: Int32
    }

    private let set: RuleSet?
    private let verdicts: [Verdict]

    public init() {
        set = nil
        verdicts = []
    }

    init(set: RuleSet, verdicts: [Verdict]) {
        self.set = set
        self.verdicts = verdicts
    }

    public var isEmpty: Bool { verdicts.isEmpty }

    /// Each rule with matched or not and the condition that decided, in evaluation order.
    public var results: [RuleResult] {
        guard let set else { return [] }
        return zip(set.rules, verdicts).map { rule, v in
            switch v.reason {
            case .condition: return RuleResult(name: rule.name, matched: v.matched, because: set.program.because[Int(v.node)])
            case .stopped: return RuleResult(name: rule.name, matched: false, because: "not evaluated: rule \"\(set.rules[Int(v.node)].name)\" stopped")
            case .followUpsOnly: return RuleResult(name: rule.name, matched: false, because: "only for follow-ups")
            case .newOnly: return RuleResult(name: rule.name, matched: false, because: "only for new tickets")
            }
        }
    }

    public static func == (a: RuleVerdicts, b: RuleVerdicts) -> Bool { a.results == b.results }
}

/// How one rule fared on one message: whether it matched and the condition that decided.
public struct RuleResult: Sendable, Equatable {
    public var name: String
    public var matched: Bool
    public var because: String

    public init(name: String, matched: Bool, because: String) {
        self.name = name
        self.matched = matched
        self.because = because
    }
}

/// What the rules decided for one message; nil means "no rule said".
public struct RuleOutcome: Sendable, Equatable {
    public var verdicts = RuleVerdicts()
    /// Every rule's verdict, spelled out (see `RuleVerdicts`).
    public var results: [RuleResult] { verdicts.results }
    /// The rules that matched, in order, with their actions, also in words (each becomes an
    /// event on the ticket).
    public var hits: [(rule: String, because: String, actions: [RuleAction], actionText: String)] = []
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

    mutating func apply(_ rule: Rule, because: String, actionText: String) {
        hits.append((rule.name, because, rule.then, actionText)) // a hit's reason is always shown
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
