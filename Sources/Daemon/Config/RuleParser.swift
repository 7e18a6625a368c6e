import Foundation
import Ticketing

/// Reads one rule of `rules` into a `Rule`, checking every name it refers to against the config
/// (queues, agents, groups, SLA policies). Errors read `file: rules[3] "vip".when.subject.contain: …`.
struct RuleParser {
    let config: Config
    let policies: Set<String>

    static let ruleKeys: Set<String> = ["name", "when", "then", "stop", "on", "description"]
    static let classes = MessageClass.allCases.filter { $0 != .ourOwn }.map(\.rawValue)

    func rule(_ item: ConfigReader, index: Int) throws -> Rule {
        guard case .object = item.value else { throw item.fail("a rule must be an object") }
        let label = ConfigReader(file: item.file, path: "\(item.path)", value: item.value)
        let name = try label.requiredString("name")
        // From here every key path carries the rule's name as well as its index.
        let r = ConfigReader(file: item.file, path: "rules[\(index)] \"\(name)\"", value: item.value)
        _ = try r.object(allowed: RuleParser.ruleKeys)
        _ = try r.string("description")
        guard let when = r.child("when") else { throw r.fail("a rule needs a condition", at: "when") }
        if case .object(let pairs) = when.value, pairs.isEmpty { throw when.fail("a rule needs a condition") }
        guard let then = r.child("then") else { throw r.fail("a rule needs actions", at: "then") }
        var on: Set<Rule.Trigger> = [.new]
        if let list = try RulesConfig.stringList(r, "on") {
            on = []
            for (i, text) in list.enumerated() {
                guard let trigger = Rule.Trigger(rawValue: text) else {
                    throw r.fail("must be new or follow_up", at: r.value["on"].flatMap { if case .array = $0 { return "on[\(i)]" }; return nil } ?? "on")
                }
                on.insert(trigger)
            }
            if on.isEmpty { throw r.fail("must name new and/or follow_up", at: "on") }
        }
        return Rule(name: name, when: try condition(when), then: try actions(then), stop: try r.bool("stop") ?? false, on: on)
    }

    // MARK: - Conditions

    func condition(_ r: ConfigReader) throws -> RuleCondition {
        guard case .object(let pairs) = r.value else { throw r.fail("a condition must be an object like {\"subject\": {\"contains\": \"x\"}}") }
        guard pairs.count == 1, let key = pairs.first?.0, let inner = r.child(key) else {
            throw r.fail(pairs.isEmpty ? "empty condition" : "one field or combinator per condition (wrap several in \"all\")")
        }
        switch key {
        case "all", "any":
            let items = try inner.items()
            guard !items.isEmpty else { throw inner.fail("needs at least one condition") }
            let list = try items.map(condition)
            return key == "all" ? .all(list) : .any(list)
        case "not":
            return .not(try condition(inner))
        case "arrival":
            return .arrival(try arrival(inner))
        default:
            guard let field = RuleField(name: key) else {
                let known = Array(RuleField.names.keys) + ["all", "any", "not", "arrival", "header:<Name>"]
                throw r.fail("unknown field\(hint(key, known))", at: key)
            }
            return .test(try test(field, inner))
        }
    }

    func test(_ field: RuleField, _ r: ConfigReader) throws -> RuleCondition.FieldTest {
        if case .bool(let b) = r.value, field.kind == .bool {
            return .init(field: field, op: .isTrue(b), caseSensitive: false, text: "\(field) is \(b)")
        }
        guard case .object(let pairs) = r.value else { throw r.fail("must be an object like {\"equals\": …}") }
        try known(r, Set(RuleOperator.names + ["case"]), what: "operator")
        let sensitive = (try r.choice("case", ["sensitive", "insensitive"]) ?? "insensitive") == "sensitive"
        let ops = pairs.map(\.0).filter { $0 != "case" }
        guard ops.count == 1, let name = ops.first, let arg = r.child(name) else {
            throw r.fail(ops.isEmpty ? "needs an operator (\(RuleOperator.names.joined(separator: ", ")))" : "one operator per test")
        }
        let fold = { (s: String) in TextFold.form(s, caseSensitive: sensitive) }
        switch (field.kind, name) {
        case (.bool, "equals"):
            guard case .bool(let b) = arg.value else { throw arg.fail("must be true or false") }
            return .init(field: field, op: .isTrue(b), caseSensitive: false, text: "\(field) is \(b)")
        case (.bool, _):
            throw arg.fail("\(field) is true or false: use {\"equals\": true} or just true")
        case (.number, "equals"), (.number, "gt"), (.number, "lt"):
            guard case .number(let n) = arg.value else { throw arg.fail("must be a number") }
            let op: RuleOperator = name == "gt" ? .greaterThan(n) : name == "lt" ? .lessThan(n) : .numberEquals(n)
            return .init(field: field, op: op, caseSensitive: false, text: "\(field) \(name) \(JSON.number(n).serialized())")
        case (.number, _):
            throw arg.fail("\(field) is a number: use equals, gt or lt")
        case (.text, "gt"), (.text, "lt"):
            throw arg.fail("\(name) compares numbers; \(field) is text")
        case (.text, "in"):
            let list = try arg.items().map { item -> String in
                guard case .string(let s) = item.value else { throw item.fail("must be a string") }
                try checkValue(field, s, item)
                return s
            }
            guard !list.isEmpty else { throw arg.fail("needs at least one value") }
            return .init(field: field, op: .oneOf(list.map { fold($0) }), caseSensitive: sensitive,
                         text: "\(field) in \(JSON.array(list.map { JSON.string($0) }).serialized(pretty: false))")
        case (.text, _):
            guard case .string(let s) = arg.value else { throw arg.fail("must be a string") }
            let op: RuleOperator
            switch name {
            case "matches":
                do { op = .matches(try RulePattern(s, caseSensitive: sensitive)) } catch let e as RulePattern.Invalid {
                    throw arg.fail(e.reason)
                }
            case "equals":
                try checkValue(field, s, arg)
                op = .equals(fold(s))
            case "contains": op = .contains(fold(s))
            case "starts_with": op = .startsWith(fold(s))
            default: op = .endsWith(fold(s))
            }
            return .init(field: field, op: op, caseSensitive: sensitive, text: "\(field) \(name) \(JSON.string(s).serialized())")
        }
    }

    /// `class` has a fixed set of values: a typo there would silently never match.
    func checkValue(_ field: RuleField, _ value: String, _ r: ConfigReader) throws {
        if field == .messageClass, !RuleParser.classes.contains(value) {
            throw r.fail("class is one of \(RuleParser.classes.joined(separator: ", "))")
        }
    }

    func arrival(_ r: ConfigReader) throws -> ArrivalTest {
        if case .string(let s) = r.value {
            guard s == "outside_business_hours" else { throw r.fail("must be \"outside_business_hours\", {\"weekday\": […]} or {\"hour\": {…}}") }
            return .outsideBusinessHours
        }
        let pairs = try r.object(allowed: ["weekday", "hour"])
        guard pairs.count == 1 else { throw r.fail("give one of weekday, hour") }
        if let days = r.child("weekday") {
            var set = Set<Int>()
            for item in try days.items() {
                guard case .string(let s) = item.value, let i = ArrivalTest.weekdayNames.firstIndex(of: s.lowercased()) else {
                    throw item.fail("must be one of \(ArrivalTest.weekdayNames.joined(separator: ", "))")
                }
                set.insert(i + 1)
            }
            guard !set.isEmpty else { throw days.fail("needs at least one weekday") }
            return .weekday(set)
        }
        let hour = r.child("hour")!
        _ = try hour.object(allowed: ["from", "to"])
        guard let from = try hour.int("from", range: 0...23) else { throw hour.fail("is required", at: "from") }
        guard let to = try hour.int("to", range: 0...24) else { throw hour.fail("is required", at: "to") }
        guard from != to else { throw hour.fail("from and to must differ") }
        return .hour(from: from, to: to)
    }

    // MARK: - Actions

    func actions(_ r: ConfigReader) throws -> [RuleAction] {
        guard case .object(let pairs) = r.value else { throw r.fail("must be an object like {\"queue\": \"billing\"}") }
        try known(r, Set(RuleAction.names), what: "action")
        guard !pairs.isEmpty else { throw r.fail("a rule needs at least one action") }
        var out: [RuleAction] = []
        for name in RuleAction.names where r.value[name] != nil {
            let arg = r.child(name)
            switch name {
            case "queue":
                let q = try r.requiredString(name)
                let known = config.queues.isEmpty ? [config.defaultQueue] : config.queues.map(\.name)
                guard known.contains(q) else { throw r.fail("names no queue defined under queues (\"\(q)\")", at: name) }
                out.append(.queue(q))
            case "priority":
                out.append(.priority(TicketPriority(rawValue: try r.choice(name, TicketPriority.allCases.map(\.rawValue))!)!))
            case "status":
                out.append(.status(TicketStatus(rawValue: try r.choice(name, TicketStatus.allCases.map(\.rawValue))!)!))
            case "tags":
                out.append(.tags(try RulesConfig.stringList(r, name) ?? []))
            case "category":
                out.append(.category(try r.requiredString(name)))
            case "assign":
                out.append(.assign(try assignTarget(arg!)))
            case "cc":
                let list = try RulesConfig.stringList(r, name) ?? []
                for (i, a) in list.enumerated() where Address.normalised(a).split(separator: "@").count != 2 {
                    throw r.fail("must be an e-mail address", at: list.count == 1 ? name : "\(name)[\(i)]")
                }
                out.append(.cc(list.map(Address.normalised)))
            case "acknowledge":
                out.append(.acknowledge(try r.bool(name)!))
            case "sla":
                let p = try r.requiredString(name)
                guard policies.contains(p) else {
                    throw r.fail(policies.isEmpty ? "names policy \"\(p)\" but no sla_policies are defined" : "names no policy defined under sla_policies (\"\(p)\")", at: name)
                }
                out.append(.sla(p))
            default: // spam
                guard try r.bool(name) == true else { throw r.fail("spam takes true", at: name) }
                out.append(.spam)
            }
        }
        return out
    }

    func assignTarget(_ r: ConfigReader) throws -> AssignTarget {
        if case .string(let who) = r.value {
            return .agent(try RulesConfig.agentAddress(who, agents: config.agents, reader: r, key: nil))
        }
        _ = try r.object(allowed: ["group", "strategy", "prefer"])
        let group = try r.requiredString("group")
        guard config.groups.contains(where: { $0.name == group }) else {
            throw r.fail("names no group defined under groups (\"\(group)\")", at: "group")
        }
        let strategy = AssignStrategy(rawValue: try r.choice("strategy", AssignStrategy.allCases.map(\.rawValue)) ?? "round_robin")!
        let prefer = try r.choice("prefer", AssignPreference.allCases.map(\.rawValue)).flatMap(AssignPreference.init)
        return .group(group, strategy: strategy, prefer: prefer)
    }

    /// Like `ConfigReader.object(allowed:)`, but says what the unknown key was meant to be.
    private func known(_ r: ConfigReader, _ allowed: Set<String>, what: String) throws {
        guard case .object(let pairs) = r.value else { throw r.fail("must be an object") }
        for (key, _) in pairs where !allowed.contains(key) {
            throw r.fail("unknown \(what)\(hint(key, Array(allowed)))", at: key)
        }
    }

    private func hint(_ word: String, _ options: [String]) -> String {
        guard let best = options.min(by: { editDistance($0, word) < editDistance($1, word) }), editDistance(best, word) <= 2 else { return "" }
        return " (did you mean \"\(best)\"?)"
    }
}
